import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";
import type { SelectNode } from "./select.js";

/** `operand IN (subquery)`: how UPDATE/DELETE apply filters that need joins or a limit. */
export interface InQueryNode {
  readonly kind: "inQuery";
  readonly operand: ExpressionNode;
  readonly query: SelectNode;
}

export function inQuery(operand: ExpressionNode, query: SelectNode): InQueryNode {
  return node({ kind: "inQuery", operand, query });
}
