import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";
import type { ParamNode } from "./param.js";

/**
 * A text test of the `regex`, `iregex` and `search` lookups. `pattern` holds the bound string
 * already in the form every dialect reads alike: a regular expression in the canonical
 * spelling of query/regex-pattern.ts, or the query's words joined by spaces
 * (query/search-words.ts).
 */
export interface MatchNode {
  readonly kind: "match";
  readonly op: "regex" | "iregex" | "search";
  readonly operand: ExpressionNode;
  readonly pattern: ParamNode;
}

export function match(op: MatchNode["op"], operand: ExpressionNode, pattern: ParamNode): MatchNode {
  return node({ kind: "match", op, operand, pattern });
}
