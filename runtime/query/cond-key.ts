/**
 * The shape of `state.where` in a shape key (shape-key.ts): each condition by what it writes
 * into the SQL text, with the values it binds left out (they are taken by slot, param-slots.ts).
 * Undefined for a condition the key cannot describe simply (an annotation, an F() expression,
 * a JSON test): the state is then compiled every time.
 */
import { Expression } from "./f.js";
import { isJsonTest } from "./param-slots.js";
import type { Cond, Leaf } from "./where.js";

/** The conditions' shapes, space-separated; undefined when one has none. */
export function condsKey(conds: readonly Cond[]): string | undefined {
  let key = "";
  for (const cond of conds) {
    const part = condKey(cond);
    if (part === undefined) return undefined;
    key += ` ${part}`;
  }
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
