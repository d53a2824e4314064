import type { FieldKind } from "../model/meta.js";
import { node } from "./node.js";

/** `"table"."column"`: a column of a table or of a join alias. */
export interface ColumnNode {
  readonly kind: "column";
  /** Table name or join alias; always quoted by the compiler. */
  readonly table: string;
  readonly column: string;
  /** Storage kind of the column, so dialects can adapt comparisons (decimal on SQLite). */
  readonly fieldKind: FieldKind;
}

export function column(table: string, name: string, fieldKind: FieldKind): ColumnNode {
  return node({ kind: "column", table, column: name, fieldKind });
}
