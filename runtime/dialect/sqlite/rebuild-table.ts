/**
 * One table from its version in one state to the next on SQLite, by the table rebuild SQLite
 * documents for the changes ALTER TABLE cannot make (https://sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes"): create the new table under a temporary name,
 * copy every row with INSERT … SELECT, drop the old table, rename the new one, recreate the
 * indexes, views and triggers (dependents.ts). Foreign-key enforcement is off around the migration's transaction and
 * `PRAGMA foreign_key_check` runs before it commits (executor.ts). Values are copied as they
 * are stored, so every kept column keeps its bytes, and the AUTOINCREMENT counter is carried
 * over so deleted ids are never reused. A renamed table is renamed first, which also rewrites
 * the foreign keys of other tables that point at it.
 */
import { createTable, modelForeignKeys, modelIndexes } from "../ddl.js";
import { columnDefault, isAutoPk, quoteIdent } from "../ddl-columns.js";
import { MigrationError } from "../../errors.js";
import { fillLiteral, quoteString } from "../../migrations/sql-pieces.js";
import type { Step } from "../../migrations/render.js";
import type { Dialect } from "../dialect.js";
import { keepViewsAndTriggers } from "./dependents.js";
import type { SchemaState } from "../../migrations/state.js";
import { matchedFields, type TableChange } from "../../migrations/table-change.js";

export function rebuildTableSqlite(
  change: TableChange,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  const { from, to, fill } = change;
  const out: Step[] = [];
  const table = quoteIdent(to.table);
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);
  const temp = `yara_new_${to.table}`;
  out.push(
    createTable(to, dialect, modelForeignKeys(to, after), () => true, {
      as: temp,
      ifNotExists: false,
    }),
  );

  const pairs = new Map(matchedFields(change).map(([f0, f1]) => [f1.name, f0]));
  const columns: string[] = [];
  const values: string[] = [];
  for (const f1 of to.fields) {
    const f0 = pairs.get(f1.name);
    columns.push(quoteIdent(f1.column));
    if (f0 !== undefined) {
      const old = quoteIdent(f0.column);
      values.push(
        f0.nullable && !f1.nullable && fill !== undefined
          ? `COALESCE(${old}, ${fillLiteral(f1, fill, dialect)})`
          : old,
      );
    } else if (f1.pk) {
      throw new MigrationError(`adding a primary key column to ${to.name} is not supported`);
    } else if (columnDefault(f1, dialect) !== undefined) {
      // A dbDefault function runs once per copied row, as an INSERT would.
      values.push(columnDefault(f1, dialect)!);
    } else if (fill !== undefined) {
      values.push(fillLiteral(f1, fill, dialect));
    } else {
      values.push("NULL");
    }
  }
  out.push(
    `INSERT INTO ${quoteIdent(temp)} (${columns.join(", ")}) SELECT ${values.join(", ")} FROM ${table}`,
  );
  const pk0 = from.fields.find((f) => f.pk);
  const pk1 = to.fields.find((f) => f.pk);
  if (pk0 !== undefined && pk1 !== undefined && isAutoPk(pk0) && isAutoPk(pk1)) {
    // The copy set the new table's counter to its largest id; keep the old, higher mark.
    out.push(
      `UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = ${quoteString(to.table)}) ` +
        `WHERE name = ${quoteString(temp)} AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quoteString(to.table)})`,
      `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteString(temp)}, seq FROM sqlite_sequence ` +
        `WHERE name = ${quoteString(to.table)} AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quoteString(temp)})`,
    );
  }
  const dependents = keepViewsAndTriggers(to.table);
  out.push(
    dependents.save,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${table}`,
    ...modelIndexes(to),
    dependents.restore,
  );
  return out;
}
