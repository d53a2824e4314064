/**
 * The MySQL dialect as one server needs it: the driver reads what differs between servers when
 * it connects (mysql2/server.ts) and asks for the Dialect object here. A server with
 * INSERT … RETURNING (MariaDB 10.5 and later) gets `mysql` itself; one without gets a variant
 * saying so, and how its multi-row INSERTs number their rows. The variants are kept, one per
 * kind, so per-dialect caches see the same object on every connection.
 */
import type { Dialect } from "../dialect.js";
import { mysql } from "./index.js";

/** What the driver read from the server. */
export interface MysqlInsertFacts {
  /** INSERT … RETURNING: MariaDB 10.5 and later; no MySQL. */
  readonly returning: boolean;
  /** `@@innodb_autoinc_lock_mode`: 0 and 1 number a multi-row INSERT's rows consecutively. */
  readonly autoincLockMode: number;
  /** `@@auto_increment_increment`: the distance between two consecutive keys. */
  readonly autoIncrementIncrement: number;
}

const variants = new Map<number | undefined, Dialect>();

export function mysqlDialectFor(facts: MysqlInsertFacts): Dialect {
  if (facts.returning) return mysql;
  const step =
    facts.autoincLockMode === 0 || facts.autoincLockMode === 1
      ? facts.autoIncrementIncrement
      : undefined;
  let dialect = variants.get(step);
  if (dialect === undefined) {
    dialect = {
      ...mysql,
      supports: { ...mysql.supports, insertReturning: false },
      ...(step === undefined ? {} : { insertIdStep: step }),
    };
    variants.set(step, dialect);
  }
  return dialect;
}
