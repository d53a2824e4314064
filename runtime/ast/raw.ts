import { node } from "./node.js";

/**
 * SQL text emitted by the generator (a model's column list constant). Only generated code and
 * the runtime create these; user input never reaches one.
 */
export interface RawNode {
  readonly kind: "raw";
  readonly sql: string;
}

export function raw(sql: string): RawNode {
  return node({ kind: "raw", sql });
}
