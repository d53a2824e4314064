/**
 * What to do when the database lacks a table or column the models use: the commonest cause is
 * a schema never created (`YaraOrm.generateSchemas()` not run, migrations not applied) or a
 * field added to a model after its table was created. Both driver families' error mappings
 * (`postgres-server-error.ts` for Postgres, `better-sqlite3/errors.ts` for SQLite, each shared by the
 * native driver of that database, `mysql2/errors.ts` for MariaDB) append this hint to the
 * database's own message; an unknown table gets it only when it is a table of the models
 * (`unknownTableOfSchema`), an unknown column only when `unknownColumnOfSchema` says the column
 * could be missing (on MariaDB, not inside a sliced subquery either, mysql2/errors.ts).
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

/**
 * Which object a SQLite error message says is missing, if any: a table the models give (`no such
 * table: main.books`), or a column the models could have given it (`no such column: t1.body`,
 * `table item has no column named body`).
 */
export function sqliteMissingObject(message: string): MissingObject | undefined {
  const table = /^no such table: (\S+)/.exec(message)?.[1];
  if (table !== undefined) return tableHint(table);
  const column =
    /^no such column: (\S+)/.exec(message)?.[1] ??
    /^table (\S+) has no column named (\S+)/.exec(message)?.slice(1).join(".");
  // A bare name SQLite could not resolve is quoted: `no such column: "body" - should this be a
  // string literal in single-quotes?`.
  return column === undefined ? undefined : columnHint(column.replaceAll('"', ""));
}

/**
 * Which object a Postgres error says is missing (undefined_table 42P01 for a table the models
 * give, `relation "books" does not exist`; undefined_column 42703 for a column the models could
 * have given the table: `column t1.body does not exist`, `column "body" of relation "item" does
 * not exist`).
 */
export function pgMissingObject(code: string, message: string): MissingObject | undefined {
  if (code === "42P01") {
    const table = /^relation "((?:[^"]|"")+)" does not exist/.exec(message)?.[1];
    return table === undefined ? "table" : tableHint(table.replaceAll('""', '"'));
  }
  if (code !== "42703") return undefined;
  const m =
    /^column (?:"((?:[^"]|"")+)"|(\S+)) (?:of relation "((?:[^"]|"")+)" )?does not exist/.exec(
      message,
    );
  if (m === null) return "column";
  const column = (m[1] ?? m[2]!).replaceAll('""', '"');
  return columnHint(m[3] === undefined ? column : `${m[3].replaceAll('""', '"')}.${column}`);
}

/** "table" when the hint to create the schema fits the unknown table `name`; else no hint. */
function tableHint(name: string): MissingObject | undefined {
  return unknownTableOfSchema(name) ? "table" : undefined;
}

/**
 * Whether a table the server reports unknown (`table`, or qualified by its schema or database:
 * `main.table`, `test.table`) is one the registered models give, join tables included, compared
 * without case. A table no model has (a typo in raw SQL) is an error in the query, where the hint
 * to create the schema would mislead.
 */
export function unknownTableOfSchema(name: string): boolean {
  const tables = new Set([...schemaColumns().keys()].map((t) => t.toLowerCase()));
  const lower = name.toLowerCase();
  return tables.has(lower) || tables.has(lower.slice(lower.indexOf(".") + 1));
}

/** "column" when the hint to migrate fits the unknown column `name`; else no hint. */
function columnHint(name: string): MissingObject | undefined {
  return unknownColumnOfSchema(name) ? "column" : undefined;
}

/**
 * Whether a column the server reports unknown (`table.column`, `db.table.column`, `alias.column`
 * or a bare `column`) could be one the database lacks because its table is older than its model:
 * a column the registered models give the named table, join tables included; qualified by
 * anything else (an alias such as a join's `t1`) or not at all, a column the models give any
 * table. A query's own alias or a derived table's column that no model has is an error in the
 * query, where the hint to migrate would mislead.
 */
export function unknownColumnOfSchema(name: string): boolean {
  const dot = name.lastIndexOf(".");
  const column = name.slice(dot + 1).toLowerCase();
  const qualifier = dot < 0 ? undefined : name.slice(0, dot);
  const tables = schemaColumns();
  // `db.table.column` when the server names the database too.
  const table =
    qualifier === undefined
      ? undefined
      : [qualifier, qualifier.slice(qualifier.indexOf(".") + 1)].find((t) => tables.has(t));
  if (table !== undefined) return tables.get(table)!.has(column);
  for (const columns of tables.values()) if (columns.has(column)) return true;
  return false;
}

/** The tables of the registered models and their join tables, each with its columns (lower case). */
function schemaColumns(): Map<string, Set<string>> {
  const tables = new Map<string, Set<string>>();
  const add = (table: string, columns: readonly string[]): void => {
    let known = tables.get(table);
    if (known === undefined) tables.set(table, (known = new Set()));
    for (const c of columns) known.add(c.toLowerCase());
  };
  for (const model of registeredModels()) {
    const meta = model.meta;
    add(
      meta.table,
      meta.fields.map((f) => f.column),
    );
    for (const r of meta.relations)
      if (r.through !== undefined)
        add(r.through.table, [r.through.sourceColumn, r.through.targetColumn]);
  }
  return tables;
}
