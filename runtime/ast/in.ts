import type { Param } from "../driver/driver.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * `operand IN values`, bound as ONE parameter (`= ANY($1)` on Postgres, `json_each(?)` on
 * SQLite). `negated` keeps rows whose operand is NULL (`not_in` semantics).
 */
export interface InNode {
  readonly kind: "in";
  readonly operand: ExpressionNode;
  readonly values: readonly Param[];
  readonly negated: boolean;
}

export function inList(operand: ExpressionNode, values: readonly Param[], negated = false): InNode {
  return node({ kind: "in", operand, values: Object.freeze([...values]), negated });
}
