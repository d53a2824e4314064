/**
 * SQLite: a join table renamed in place — tables and columns renamed, then rebuilt for the
 * constraint names its CREATE TABLE text holds (see migrations/rename-join-table.ts).
 */
import { joinTable } from "../ddl.js";
import { quoteIdent } from "../ddl-columns.js";
import type { Dialect } from "../dialect.js";
import type { ModelMeta, RelationMeta } from "../../model/meta.js";
import type { Step } from "../../migrations/render.js";
import { columnPairs, ordered, type Through } from "../../migrations/rename-join-table.js";
import type { SchemaState } from "../../migrations/state.js";
import { keepViewsAndTriggers } from "./dependents.js";

export function renameJoinTableSqlite(
  model: ModelMeta,
  relation: RelationMeta,
  from: Through,
  to: Through,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  const out: Step[] = [];
  const table = quoteIdent(to.table);
  // Renames first: SQLite rewrites the views and triggers that name the table or its columns.
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);
  for (const [a, b] of ordered(columnPairs(from, to), "yara_swap_column"))
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(a)} TO ${quoteIdent(b)}`);
  // Then the rebuild, for the constraint names written in the CREATE TABLE text.
  const temp = `yara_new_${to.table}`;
  const made = joinTable(model, relation, after, dialect, { ifNotExists: false, as: temp });
  const columns = `${quoteIdent(to.sourceColumn)}, ${quoteIdent(to.targetColumn)}`;
  const dependents = keepViewsAndTriggers(to.table);
  out.push(
    made.table,
    `INSERT INTO ${quoteIdent(temp)} (${columns}) SELECT ${columns} FROM ${table}`,
    dependents.save,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${table}`,
    made.index,
    dependents.restore,
  );
  return out;
}
