import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";
import type { ParamNode } from "./param.js";

/** One row of a bulk update: the key of the table row it writes, then one value per column. */
export interface UpdateRow {
  readonly key: ParamNode;
  readonly values: readonly ParamNode[];
}

/**
 * A bulk update (bulkUpdate()): each row's values written to `columns` of the table row whose
 * `key` column equals the row's key. Dialects join the table with the rows, so the work grows
 * with the rows, not with rows × rows as a CASE arm per row would:
 *
 *     WITH "yara_rows" ("yara_key", "yara_v0") AS (VALUES ($1, $2), …)
 *     UPDATE "books" SET "title" = "yara_rows"."yara_v0" FROM "yara_rows"
 *     WHERE "books"."id" = "yara_rows"."yara_key"
 */
export interface UpdateRowsNode {
  readonly kind: "updateRows";
  readonly table: string;
  readonly key: ExpressionNode;
  readonly columns: readonly string[];
  readonly rows: readonly UpdateRow[];
}

export function updateRows(parts: Omit<UpdateRowsNode, "kind">): UpdateRowsNode {
  return node({ kind: "updateRows", ...parts });
}
