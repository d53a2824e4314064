/**
 * What to do when the database lacks a table or column the models use: the commonest cause is
 * a schema never created (`YaraOrm.generateSchemas()` not run, migrations not applied) or a
 * field added to a model after its table was created. Both driver families' error mappings
 * (`postgres-server-error.ts` for Postgres, `better-sqlite3/errors.ts` for SQLite, each shared by the
 * native driver of that database, `mysql2/errors.ts` for MariaDB) append this hint to the
 * database's own message; MariaDB's unknown column gets it only when `unknownColumnOfSchema`
 * says the column could be missing (and not inside a sliced subquery, mysql2/errors.ts).
 */

import { registeredModels } from "../registry.js";

/** A missing table (Postgres 42P01, SQLite "no such table") or column (42703, "no such column"). */
export type MissingObject = "table" | "column";

const HINTS: Readonly<Record<MissingObject, string>> = {
  table: "run YaraOrm.generateSchemas() or apply your migrations to create it",
  column:
    "the table is older than its model: add the column with a migration (generateSchemas() creates missing tables only)",
};

/** `message` with the hint for a missing `object`. */
export function withMissingSchemaHint(message: string, object: MissingObject): string {
  return `${message}; ${HINTS[object]}`;
}

/** Which object a SQLite error message says is missing, if any. */
export function sqliteMissingObject(message: string): MissingObject | undefined {
  if (message.startsWith("no such table:")) return "table";
  if (message.startsWith("no such column:") || / has no column named /.test(message))
    return "column";
  return undefined;
}

/** Which object a Postgres SQLSTATE says is missing (undefined_table, undefined_column). */
export function pgMissingObject(code: string): MissingObject | undefined {
  return code === "42P01" ? "table" : code === "42703" ? "column" : undefined;
}

/**
 * Whether a column the server reports unknown (`table.column`, `db.table.column`, or a bare
 * `column`) could be one the database lacks because its table is older than its model: a column
 * the registered models give a table they know (a bare name: any of them), join tables included.
 * A query's own alias, a derived table's column or a name no model has is an error in the query,
 * where the hint to migrate would mislead.
 */
export function unknownColumnOfSchema(name: string): boolean {
  const dot = name.lastIndexOf(".");
  const column = name.slice(dot + 1).toLowerCase();
  const qualifier = dot < 0 ? undefined : name.slice(0, dot);
  // `db.table.column` when the server names the database too.
  const named = (table: string): boolean =>
    qualifier === undefined ||
    qualifier === table ||
    qualifier.slice(qualifier.indexOf(".") + 1) === table;
  const has = (columns: readonly string[]): boolean =>
    columns.some((c) => c.toLowerCase() === column);
  for (const model of registeredModels()) {
    const meta = model.meta;
    if (named(meta.table) && has(meta.fields.map((f) => f.column))) return true;
    for (const r of meta.relations) {
      const through = r.through;
      if (through !== undefined && named(through.table))
        if (has([through.sourceColumn, through.targetColumn])) return true;
    }
  }
  return false;
}
