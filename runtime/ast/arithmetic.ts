import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

export type ArithmeticOp = "+" | "-" | "*" | "/";

/** `left op right`, from `F("price").add(1)`. */
export interface ArithmeticNode {
  readonly kind: "arithmetic";
  readonly op: ArithmeticOp;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

export function arithmetic(
  op: ArithmeticOp,
  left: ExpressionNode,
  right: ExpressionNode,
): ArithmeticNode {
  return node({ kind: "arithmetic", op, left, right });
}
