import type { Param } from "../driver/driver.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";
import type { StoredAs } from "./param.js";

/**
 * `operand IN values`, bound as ONE parameter (`= ANY($1)` on Postgres, `json_each(?)` on
 * SQLite). `negated` keeps rows whose operand is NULL (`not_in` semantics).
 */
export interface InNode {
  readonly kind: "in";
  readonly operand: ExpressionNode;
  readonly values: readonly Param[];
  readonly negated: boolean;
  /** Which filter value the list is (see ParamNode.slot). */
  readonly slot: number | undefined;
  /** The field the values belong to, each stored by the dialect (see ParamNode.column). */
  readonly column: StoredAs | undefined;
}

export function inList(
  operand: ExpressionNode,
  values: readonly Param[],
  negated = false,
  slot?: number,
  column?: StoredAs,
): InNode {
  return node({ kind: "in", operand, values: Object.freeze([...values]), negated, slot, column });
}
