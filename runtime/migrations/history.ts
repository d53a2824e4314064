/**
 * The `yara_migrations` table: one row per applied migration (name, checksum of its file,
 * applied_at), and the lock that makes two `migrate` processes take turns: every migration runs
 * in a transaction that first takes it (the dialect's `migrations.lockSql`: a transaction-scoped
 * advisory lock on Postgres; nothing on SQLite, whose transactions are BEGIN IMMEDIATE already)
 * and then re-reads this table.
 */
import type { Driver } from "../driver/driver.js";

export const HISTORY_TABLE = "yara_migrations";

export interface AppliedMigration {
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: string;
}

/** Inside a transaction: waits for any other migrating process, then holds it off until commit. */
export async function takeMigrationLock(conn: Driver): Promise<void> {
  const lock = conn.dialect.migrations.lockSql;
  if (lock !== undefined) await conn.query(lock, []);
}

export async function ensureHistoryTable(conn: Driver): Promise<void> {
  const appliedAt = conn.dialect.migrations.appliedAtType;
  await conn.execute(
    `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" (\n  "name" VARCHAR(255) NOT NULL PRIMARY KEY,\n` +
      `  "checksum" VARCHAR(64) NOT NULL,\n  "applied_at" ${appliedAt} NOT NULL\n)`,
    [],
  );
}

export async function historyExists(driver: Driver): Promise<boolean> {
  const result = await driver.query(driver.dialect.migrations.tableExistsSql, [HISTORY_TABLE]);
  return result.rowCount > 0;
}

export async function readHistory(conn: Driver): Promise<AppliedMigration[]> {
  const appliedAt = conn.dialect.migrations.appliedAtText;
  const result = await conn.query(
    `SELECT "name", "checksum", ${appliedAt} FROM "${HISTORY_TABLE}" ORDER BY "name"`,
    [],
  );
  const rows: AppliedMigration[] = [];
  for (let i = 0; i < result.rowCount; i++) {
    rows.push({
      name: result.reader.text(0, i),
      checksum: result.reader.text(1, i),
      appliedAt: result.reader.text(2, i),
    });
  }
  return rows;
}

export async function recordApplied(conn: Driver, name: string, checksum: string): Promise<void> {
  const now = conn.dialect.migrations.now;
  const params = `${placeholder(conn, 1)}, ${placeholder(conn, 2)}`;
  await conn.execute(
    `INSERT INTO "${HISTORY_TABLE}" ("name", "checksum", "applied_at") VALUES (${params}, ${now})`,
    [name, checksum],
  );
}

export async function recordReverted(conn: Driver, name: string): Promise<void> {
  const param = placeholder(conn, 1);
  await conn.execute(`DELETE FROM "${HISTORY_TABLE}" WHERE "name" = ${param}`, [name]);
}

function placeholder(conn: Driver, index: number): string {
  return conn.dialect.compiler.placeholder(index);
}
