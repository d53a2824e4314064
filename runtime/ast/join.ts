import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `LEFT JOIN "table" AS "alias" ON …` (to-one relations) or an INNER JOIN (inside EXISTS). */
export interface JoinNode {
  readonly kind: "join";
  readonly type: "left" | "inner";
  readonly table: string;
  readonly alias: string;
  readonly on: ExpressionNode;
}

export function join(
  type: "left" | "inner",
  table: string,
  alias: string,
  on: ExpressionNode,
): JoinNode {
  return node({ kind: "join", type, table, alias, on });
}
