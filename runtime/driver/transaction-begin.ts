/**
 * The statement(s) that opens a transaction with its options (driver.ts TransactionOptions,
 * checked by runtime/transaction-mode.ts): Postgres `BEGIN ISOLATION LEVEL … READ ONLY
 * DEFERRABLE`, SQLite `BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`, MySQL two statements (below).
 * Built from those fixed words only.
 * The native Postgres engine builds the same text in native/src/pg/transaction_mode.rs.
 */
import type { TransactionOptions } from "./driver.js";

/** `BEGIN` with the mode's isolation level and access mode, in one statement. */
export function postgresBegin(mode: TransactionOptions | undefined): string {
  if (mode === undefined) return "BEGIN";
  let sql = "BEGIN";
  if (mode.isolation !== undefined) sql += ` ISOLATION LEVEL ${mode.isolation.toUpperCase()}`;
  if (mode.readOnly !== undefined) sql += mode.readOnly ? " READ ONLY" : " READ WRITE";
  if (mode.deferrable === true) sql += " DEFERRABLE";
  return sql;
}

/**
 * `BEGIN IMMEDIATE` unless the mode says otherwise. Literals for the three behaviors: the
 * driver finds its prepared statement by this text, and a literal's hash is computed once,
 * where text built per transaction is hashed anew.
 */
export function sqliteBegin(mode: TransactionOptions | undefined): string {
  const behavior = mode?.behavior;
  switch (behavior) {
    case undefined:
    case "immediate":
      return "BEGIN IMMEDIATE";
    case "deferred":
      return "BEGIN DEFERRED";
    case "exclusive":
      return "BEGIN EXCLUSIVE";
    default:
      // Checked before it gets here (transaction-mode.ts); a driver called directly gets SQLite's error.
      return `BEGIN ${String(behavior).toUpperCase()}`;
  }
}

/**
 * MySQL opens a transaction with `START TRANSACTION [READ ONLY | READ WRITE]`, which cannot
 * name an isolation level: `SET TRANSACTION ISOLATION LEVEL …` (no SESSION: it applies to the
 * next transaction only) goes first, on the same connection. The session's own level (READ
 * COMMITTED, mysql2/session.ts) is back for the transaction after.
 */
export function mysqlBegin(mode: TransactionOptions | undefined): readonly string[] {
  let start = "START TRANSACTION";
  if (mode?.readOnly !== undefined) start += mode.readOnly ? " READ ONLY" : " READ WRITE";
  if (mode?.isolation === undefined) return [start];
  return [`SET TRANSACTION ISOLATION LEVEL ${mode.isolation.toUpperCase()}`, start];
}
