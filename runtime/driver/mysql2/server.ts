/**
 * What the mysql2 driver reads from the server once, when it connects: the version (which
 * servers yara refuses, session.ts), and the facts that choose the dialect variant
 * (dialect/mysql/flavour.ts): INSERT … RETURNING, and how a multi-row INSERT numbers its rows.
 */
import type { PoolConnection } from "mysql2/promise";
import type { MysqlInsertFacts } from "../../dialect/mysql/flavour.js";
import type { MysqlRow } from "./reader.js";

export interface MysqlServer extends MysqlInsertFacts {
  /** `VERSION()`: "10.11.6-MariaDB-0+deb12u1", "8.0.36". */
  readonly version: string;
}

/** The first MariaDB with INSERT … RETURNING. */
const RETURNING_SINCE: readonly [number, number] = [10, 5];

/** Whether the server reporting `version` has INSERT … RETURNING (MariaDB 10.5+, no MySQL). */
export function hasInsertReturning(version: string): boolean {
  if (!/mariadb/i.test(version)) return false;
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  return (
    major > RETURNING_SINCE[0] || (major === RETURNING_SINCE[0] && minor >= RETURNING_SINCE[1])
  );
}

type Adjust = (server: MysqlServer) => MysqlServer;
let adjust: Adjust | undefined;

/**
 * Tests only: the drivers opened from now on see the server through `change` (undefined: as it
 * is), so the paths for servers without INSERT … RETURNING, or with interleaved AUTO_INCREMENT
 * locking, run against the MariaDB at hand. Not exported from the package.
 */
export function adjustMysqlServerForTests(change: Adjust | undefined): void {
  adjust = change;
}

export async function readServer(conn: PoolConnection): Promise<MysqlServer> {
  const [rows] = await conn.query({
    sql: "SELECT VERSION(), @@innodb_autoinc_lock_mode, @@auto_increment_increment",
    rowsAsArray: true,
  });
  const [version, lockMode, increment] = (rows as MysqlRow[])[0]!;
  const server: MysqlServer = {
    version: String(version),
    returning: hasInsertReturning(String(version)),
    autoincLockMode: Number(lockMode),
    autoIncrementIncrement: Number(increment),
  };
  return adjust === undefined ? server : adjust(server);
}
