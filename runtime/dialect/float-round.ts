/**
 * `Round(x, places)` of a float, the same on both databases: half away from zero on `x * 10^places`
 * in IEEE doubles, `(x < 0 ? -floor(-x * p + 0.5) : floor(x * p + 0.5)) / p + 0.0` (`+ 0.0`: no
 * -0). Postgres' round(double precision) rounds half to even and its NUMERIC round sees 15
 * digits of the double, SQLite's round() its exact binary value (2.675 → 2.68 against 2.67):
 * plain double arithmetic, done alike by both, gives one answer.
 */
import type { BuiltinNode } from "../ast/builtin.js";

/** `x()` and `p()` compile the operand and bind 10^places, once per use (placeholders in text order). */
export function floatRound(x: () => string, p: () => string): string {
  return `((CASE WHEN ${x()} < 0 THEN -floor(-${x()} * ${p()} + 0.5) ELSE floor(${x()} * ${p()} + 0.5) END) / ${p()} + 0.0)`;
}

/** 10^places of a round() node (its second argument, a bound integer from 0 to 15). */
export function scaleOf(node: BuiltinNode): number {
  const places = node.args[1];
  const n = places?.kind === "param" && typeof places.value === "number" ? places.value : 0;
  return 10 ** n;
}
