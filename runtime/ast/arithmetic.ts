import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

export type ArithmeticOp = "+" | "-" | "*" | "/";
/** What `F` writes: the SQL operators, and `%` / `**`, which become `mod` / `power` calls. */
export type ExpressionOp = ArithmeticOp | "%" | "**";

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
