import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * Scalar functions whose SQL differs by database, so each dialect spells them (see
 * `builtin()` in runtime/dialect/*): the name is never taken from user input.
 * - `concat`: text of every argument joined, NULL read as `''`.
 * - `substr(x, from, length?)`, `left(x, n)`, `right(x, n)`: by characters, 1-based.
 * - `replace(x, from, to)`, `abs(x)`, `now()`.
 * - `round(x, places)`: half away from zero on both databases.
 * - `mod(x, y)`: the sign of `x` (truncated division); NULL when `y` is 0.
 * - `power(x, y)`: a float; NULL where the result is undefined (0 to a negative power, a
 *   negative number to a fractional one).
 */
export type BuiltinName =
  | "concat"
  | "substr"
  | "left"
  | "right"
  | "replace"
  | "abs"
  | "round"
  | "now"
  | "mod"
  | "power"
  /** Toward zero, keeping the type (Postgres `trunc`; SQLite's CAST AS INTEGER truncates itself). */
  | "trunc";

export interface BuiltinNode {
  readonly kind: "builtin";
  readonly name: BuiltinName;
  readonly args: readonly ExpressionNode[];
  /** A decimal result of this scale (SQLite turns its REAL result back into canonical text). */
  readonly scale: number | undefined;
  /** The result is a float (Postgres computes in NUMERIC where it must, then casts back). */
  readonly float: boolean;
}

export function builtin(
  name: BuiltinName,
  args: readonly ExpressionNode[],
  options: { scale?: number | undefined; float?: boolean } = {},
): BuiltinNode {
  return node({
    kind: "builtin",
    name,
    args: Object.freeze([...args]),
    scale: options.scale,
    float: options.float === true,
  });
}
