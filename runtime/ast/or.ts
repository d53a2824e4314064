import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** Disjunction; an empty list means FALSE. */
export interface OrNode {
  readonly kind: "or";
  readonly items: readonly ExpressionNode[];
}

export function or(items: readonly ExpressionNode[]): OrNode {
  return node({ kind: "or", items: Object.freeze([...items]) });
}
