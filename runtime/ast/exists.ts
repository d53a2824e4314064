import { node } from "./node.js";
import type { SelectNode } from "./select.js";

/** `EXISTS (subquery)`: how filters through to-many relations return each row once. */
export interface ExistsNode {
  readonly kind: "exists";
  readonly query: SelectNode;
}

export function exists(query: SelectNode): ExistsNode {
  return node({ kind: "exists", query });
}
