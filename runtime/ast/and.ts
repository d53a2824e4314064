import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** Conjunction; an empty list means TRUE. */
export interface AndNode {
  readonly kind: "and";
  readonly items: readonly ExpressionNode[];
}

export function and(items: readonly ExpressionNode[]): AndNode {
  return node({ kind: "and", items: Object.freeze([...items]) });
}
