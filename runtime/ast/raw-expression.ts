import type { Param } from "../driver/driver.js";
import { node } from "./node.js";

/**
 * `RawSQL(sql, params)`: SQL text the application wrote, split at its `?` placeholders
 * (`parts.length === params.length + 1`). The compiler writes `(part0 p1 part1 …)`, binding and
 * numbering each parameter itself. The only node holding SQL text from outside the runtime;
 * its parameters are always bound.
 */
export interface RawExpressionNode {
  readonly kind: "rawExpression";
  readonly parts: readonly string[];
  readonly params: readonly Param[];
}

export function rawExpression(
  parts: readonly string[],
  params: readonly Param[],
): RawExpressionNode {
  return node({
    kind: "rawExpression",
    parts: Object.freeze([...parts]),
    params: Object.freeze([...params]),
  });
}
