/**
 * What both Postgres drivers share — the `pg` fallback and the native engine's — as the SQLite
 * drivers share sqlite-connection.ts. A subclass supplies its pool: a statement on any
 * connection, a connection leased for a transaction, closing. This class owns the session
 * protocol on top:
 * - a transaction holds one connection from BEGIN to COMMIT, nests with savepoints
 *   (PinnedConnection), rolls back on a throw, and reports a transaction Postgres aborted
 *   instead of committing it; a connection that cannot even roll back is closed, never
 *   returned to the pool half-open;
 * - the async context of a transaction's callback is marked as holding a connection, so a
 *   statement sent to the driver itself from there, while such transactions hold every
 *   connection of the pool, fails fast instead of waiting forever;
 * - close() refuses new work at once and lets running transactions finish.
 * Errors arrive already mapped by the subclass (a server error through
 * postgres-server-error.ts, the rest in the words of its own client library).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Dialect } from "../dialect/dialect.js";
import { postgres } from "../dialect/postgres/index.js";
import { ConnectionError, TransactionError, type YaraError } from "../errors.js";
import type {
  Driver,
  DriverName,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";
import { PinnedConnection, type StatementRunner } from "./pinned-connection.js";

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

/** A transaction the current async context runs inside, and those around it. */
interface Hold {
  readonly driver: PostgresSessionDriver;
  open: boolean;
  readonly outer: Hold | undefined;
}

/** One storage for every driver: each AsyncLocalStorage in use adds work to every promise. */
const holding = new AsyncLocalStorage<Hold>();

export const POSTGRES_CLOSED_MESSAGE =
  "this Postgres driver has been closed; call YaraOrm.init again";

export abstract class PostgresSessionDriver implements Driver {
  readonly dialect: Dialect = postgres;
  abstract readonly name: DriverName;
  abstract readonly maxParams: number;
  #closed = false;
  #ended: Promise<void> | undefined;

  protected constructor(
    /** The pool's size (pool.max): transactions holding that many leave none for the driver. */
    private readonly poolMax: number,
  ) {}

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
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.poolQuery(sql, params, options);
  }

  execute(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<{ rowCount: number }> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.poolExecute(sql, params, options);
  }

  /**
   * `options`: isolation level and access mode (`readOnly`, `deferrable`) of the one BEGIN
   * statement; SQLite's `behavior` is refused by inTransaction before it gets here.
   */
  async transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const refused = this.#refusal();
    if (refused !== undefined) throw refused;
    const lease = await this.lease();
    const conn = new PinnedConnection(this, lease, 1);
    let broken: Error | undefined;
    try {
      await lease.begin(options);
      let result: T;
      try {
        result = await this.#holding(fn, conn);
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
    this.#closed = true;
    this.#ended ??= this.closePool();
    if (this.#openHolds() > 0) {
      this.#ended.catch(() => undefined);
      return Promise.resolve();
    }
    return this.#ended;
  }

  /** Why a statement or transaction on the driver itself cannot start now, if it cannot. */
  #refusal(): YaraError | undefined {
    if (this.#closed) return new ConnectionError(POSTGRES_CLOSED_MESSAGE);
    const held = this.#openHolds();
    if (held >= this.poolMax) {
      // Transactions of this context hold every connection and await this statement.
      return new TransactionError(
        `a statement was sent to the database driver itself (e.g. YaraOrm.driver) from inside a transaction, ` +
          `but the transaction${held > 1 ? "s" : ""} it runs in hold${held > 1 ? "" : "s"} all ${this.poolMax} ` +
          "connection(s) of the pool (pool.max), so it would wait for them forever. Run it on the connection " +
          "passed to the transaction callback (model calls inside inTransaction do so on their own), or raise pool.max",
      );
    }
    return undefined;
  }

  /** Runs a transaction's callback, marking its async context as holding one connection. */
  async #holding<T, A>(fn: (arg: A) => Promise<T>, arg: A): Promise<T> {
    const hold: Hold = { driver: this, open: true, outer: holding.getStore() };
    try {
      return await holding.run(hold, fn, arg);
    } finally {
      hold.open = false;
    }
  }

  /** How many transactions of this driver the current async context runs inside. */
  #openHolds(): number {
    let held = 0;
    for (let h = holding.getStore(); h !== undefined; h = h.outer) {
      if (h.open && h.driver === this) held++;
    }
    return held;
  }
}
