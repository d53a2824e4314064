/**
 * The filter values of a query as one numbered list ("slots"), in one fixed order: the leaves
 * of `state.where` depth-first, each leaf's encoded values in the order `leafParams` gives.
 * build.ts tags every parameter it makes from a leaf with its slot number, so a compiled plan
 * (shape-cache.ts) can bind the values of a later query of the same shape by slot.
 */
import { encodeValue } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { partField } from "./date-parts.js";
import { Expression } from "./f.js";
import { DOCUMENT_LOOKUPS } from "./json-lookups.js";
import type { Cond, Leaf } from "./where.js";

/**
 * The encoded values a leaf binds, in slot order: none for isnull/not_isnull, `exact`/`not`
 * null and F() expressions; the whole list as one value for in/not_in; low and high for range.
 */
export function leafParams(leaf: Leaf, dialect: Dialect): Param[] {
  const { lookup, value, part, path } = leaf;
  if (value instanceof Expression || isJsonTest(leaf)) return [];
  const field = part === undefined ? path.field : partField(path.field, part);
  const encode = (v: unknown): Param =>
    field === undefined
      ? (v as number)
      : encodeValue({ dialect, model: path.model.name, mode: "filter" }, field, v);
  switch (lookup) {
    case "regex":
    case "iregex":
    case "search":
      // Already rewritten for every database (where.ts checkMatchValue).
      return [value as string];
    case "isnull":
    case "not_isnull":
      return [];
    case "in":
    case "not_in":
      return [(value as readonly unknown[]).map(encode)];
    case "range":
      return (value as readonly unknown[]).map(encode);
    default:
      return value === null ? [] : [encode(value)];
  }
}

/**
 * A test on a JSON document or path (ast/json.ts): its SQL depends on the value's JSON type
 * and shape, so it binds its values itself, has no slots, and its query no shape key.
 */
export function isJsonTest(leaf: Leaf): boolean {
  return (
    leaf.jsonPath !== undefined ||
    (leaf.path.field.kind === "json" && DOCUMENT_LOOKUPS.has(leaf.lookup))
  );
}

/** Calls `fn` on every leaf of `conds`, depth-first, in order. */
function eachLeaf(conds: readonly Cond[], fn: (leaf: Leaf) => void): void {
  for (const cond of conds) {
    if (cond.kind === "leaf") fn(cond);
    else if (cond.kind === "not") eachLeaf([cond.item], fn);
    else eachLeaf(cond.items, fn);
  }
}

/** The slot values of `conds` (what a cached plan binds from). */
export function slotValues(conds: readonly Cond[], dialect: Dialect): Param[] {
  const values: Param[] = [];
  eachLeaf(conds, (leaf) => {
    for (const v of leafParams(leaf, dialect)) values.push(v);
  });
  return values;
}

/** The first slot of each leaf of one query, while its statement is built. */
export class ParamSlots {
  readonly #first = new Map<Leaf, number>();
  /** The slot values, as slotValues() gives them. */
  readonly values: Param[] = [];

  constructor(conds: readonly Cond[], dialect: Dialect) {
    eachLeaf(conds, (leaf) => {
      this.#first.set(leaf, this.values.length);
      for (const v of leafParams(leaf, dialect)) this.values.push(v);
    });
  }

  /** The first slot of `leaf`; undefined for a leaf not of this query. */
  of(leaf: Leaf): number | undefined {
    return this.#first.get(leaf);
  }

  /** Gives `copy` (a leaf rewritten while building, e.g. re-rooted in a subquery) the slots of `original`. */
  alias(copy: Leaf, original: Leaf): void {
    const first = this.#first.get(original);
    if (first !== undefined) this.#first.set(copy, first);
  }
}
