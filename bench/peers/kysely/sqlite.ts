/** Kysely on better-sqlite3 (SqliteDialect): 0/1 booleans and ISO-8601 text datetimes converted. */
import { Kysely, SqliteDialect } from "kysely";
import type { BenchLibrary } from "../../runtime/rows.js";
import { openSqliteFile } from "../raw-better-sqlite3.js";
import { kyselyLibrary } from "./library.js";
import type { SqliteTables } from "./tables.js";

export async function openKyselySqlite(): Promise<BenchLibrary> {
  const db = new Kysely<SqliteTables>({
    dialect: new SqliteDialect({ database: openSqliteFile() }),
  });
  return kyselyLibrary(db, {
    yes: 1,
    readBool: (v) => v === 1,
    writeBool: (v) => (v ? 1 : 0),
    readInstant: (v) => new Date(v),
    writeInstant: (v) => v.toISOString(),
  });
}
