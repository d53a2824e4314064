import type { ExpressionNode } from "../ast/node.js";
import type { Param } from "../driver/driver.js";

/**
 * What a dialect's helper files (date parts, JSON tests) need from the compiler that calls
 * them: an expression's SQL and a bound parameter's placeholder. Both number parameters in
 * the order they are called, so helpers call them in text order.
 */
export interface SqlWriter {
  expr(node: ExpressionNode): string;
  bind(value: Param): string;
}
