/**
 * `YaraOrm.query(sql, params)` and `YaraOrm.execute(sql, params)`: statements outside any
 * model (Tortoise's `execute_query`), sent on the current connection — the transaction's inside
 * `inTransaction`, else the driver `YaraOrm.init` opened. Parameters are checked as `raw()`
 * checks them (model/raw-params.ts), the same on every driver.
 */
import { checkPlaceholders, checkSqlParams } from "./model/raw-params.js";
import type { Param } from "./driver/driver.js";
import { ValidationError } from "./errors.js";
import { currentDriver } from "./transaction.js";

/** One row of `YaraOrm.query`: column name → cell. */
export type SqlRow = Record<string, unknown>;

/**
 * The rows `sql` returns as plain objects keyed by column name, each cell as the driver reads
 * an untyped cell (`RowReader.value`): integers as numbers (as bigints past 2^53), text as
 * strings, NULL as null; the rest as the database hands it (see docs/api.md).
 */
export async function queryRows(sql: string, params: readonly Param[]): Promise<SqlRow[]> {
  const bound = checkSqlParams("YaraOrm.query", undefined, sql, params);
  const driver = currentDriver();
  checkPlaceholders("YaraOrm.query", undefined, driver.dialect, sql, bound);
  // SQLite hands exact integers only when asked (safe ones still come back as numbers); the
  // Postgres readers give bigints for every BIGINT when asked, so they are not: both dialects
  // then read a safe integer as a number and a larger one as a bigint.
  const result = await driver.query(sql, bound, { bigints: driver.dialect.untypedBigints });
  const { columns, reader } = result;
  const twice = columns.find((c, i) => columns.indexOf(c) !== i);
  if (twice !== undefined)
    throw new ValidationError(
      `YaraOrm.query: the result has two columns named "${twice}"; name them apart with AS`,
      undefined,
      undefined,
    );
  // A column named "__proto__" would set the prototype instead of adding the key.
  const proto = columns.indexOf("__proto__");
  const rows: SqlRow[] = [];
  for (let i = 0; i < result.rowCount; i++) {
    const row: SqlRow = {};
    for (let c = 0; c < columns.length; c++) {
      if (c === proto)
        Object.defineProperty(row, "__proto__", {
          value: reader.value(c, i),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else row[columns[c]!] = reader.value(c, i);
    }
    rows.push(row);
  }
  return rows;
}

/** Runs `sql` and resolves to the number of rows it changed (as the database reports it). */
export async function executeStatement(sql: string, params: readonly Param[]): Promise<number> {
  const bound = checkSqlParams("YaraOrm.execute", undefined, sql, params);
  const driver = currentDriver();
  checkPlaceholders("YaraOrm.execute", undefined, driver.dialect, sql, bound);
  return (await driver.execute(sql, bound)).rowCount;
}
