import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * A binary comparison with lookup semantics; each dialect decides the SQL.
 * - `eq`, `lt`, `lte`, `gt`, `gte`: the usual operators.
 * - `distinct`: NULL-safe inequality (`IS DISTINCT FROM` / `IS NOT`), keeps NULL rows.
 * - `contains`, `startswith`, `endswith` (case-sensitive) and `iexact`, `icontains`,
 *   `istartswith`, `iendswith` (case-insensitive): `right` is a param holding the plain string;
 *   the dialect turns it into a pattern where it needs one, so `%`, `_` and `\` match literally.
 */
export type ComparisonOp =
  | "eq"
  | "distinct"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "contains"
  | "startswith"
  | "endswith"
  | "iexact"
  | "icontains"
  | "istartswith"
  | "iendswith";

export interface ComparisonNode {
  readonly kind: "comparison";
  readonly op: ComparisonOp;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export function comparison(
  op: ComparisonOp,
  left: ExpressionNode,
  right: ExpressionNode,
): ComparisonNode {
  return node({ kind: "comparison", op, left, right });
}
