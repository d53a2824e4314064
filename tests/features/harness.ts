/**
 * Runs a feature test file once per database × driver (tests/support/targets.ts), each on its
 * own isolated database with the schema of ./app.schema.ts created.
 */
import { afterAll, beforeEach, describe, expect } from "vitest";
import type { QueryEvent } from "../../runtime/driver/driver.js";
import { currentDriver } from "../../runtime/transaction.js";
import { isolate, targets, useDatabase, type Target } from "../support/targets.js";
import { Author, Book, Item, Profile, Review, Tag } from "./generated/index.js";

export { isolate, type Target };

const statements: QueryEvent[] = [];

export function forEachTarget(body: (target: Target) => void): void {
  for (const target of targets()) {
    describe(target.name, () => {
      // With a replica (YARA_REPLICA_SUITE=1): the reads the file made, by the server that ran them.
      const reads = { replica: 0, primary: 0 };
      useDatabase(target, {
        log: (event) => {
          statements.push(event);
          if (event.sql.startsWith("SELECT") && event.connection !== undefined)
            reads[event.connection === "replica" ? "replica" : "primary"]++;
        },
      });
      if (target.replicaUrl !== undefined)
        afterAll(() => {
          // The router sent this file's reads outside transactions to the replica.
          if (reads.replica + reads.primary > 0) expect(reads.replica).toBeGreaterThan(0);
        });
      beforeEach(() => {
        statements.length = 0;
      });
      body(target);
    });
  }
}

/** The statements sent to the database since the test started (or since the last call). */
export function takeStatements(): Array<{ sql: string; params: readonly unknown[] }> {
  return statements.splice(0).map(({ sql, params }) => ({ sql, params }));
}

/** Deletes every row, children first, so each test starts from empty tables and an empty log. */
export async function resetData(): Promise<void> {
  await Review.all().delete();
  await Profile.all().delete();
  await Book.all().delete();
  await Author.all().delete();
  await Tag.all().delete();
  await Item.all().delete();
  statements.length = 0;
}

/**
 * True when the connection reads written rows back by key after the INSERT, having no
 * INSERT … RETURNING (YARA_MYSQL_WITHOUT_RETURNING, tests/support/targets.ts).
 */
export function insertsReadBack(): boolean {
  return !currentDriver().dialect.supports.insertReturning;
}

/**
 * The statements an `INSERT … RETURNING` of one row of `table` (key column "id") is sent as:
 * itself, or without RETURNING and then a SELECT of the row by its key (MySQL's list form).
 */
export function insertedOne(
  insert: { sql: string; params: readonly unknown[] },
  table: string,
  columns: string,
  id: unknown,
): Array<{ sql: string; params: readonly unknown[] }> {
  if (!insertsReadBack()) return [insert];
  return [
    { sql: insert.sql.replace(/ RETURNING .*$/, ""), params: insert.params },
    {
      sql: `SELECT ${columns} FROM "${table}" WHERE "${table}"."id" IN (SELECT "v" FROM JSON_TABLE(?, '$[*]' COLUMNS ("v" BIGINT PATH '$')) AS "yara_in")`,
      params: [`[${String(id)}]`],
    },
  ];
}

/** The error `p` rejects with, or undefined when it resolves. */
export async function rejects(p: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(p).then(
    () => undefined,
    (e: unknown) => e,
  );
}

/**
 * The Postgres text of a statement as `target` sends it: `?` placeholders elsewhere (`+?` on
 * SQLite where the value is compared, as `… = $n` or `… > $n`, but not where an UPDATE's SET
 * assigns it, `SET "column" = $n`), and a list parameter (`= ANY($n)`) read with json_each on
 * SQLite, with JSON_TABLE on MySQL (as `type`, the column type of the listed values: BIGINT for
 * keys).
 */
export function sqlFor(target: Target, postgres: string, type = "BIGINT"): string {
  if (target.dialect === "postgres") return postgres;
  const list =
    target.dialect === "mysql"
      ? ` IN (SELECT "v" FROM JSON_TABLE(?, '$[*]' COLUMNS ("v" ${type} PATH '$')) AS "yara_in")`
      : " IN (SELECT value FROM json_each(?))";
  let sql = postgres.replace(/ = ANY\(\$\d+\)/g, () => list);
  if (target.dialect === "sqlite")
    sql = sql
      .replace(/((?:SET |, )"[^"]+" = )\$\d+/g, "$1?")
      .replace(/ (=|<>|<=|>=|<|>) \$\d+/g, " $1 +?");
  sql = sql.replace(/\$\d+/g, "?");
  if (target.dialect === "mysql")
    sql = sql
      .replace(/ ON CONFLICT \(("[^"]+")[^)]*\) DO NOTHING/g, " ON DUPLICATE KEY UPDATE $1 = $1")
      .replace(
        / ON CONFLICT \([^)]*\) DO UPDATE SET (.*?)(?= RETURNING|$)/,
        (_m, set: string) =>
          ` ON DUPLICATE KEY UPDATE ${set.replace(/EXCLUDED\.("[^"]+")/g, "VALUES($1)")}`,
      );
  return sql;
}

/**
 * The placeholder of the `n`th parameter where the statement compares it (`… = $n`, `… > $n`)
 * as `target` writes it: `$n` on Postgres, `+?` on SQLite, `?` on MySQL.
 */
export function compared(target: Target, n: number): string {
  return target.dialect === "postgres" ? `$${n}` : target.dialect === "sqlite" ? "+?" : "?";
}

/**
 * A select list as a statement with parameters sends it on `target`: on MySQL its `dates`
 * columns as the server's text, `CAST(… AS CHAR)` (docs/mysql.md); elsewhere as written.
 */
export function boundColumns(target: Target, columns: string, dates: readonly string[]): string {
  if (target.dialect !== "mysql") return columns;
  return columns.replace(/"([^"]+)"\."([^"]+)"/g, (whole, _table: string, column: string) =>
    dates.includes(column) ? `CAST(${whole} AS CHAR) AS "${column}"` : whole,
  );
}
