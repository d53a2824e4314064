/**
 * The MySQL errors that mean "this transaction lost to a concurrent one; run it again", as the
 * TransactionConflictError subclasses inTransaction's `retry` re-runs (transaction-retry.ts):
 * - 1213 ER_LOCK_DEADLOCK: InnoDB broke a deadlock by rolling this transaction back;
 * - 1020 ER_CHECKREAD ("Record has changed since last read"): a repeatable-read or
 *   serializable transaction wrote a row a concurrent one changed after its snapshot (MariaDB
 *   with `innodb_snapshot_isolation` on; Postgres' 40001).
 * A lock wait timeout (1205) stays a plain DatabaseError, as Postgres' lock_timeout does: it is
 * what `selectForUpdate({ nowait: true })` reports, it ends only the statement, not the
 * transaction, and nothing says a second run would not wait as long again.
 */
import { DeadlockError, SerializationError, type TransactionConflictError } from "../../errors.js";

export function conflictError(
  errno: number | undefined,
  code: string | undefined,
  message: string,
): TransactionConflictError | undefined {
  if (errno === 1213) return new DeadlockError(message, code ?? "ER_LOCK_DEADLOCK");
  if (errno === 1020) return new SerializationError(message, code ?? "ER_CHECKREAD");
  return undefined;
}
