import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * One ORDER BY term. `nullable` says the value may be NULL: NULL then sorts after every value
 * ascending and first descending on every database (Postgres' rule; SQLite needs it spelt out).
 */
export interface OrderNode {
  readonly kind: "order";
  readonly expr: ExpressionNode;
  readonly descending: boolean;
  readonly nullable: boolean;
}

export function order(expr: ExpressionNode, descending = false, nullable = false): OrderNode {
  return node({ kind: "order", expr, descending, nullable });
}
