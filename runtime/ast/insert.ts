import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/** `ON CONFLICT (target) DO NOTHING` or `DO UPDATE SET col = EXCLUDED.col, …`. */
export type OnConflictClause =
  | { readonly action: "nothing"; readonly target: readonly string[] }
  | {
      readonly action: "update";
      readonly target: readonly string[];
      readonly set: readonly string[];
      /**
       * MySQL without RETURNING (model/insert-read-back.ts): this AUTO_INCREMENT key column is
       * also assigned `LAST_INSERT_ID(key)`, so the statement's insert id names the row it
       * wrote whether it inserted or updated one. Other dialects never get it.
       */
      readonly reportKey?: string;
    };

export interface InsertNode {
  readonly kind: "insert";
  readonly table: string;
  /** Column names; empty means `DEFAULT VALUES` (one row). */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly ExpressionNode[])[];
  readonly onConflict: OnConflictClause | undefined;
  readonly returning: readonly ExpressionNode[];
}

export function insert(parts: Omit<InsertNode, "kind">): InsertNode {
  return node({ kind: "insert", ...parts });
}
