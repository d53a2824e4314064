import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `operand IS NULL` (or `IS NOT NULL` when negated). */
export interface IsNullNode {
  readonly kind: "isNull";
  readonly operand: ExpressionNode;
  readonly negated: boolean;
}

export function isNull(operand: ExpressionNode, negated = false): IsNullNode {
  return node({ kind: "isNull", operand, negated });
}
