import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

export interface Assignment {
  readonly column: string;
  readonly value: ExpressionNode;
  /** For a decimal column: its scale, so a dialect storing decimals as text can re-canonicalise. */
  readonly decimalPlaces?: number | undefined;
}

/**
 * The rows of a bulk update (bulkUpdate()): per row its key and one value per column. `set`
 * and `where` say the same as CASE arms and an IN list, which is how most databases run it; a
 * dialect may instead join the table with these rows (MySQL, where the CASE form is slow).
 */
export interface UpdateRows {
  readonly key: ExpressionNode;
  readonly columns: readonly string[];
  readonly rows: readonly {
    readonly key: ExpressionNode;
    readonly values: readonly ExpressionNode[];
  }[];
}

/** `UPDATE "table" SET … WHERE …`; columns in `where` refer to the table by its name. */
export interface UpdateNode {
  readonly kind: "update";
  readonly table: string;
  readonly set: readonly Assignment[];
  readonly where: ExpressionNode | undefined;
  readonly returning: readonly ExpressionNode[];
  readonly rows?: UpdateRows | undefined;
}

export function update(parts: Omit<UpdateNode, "kind">): UpdateNode {
  return node({ kind: "update", ...parts });
}
