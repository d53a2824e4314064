/**
 * Kysely on mysql2 (MysqlDialect over a mysql2 pool), 0/1 booleans converted.
 * MariaDB has INSERT … RETURNING (10.5+) and Kysely's MySQL compiler emits `.returning()` as
 * written, but its MySQL adapter says RETURNING is unsupported and drops the rows; the dialect
 * here is MysqlDialect with an adapter that keeps them (Kysely's way to describe a database).
 */
import { Kysely, MysqlAdapter, MysqlDialect, type DialectAdapter } from "kysely";
import type { BenchLibrary } from "../../runtime/rows.js";
import { mysql2Pool } from "../mysql2-pool.js";
import { kyselyLibrary } from "./library.js";
import type { MysqlTables } from "./tables.js";

class MariadbAdapter extends MysqlAdapter {
  override get supportsReturning(): boolean {
    return true;
  }
}

class MariadbDialect extends MysqlDialect {
  override createAdapter(): DialectAdapter {
    return new MariadbAdapter();
  }
}

export async function openKyselyMysql(): Promise<BenchLibrary> {
  const db = new Kysely<MysqlTables>({ dialect: new MariadbDialect({ pool: mysql2Pool() }) });
  return kyselyLibrary(db, {
    yes: 1,
    readBool: (v) => v === 1,
    writeBool: (v) => (v ? 1 : 0),
    readInstant: (v) => v,
    writeInstant: (v) => v,
  });
}
