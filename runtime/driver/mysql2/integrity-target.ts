/**
 * Names the table and columns of a MariaDB unique or not-null violation, as Postgres and SQLite
 * report them. MariaDB's messages name the key ("Duplicate entry … for key 'books_title_key'")
 * or the column ("Column 'title' cannot be null") but never the table, so the table is the one
 * the failed statement writes to — and only when that is certain:
 * - the statement writes one table: `INSERT INTO t …`, `UPDATE t SET …`, or `UPDATE t INNER
 *   JOIN (SELECT …)` (bulkUpdate; a derived table cannot be written). A multi-table UPDATE, a
 *   qualified name or anything else names no table;
 * - the table has no trigger, which could have written another table;
 * - the server confirms it: the key exists on that table (its columns, in key order, are the
 *   `column`), or the column exists there and is NOT NULL.
 * The server is asked (bound values, prepared statements) on the failed statement's connection, on the error path only. A key
 * MariaDB calls PRIMARY is reported as `<table>_pkey`, the name Postgres and SQLite give it
 * (constraint-name.ts).
 */
import type { PoolConnection } from "mysql2/promise";
import { constraintIdentifier } from "../../dialect/constraint-name.js";
import { IntegrityError } from "../../errors.js";

/** The table a single-table INSERT or UPDATE writes to; group 1 quoted, group 2 bare. */
const WRITTEN =
  /^\s*(?:INSERT\s+(?:IGNORE\s+)?INTO|UPDATE)\s+(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(?:\(|VALUES\b|SELECT\b|SET\b|INNER\s+JOIN\s*\(\s*SELECT\b)/i;

export function writtenTable(sql: string): string | undefined {
  const m = WRITTEN.exec(sql);
  if (m === null) return undefined;
  return m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2];
}

/** `err` with its table and columns when the server confirms them, else `err` as it was. */
export async function withIntegrityTarget(
  conn: PoolConnection,
  sql: string,
  err: IntegrityError,
): Promise<IntegrityError> {
  if ((err.kind !== "unique" && err.kind !== "not_null") || err.table !== undefined) return err;
  const table = writtenTable(sql);
  if (table === undefined) return err;
  try {
    const [triggers] = await conn.execute({
      sql: "SELECT 1 FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? LIMIT 1",
      values: [table],
      rowsAsArray: true,
    });
    if ((triggers as unknown[]).length > 0) return err;
    if (err.kind === "unique") {
      if (err.constraint === undefined) return err;
      const [rows] = await conn.execute({
        sql:
          "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() " +
          "AND TABLE_NAME = ? AND INDEX_NAME = ? AND NON_UNIQUE = 0 ORDER BY SEQ_IN_INDEX",
        values: [table, err.constraint],
        rowsAsArray: true,
      });
      const columns = (rows as [string][]).map((r) => String(r[0]));
      if (columns.length === 0) return err;
      const constraint =
        err.constraint === "PRIMARY" ? constraintIdentifier(table, [], "pkey") : err.constraint;
      return rebuilt(err, table, columns.join(", "), constraint);
    }
    if (err.column === undefined) return err;
    const [rows] = await conn.execute({
      sql:
        "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() " +
        "AND TABLE_NAME = ? AND COLUMN_NAME = ? AND IS_NULLABLE = 'NO'",
      values: [table, err.column],
      rowsAsArray: true,
    });
    if ((rows as unknown[]).length === 0) return err;
    return rebuilt(err, table, err.column, err.constraint);
  } catch {
    // The lookup failing (a broken connection) changes nothing: the statement's error stands.
    return err;
  }
}

function rebuilt(
  err: IntegrityError,
  table: string,
  column: string,
  constraint: string | undefined,
): IntegrityError {
  const message =
    err.kind === "unique"
      ? `Duplicate entry for key '${constraint}' of table '${table}'`
      : `${err.message} (table '${table}')`;
  return new IntegrityError(message, {
    kind: err.kind,
    code: err.code,
    constraint,
    table,
    column,
    cause: err.cause,
  });
}
