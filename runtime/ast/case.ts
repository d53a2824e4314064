import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `CASE WHEN when THEN then … ELSE otherwise END` (no ELSE: NULL). */
export interface CaseNode {
  readonly kind: "case";
  readonly whens: readonly { readonly when: ExpressionNode; readonly then: ExpressionNode }[];
  readonly otherwise: ExpressionNode | undefined;
}

export function caseWhen(
  whens: readonly { readonly when: ExpressionNode; readonly then: ExpressionNode }[],
  otherwise: ExpressionNode | undefined,
): CaseNode {
  return node({ kind: "case", whens: Object.freeze([...whens]), otherwise });
}
