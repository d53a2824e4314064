import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** One ORDER BY term. */
export interface OrderNode {
  readonly kind: "order";
  readonly expr: ExpressionNode;
  readonly descending: boolean;
}

export function order(expr: ExpressionNode, descending = false): OrderNode {
  return node({ kind: "order", expr, descending });
}
