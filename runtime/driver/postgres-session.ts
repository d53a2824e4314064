/**
 * What both Postgres drivers share — the `pg` fallback and the native engine's — as the SQLite
 * drivers share sqlite-connection.ts. A subclass supplies its pool: a statement on any
 * connection, a connection leased for a transaction, closing. This class owns the session
 * protocol on top:
 * - a transaction holds one connection from BEGIN to COMMIT, nests with savepoints
 *   (PinnedConnection), rolls back on a throw, and reports a transaction Postgres aborted
 *   instead of committing it; a connection that cannot even roll back is closed, never
 *   returned to the pool half-open;
 * - the refusal to wait forever for connections the caller's own transactions hold, and close()
 *   letting running transactions finish, are pool-guard.ts's (shared with mysql2).
 * Errors arrive already mapped by the subclass (a server error through
 * postgres-server-error.ts, the rest in the words of its own client library).
 */
import type { Dialect } from "../dialect/dialect.js";
import { postgres } from "../dialect/postgres/index.js";
import { ConnectionError, TransactionError } from "../errors.js";
import type {
  Driver,
  DriverName,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";
import { PinnedConnection, type StatementRunner } from "./pinned-connection.js";
import { PoolGuard } from "./pool-guard.js";

/**
 * One connection held by a transaction. Its statements, BEGIN, COMMIT and ROLLBACK run on it
 * one after another in call order, so a ROLLBACK waits for statements the callback started and
 * did not await. Every method throws mapped YaraErrors.
 */
export interface PostgresLease extends StatementRunner {
  /** BEGIN with the options' isolation level and access mode, as one statement. */
  begin(options: TransactionOptions | undefined): Promise<void>;
  control(sql: "ROLLBACK"): Promise<void>;
  /** COMMIT; false when Postgres rolled back instead because a statement inside failed. */
  commit(): Promise<boolean>;
  /** Gives the connection back; with `broken` (why) closes it instead: its state is unknown. */
  release(broken: Error | undefined): void;
}

export const POSTGRES_CLOSED_MESSAGE =
  "this Postgres driver has been closed; call YaraOrm.init again";

export abstract class PostgresSessionDriver implements Driver {
  readonly dialect: Dialect = postgres;
  abstract readonly name: DriverName;
  abstract readonly maxParams: number;
  readonly #guard: PoolGuard;

  /** `poolMax`: the pool's size (pool.max). */
  protected constructor(poolMax: number) {
    this.#guard = new PoolGuard(poolMax, POSTGRES_CLOSED_MESSAGE);
  }

  /** Runs one statement on a pooled connection; throws a mapped YaraError. */
  protected abstract poolQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result>;
  protected abstract poolExecute(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<{ rowCount: number }>;
  /** Takes a connection for a transaction; throws a mapped YaraError. */
  protected abstract lease(): Promise<PostgresLease>;
  /**
   * Stops handing out connections (statements still waiting for one fail with a
   * ConnectionError), waits for those in use to come back, and closes every connection.
   */
  protected abstract closePool(): Promise<void>;

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.poolQuery(sql, params, options);
  }

  execute(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<{ rowCount: number }> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.poolExecute(sql, params, options);
  }

  /**
   * `options`: isolation level and access mode (`readOnly`, `deferrable`) of the one BEGIN
   * statement; SQLite's `behavior` is refused by inTransaction before it gets here.
   */
  async transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) throw refused;
    const lease = await this.lease();
    const conn = new PinnedConnection(this, lease, 1);
    let broken: Error | undefined;
    try {
      await lease.begin(options);
      let result: T;
      try {
        result = await this.#guard.holding(fn, conn);
      } catch (err) {
        await lease.control("ROLLBACK").catch((rollbackErr: Error) => (broken = rollbackErr));
        throw err;
      }
      if (!(await lease.commit())) {
        throw new TransactionError(
          "the transaction was rolled back instead of committed because a statement inside it failed " +
            "(Postgres aborts the whole transaction on an error); wrap a statement that may fail in a nested inTransaction",
        );
      }
      return result;
    } catch (err) {
      if (err instanceof ConnectionError) broken ??= err;
      throw err;
    } finally {
      conn.finish();
      lease.release(broken);
    }
  }

  /**
   * Refuses new statements at once, lets the statements and transactions holding connections
   * finish, then closes every connection; statements still waiting for a connection fail with a
   * ConnectionError. Called from inside a transaction (which close would wait for, and which
   * waits for close), it returns at once and the pool ends after that transaction.
   */
  close(): Promise<void> {
    return this.#guard.close(() => this.closePool());
  }
}
