/**
 * The filter values of a query as one numbered list ("slots"), in one fixed order: the leaves
 * of `state.where` depth-first, each leaf's checked values in the order `leafParams` gives.
 * The values are the same for every database (the compiler stores them for its dialect), and
 * build.ts puts these very values into the AST, each parameter tagged with its slot number, so
 * a compiled plan (shape-cache.ts) binds a later query of the same shape by slot, through the
 * functions the compiler bound them through.
 */
import { encodeValue } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import type { FieldMeta } from "../model/meta.js";
import { partField } from "./date-parts.js";
import { Expression } from "./f.js";
import { DOCUMENT_LOOKUPS } from "./json-lookups.js";
import type { Cond, Leaf } from "./where.js";

/**
 * The checked values a leaf binds, in slot order: none for isnull/not_isnull, `exact`/`not`
 * null and F() expressions; the whole list as one value for in/not_in; low and high for range.
 */
export function leafParams(leaf: Leaf): Param[] {
  const { lookup, value, path } = leaf;
  if (value instanceof Expression || isJsonTest(leaf)) return [];
  const field = leafField(leaf);
  const encode = (v: unknown): Param =>
    field === undefined
      ? (v as number)
      : encodeValue({ dialect: undefined, model: path.model.name, mode: "filter" }, field, v);
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

/** The field a leaf's values are values of (a date part's own; none for the other parts). */
export function leafField(leaf: Leaf): FieldMeta | undefined {
  return leaf.part === undefined ? leaf.path.field : partField(leaf.path.field, leaf.part);
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
export function slotValues(conds: readonly Cond[]): Param[] {
  const values: Param[] = [];
  eachLeaf(conds, (leaf) => {
    for (const v of leafParams(leaf)) values.push(v);
  });
  return values;
}

/** The slots of each leaf of one query, while its statement is built. */
export class ParamSlots {
  readonly #first = new Map<Leaf, number>();
  /** The slot values, as slotValues() gives them. */
  readonly values: Param[] = [];

  constructor(conds: readonly Cond[]) {
    eachLeaf(conds, (leaf) => {
      this.#first.set(leaf, this.values.length);
      for (const v of leafParams(leaf)) this.values.push(v);
    });
  }

  /** The first slot of `leaf`; undefined for a leaf not of this query. */
  of(leaf: Leaf): number | undefined {
    return this.#first.get(leaf);
  }

  /** The slot value `slot` (the very value the AST binds, so a plan replays it exactly). */
  value(slot: number): Param {
    return this.values[slot]!;
  }

  /** Gives `copy` (a leaf rewritten while building, e.g. re-rooted in a subquery) the slots of `original`. */
  alias(copy: Leaf, original: Leaf): void {
    const first = this.#first.get(original);
    if (first !== undefined) this.#first.set(copy, first);
  }
}
