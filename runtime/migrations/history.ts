/**
 * The `yara_migrations` table: one row per applied migration (name, checksum of its file,
 * applied_at), and the lock that makes two `migrate` processes take turns: every migration runs
 * in a transaction that first takes it — a transaction-scoped advisory lock on Postgres (keyed
 * by the schema, so databases sharing a server do not wait on each other), and BEGIN IMMEDIATE
 * on SQLite (which the SQLite drivers' transactions already are) — and then re-reads this table.
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
  if (conn.dialect === "postgres") {
    await conn.query("SELECT pg_advisory_xact_lock(2024061201, hashtext(current_schema()))", []);
  }
}

export async function ensureHistoryTable(conn: Driver): Promise<void> {
  const appliedAt = conn.dialect === "postgres" ? "TIMESTAMPTZ" : "TEXT";
  await conn.execute(
    `CREATE TABLE IF NOT EXISTS "${HISTORY_TABLE}" (\n  "name" VARCHAR(255) NOT NULL PRIMARY KEY,\n` +
      `  "checksum" VARCHAR(64) NOT NULL,\n  "applied_at" ${appliedAt} NOT NULL\n)`,
    [],
  );
}

export async function historyExists(driver: Driver): Promise<boolean> {
  const sql =
    driver.dialect === "postgres"
      ? "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
      : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
  const result = await driver.query(sql, [HISTORY_TABLE]);
  return result.rowCount > 0;
}

export async function readHistory(conn: Driver): Promise<AppliedMigration[]> {
  const appliedAt =
    conn.dialect === "postgres"
      ? `to_char("applied_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : `"applied_at"`;
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
  const now = conn.dialect === "postgres" ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  const params = conn.dialect === "postgres" ? "$1, $2" : "?, ?";
  await conn.execute(
    `INSERT INTO "${HISTORY_TABLE}" ("name", "checksum", "applied_at") VALUES (${params}, ${now})`,
    [name, checksum],
  );
}

export async function recordReverted(conn: Driver, name: string): Promise<void> {
  const param = conn.dialect === "postgres" ? "$1" : "?";
  await conn.execute(`DELETE FROM "${HISTORY_TABLE}" WHERE "name" = ${param}`, [name]);
}
