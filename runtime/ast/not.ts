import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `NOT (operand)`. */
export interface NotNode {
  readonly kind: "not";
  readonly operand: ExpressionNode;
}

export function not(operand: ExpressionNode): NotNode {
  return node({ kind: "not", operand });
}
