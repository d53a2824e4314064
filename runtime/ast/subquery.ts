import { node } from "./node.js";
import type { SelectNode } from "./select.js";

/** `(SELECT …)` used as a value: aggregates over to-many relations in annotate(). */
export interface SubqueryNode {
  readonly kind: "subquery";
  readonly query: SelectNode;
}

export function subquery(query: SelectNode): SubqueryNode {
  return node({ kind: "subquery", query });
}
