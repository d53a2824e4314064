import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `DELETE FROM "table" WHERE …`. */
export interface DeleteNode {
  readonly kind: "delete";
  readonly table: string;
  readonly where: ExpressionNode | undefined;
}

export function deleteFrom(table: string, where: ExpressionNode | undefined): DeleteNode {
  return node({ kind: "delete", table, where });
}
