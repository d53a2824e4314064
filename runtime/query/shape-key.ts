/**
 * The shape of a QuerySet's SELECT: everything about its state that can change the SQL text,
 * and nothing that is only bound. Two states with the same key compile to the same SQL, their
 * bound filter values taken slot by slot (param-slots.ts); LIMIT and OFFSET are in the key
 * as numbers. States the key cannot describe simply (annotations, F() expressions, a recorded
 * error) have no key and are compiled every time.
 *
 * Every name written into the key is a filter key, ordering or field path already checked
 * against ModelMeta (identifier segments joined by `__`, maybe a leading `-`), so the
 * separators used here (`;`, `,`, `/`, `(`, `)`, ` `, `!`) cannot occur inside one.
 */
import { Expression } from "./f.js";
import { isJsonTest } from "./param-slots.js";
import type { QueryState } from "./state.js";
import type { Cond, Leaf } from "./where.js";

/**
 * The shape key of `state`, or undefined when it must be compiled every time. It is the same
 * for every dialect, as the statement's AST is; the cache keeps one plan per dialect.
 */
export function shapeKey(state: QueryState): string | undefined {
  if (state.error !== undefined || state.annotations.length > 0) return undefined;
  let key = "";
  for (const cond of state.where) {
    const part = condKey(cond);
    if (part === undefined) return undefined;
    key += `${part} `;
  }
  const { lock } = state;
  key += `;o=${state.ordering === undefined ? "*" : state.ordering.join(",")}`;
  key += `;l=${state.limit ?? ""};f=${state.offset ?? ""};d=${state.distinct ? 1 : 0}`;
  key += `;n=${state.distinctOn.join(",")}`;
  key += `;k=${lock ? `${lock.skipLocked ? 1 : 0}${lock.nowait ? 1 : 0}` : ""}`;
  key += `;y=${state.only === undefined ? "*" : state.only.join(",")}`;
  key += `;r=${state.related.join(",")};g=${state.groupBy.join(",")}`;
  return key;
}

function condKey(cond: Cond): string | undefined {
  if (cond.kind === "leaf") return leafKey(cond);
  if (cond.kind === "not") {
    const inner = condKey(cond.item);
    return inner === undefined ? undefined : `!(${inner})`;
  }
  let key = `${cond.kind}(`;
  for (const item of cond.items) {
    const part = condKey(item);
    if (part === undefined) return undefined;
    key += `${part} `;
  }
  return `${key})`;
}

/**
 * A leaf by its key as written (which fixes path, lookup and date part) and, for the values
 * that are written into the SQL rather than bound (see leafParams), the value itself:
 * isnull's boolean and a null compared with exact/not (`IS NULL`).
 */
function leafKey(leaf: Leaf): string | undefined {
  if (leaf.annotation !== undefined || leaf.value instanceof Expression || isJsonTest(leaf))
    return undefined;
  const { lookup, value } = leaf;
  const written =
    lookup === "isnull" || lookup === "not_isnull" ? String(value) : value === null ? "null" : "$";
  return `${leaf.path.key}/${lookup}/${leaf.part ?? ""}/${written}`;
}
