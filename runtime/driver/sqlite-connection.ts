/**
 * What every SQLite driver shares: one connection, statements run synchronously on the JS thread,
 * and an async mutex that only matters while a transaction (or other long work) holds the
 * connection, when everything else queues behind it in order. A subclass supplies the
 * statement runners and the connection's BEGIN/COMMIT/close; this class owns the queueing,
 * the transaction protocol and close-while-busy.
 */
import type { Dialect } from "../dialect/dialect.js";
import { sqlite } from "../dialect/sqlite/index.js";
import { TransactionError } from "../errors.js";
import type {
  Driver,
  DriverName,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";
import { scopes, type AsyncScope } from "./async-context.js";
import { AsyncMutex } from "./mutex.js";
import { PinnedConnection, type StatementRunner } from "./pinned-connection.js";
import { explainForeignKey } from "./sqlite-foreign-key.js";
import { sqliteBegin } from "./transaction-begin.js";

/** SQLITE_MAX_VARIABLE_NUMBER when the library does not report one (SQLite's own since 3.32). */
const DEFAULT_MAX_PARAMS = 32_766;

export abstract class SqliteConnectionDriver implements Driver {
  readonly dialect: Dialect = sqlite;
  abstract readonly name: DriverName;
  protected readonly mutex = new AsyncMutex();
  #maxParams: number | undefined;
  /** Runs on the connection directly, for a transaction's pinned connection. */
  readonly #direct: StatementRunner = {
    // settle() inlined, as in `query`: a transaction's statements allocate no closure.
    query: (sql, params, options) => {
      try {
        return Promise.resolve(this.runQuery(sql, params, options));
      } catch (err) {
        return Promise.reject(this.#explain(err, sql, params));
      }
    },
    execute: (sql, params) => settle(() => this.#execute(sql, params)),
    querySync: (sql, params, options) => this.#query(sql, params, options),
  };

  /** Runs a statement now, on the JS thread; throws a mapped YaraError. */
  protected abstract runQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Result;
  protected abstract runExecute(sql: string, params: readonly Param[]): { rowCount: number };
  /** BEGIN / COMMIT / ROLLBACK; throws a mapped YaraError (a ConnectionError once closed). */
  protected abstract control(sql: string): void;
  /** Open and inside a transaction: SQLite may have rolled back on its own (e.g. SQLITE_FULL). */
  protected abstract inOpenTransaction(): boolean;
  /** Closes the connection; a no-op when it is closed already. */
  protected abstract closeConnection(): void;

  /**
   * The SQLITE_MAX_VARIABLE_NUMBER this connection's SQLite was built with, as
   * `PRAGMA compile_options` reports it (asked once; both drivers bundle their own SQLite).
   */
  get maxParams(): number {
    this.#maxParams ??= this.#compiledMaxParams();
    return this.#maxParams;
  }

  #compiledMaxParams(): number {
    try {
      const { rowCount, reader } = this.runQuery("PRAGMA compile_options", []);
      for (let row = 0; row < rowCount; row++) {
        const option = /^MAX_VARIABLE_NUMBER=(\d+)$/.exec(reader.text(0, row));
        if (option?.[1] !== undefined) return Number(option[1]);
      }
    } catch {
      /* closed: nothing will be bound anyway */
    }
    return DEFAULT_MAX_PARAMS;
  }

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    if (this.mutex.locked) return this.queued(() => this.#query(sql, params, options));
    // settle() inlined: the hot path allocates no closure.
    try {
      return Promise.resolve(this.runQuery(sql, params, options));
    } catch (err) {
      return Promise.reject(this.#explain(err, sql, params));
    }
  }

  /** See `Driver.querySync`: undefined while the mutex is held (a transaction, `queryAsync`). */
  querySync(sql: string, params: readonly Param[], options?: QueryOptions): Result | undefined {
    return this.mutex.locked ? undefined : this.#query(sql, params, options);
  }

  execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    if (this.mutex.locked) return this.queued(() => this.#execute(sql, params));
    return settle(() => this.#execute(sql, params));
  }

  #query(sql: string, params: readonly Param[], options?: QueryOptions): Result {
    try {
      return this.runQuery(sql, params, options);
    } catch (err) {
      throw this.#explain(err, sql, params);
    }
  }

  #execute(sql: string, params: readonly Param[]): { rowCount: number } {
    try {
      return this.runExecute(sql, params);
    } catch (err) {
      throw this.#explain(err, sql, params);
    }
  }

  /** A foreign-key failure with its constraint, table and column found (sqlite-foreign-key.ts). */
  #explain(err: unknown, sql: string, params: readonly Param[]): unknown {
    return explainForeignKey(
      err,
      {
        runQuery: (q, p, o) => this.runQuery(q, p, o),
        runExecute: (q, p) => this.runExecute(q, p),
      },
      sql,
      params,
    );
  }

  /**
   * Holds the connection from BEGIN to COMMIT; other transactions and statements wait. Used from
   * inside the transaction's own callback, this driver fails fast instead (see `queued`).
   * `foreignKeysOff`: the pragmas around BEGIN and COMMIT run while the mutex is held.
   */
  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.mutex.locked && this.mutex.heldByCaller()) return Promise.reject(reentryError());
    if (options?.foreignKeysOff === true) {
      return this.mutex.run(async () => {
        this.#execute("PRAGMA foreign_keys = OFF", []);
        try {
          return await this.#transaction(fn, options, false);
        } finally {
          this.#execute("PRAGMA foreign_keys = ON", []);
        }
      });
    }
    if (this.mutex.locked) return this.mutex.run(() => this.#transaction(fn, options, false));
    return this.#transaction(fn, options, true);
  }

  /**
   * BEGIN … COMMIT around `fn`, ROLLBACK on a throw. With `own`, it takes the free mutex itself
   * (`mutex.enter()`, in the same call) and runs `fn` in the holder's async scope, where
   * `mutex.run` would add an async function around it. Not an async function itself: COMMIT
   * and ROLLBACK run in one `then` on `fn`'s promise, one promise where an async function and
   * its `await` make two — and once a transaction has enabled the async context every promise
   * costs a hook (async-context.ts). Without `own`, the caller holds the mutex through `run`.
   */
  #transaction<T>(
    fn: (conn: Driver) => Promise<T>,
    options: TransactionOptions | undefined,
    own: boolean,
  ): Promise<T> {
    const scope = own ? this.mutex.enter() : undefined;
    let conn: PinnedConnection;
    try {
      this.control(sqliteBegin(options));
      conn = new PinnedConnection(this, this.#direct, 1);
    } catch (err) {
      if (own) this.mutex.exit();
      return Promise.reject(err);
    }
    let work: Promise<T>;
    try {
      // A promise comes back as it is; anything else from untyped code is awaited as `await` would.
      work = Promise.resolve(scope === undefined ? fn(conn) : scopes.run(scope, fn, conn));
    } catch (err) {
      work = Promise.reject(err);
    }
    return work.then(
      (result) => {
        try {
          this.control("COMMIT");
        } catch (err) {
          this.#rollBack(conn, own);
          throw err;
        }
        this.#end(conn, own);
        return result;
      },
      (err: unknown) => {
        this.#rollBack(conn, own);
        throw err;
      },
    );
  }

  /** After a throw (or a failed COMMIT): ROLLBACK if SQLite has not already, then the end. */
  #rollBack(conn: PinnedConnection, own: boolean): void {
    if (this.inOpenTransaction()) {
      try {
        this.control("ROLLBACK");
      } catch {
        /* the original error matters more */
      }
    }
    this.#end(conn, own);
  }

  /** The transaction's connection refuses further statements; the mutex goes to the next. */
  #end(conn: PinnedConnection, own: boolean): void {
    conn.finish();
    if (own) this.mutex.exit();
  }

  /**
   * Lets the open transaction and the statements already waiting for it finish, then closes the
   * connection; statements after close fail with a ConnectionError. Called from inside a
   * transaction (which close would wait for, and which waits for close), it returns at once and
   * the connection closes after that transaction.
   */
  close(): Promise<void> {
    if (!this.mutex.locked) return settle(() => this.closeConnection());
    const closing = this.mutex.run(async () => this.closeConnection());
    if (!this.mutex.heldByCaller()) return closing;
    closing.catch(() => undefined);
    return Promise.resolve();
  }

  /**
   * A statement arriving while a transaction holds the connection waits for it — unless it comes
   * from inside that transaction's callback, which awaits it: waiting there would never end.
   */
  protected queued<T>(run: () => T): Promise<T> {
    if (this.mutex.heldByCaller()) return Promise.reject(reentryError());
    return this.mutex.run(async () => run());
  }
}

/** Runs a synchronous statement and hands its outcome over as a settled promise. */
export function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}

export function reentryError(): TransactionError {
  return new TransactionError(
    "a statement was sent to the database driver itself (e.g. YaraOrm.driver) from inside a transaction " +
      "on the same SQLite connection: it would wait for that transaction, which waits for it, forever. " +
      "Run it on the connection passed to the transaction callback (model calls inside inTransaction do so on their own)",
  );
}
