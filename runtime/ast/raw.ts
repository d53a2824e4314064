import type { ColumnNode } from "./column.js";
import { node } from "./node.js";

/**
 * SQL text emitted by the generator (a model's column list constant). Only generated code and
 * the runtime create these; user input never reaches one.
 */
export interface RawNode {
  readonly kind: "raw";
  readonly sql: string;
  /**
   * A column list's columns, in its order: a dialect that has some kinds of column sent to the
   * client in another form renders the list from these (MysqlCompiler.boundResultColumn).
   */
  readonly columns: readonly ColumnNode[] | undefined;
}

export function raw(sql: string, columns?: readonly ColumnNode[]): RawNode {
  return node({ kind: "raw", sql, columns });
}
