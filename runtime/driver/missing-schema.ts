/**
 * What to do when the database lacks a table or column the models use: the commonest cause is
 * a schema never created (`YaraOrm.generateSchemas()` not run, migrations not applied) or a
 * field added to a model after its table was created. Both driver families' error mappings
 * (`postgres-server-error.ts` for Postgres, `better-sqlite3/errors.ts` for SQLite, each shared by the
 * native driver of that database) append this hint to the database's own message.
 */

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
