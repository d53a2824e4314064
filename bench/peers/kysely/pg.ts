/** Kysely on node-postgres (PostgresDialect over a pg Pool). */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { BenchLibrary } from "../../runtime/rows.js";
import { POOL_MAX, PG_URL } from "../../runtime/targets.js";
import { kyselyLibrary } from "./library.js";
import type { PgTables } from "./tables.js";

export async function openKyselyPg(): Promise<BenchLibrary> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: POOL_MAX });
  const db = new Kysely<PgTables>({ dialect: new PostgresDialect({ pool }) });
  return kyselyLibrary(db, {
    yes: true,
    readBool: (v) => v,
    writeBool: (v) => v,
    readInstant: (v) => v,
    writeInstant: (v) => v,
  });
}
