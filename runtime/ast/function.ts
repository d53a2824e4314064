import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** Functions the runtime knows; the name is never taken from user input. */
export type FunctionName =
  | "count"
  | "sum"
  | "avg"
  | "min"
  | "max"
  | "lower"
  | "upper"
  | "length"
  | "coalesce"
  | "trim"
  /** `StringAgg(field, separator)`: text values joined in ascending order (NULLs skipped). */
  | "string_agg"
  /** `ArrayAgg(field)`: the values as a JSON array in ascending order, NULLs last; `[]` over no rows. */
  | "array_agg"
  /** Internal: a decimal expression rounded to `scale` places (selected decimal arithmetic). */
  | "round";

/** `name(args…)`; `count` with no args is `COUNT(*)`. */
export interface FunctionNode {
  readonly kind: "function";
  readonly name: FunctionName;
  readonly args: readonly ExpressionNode[];
  readonly distinct: boolean;
  /** Set when the result is a decimal of this scale (SQLite re-canonicalises its REAL result). */
  readonly scale?: number | undefined;
  /** An aggregate's `FILTER (WHERE …)`: only rows matching it are aggregated. */
  readonly filter?: ExpressionNode | undefined;
}

export function call(
  name: FunctionName,
  args: readonly ExpressionNode[] = [],
  distinct = false,
  scale?: number,
  filter?: ExpressionNode,
): FunctionNode {
  return node({ kind: "function", name, args: Object.freeze([...args]), distinct, scale, filter });
}
