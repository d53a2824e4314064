import type { FieldKind } from "../model/meta.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * `CAST(operand AS <the column type of kind>)`: the dialect names the type (Postgres
 * `DOUBLE PRECISION`, SQLite `REAL`, …). Also how a bound value gets a type where Postgres
 * cannot infer one (a `CASE` branch, a `concat` argument); SQLite leaves bound values as they are.
 */
export interface CastNode {
  readonly kind: "cast";
  readonly operand: ExpressionNode;
  readonly to: FieldKind;
  /** For `decimal`: NUMERIC(digits, places). */
  readonly digits: number | undefined;
  readonly places: number | undefined;
}

export function cast(
  operand: ExpressionNode,
  to: FieldKind,
  digits?: number,
  places?: number,
): CastNode {
  return node({ kind: "cast", operand, to, digits, places });
}
