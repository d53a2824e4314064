/**
 * The `Driver` a transaction hands to its callback: every statement runs on the one connection
 * the transaction holds, `transaction()` on it nests with a SAVEPOINT, and once the transaction
 * has finished the object refuses further use (its connection may already serve someone else).
 * Savepoints opened on the same connection object run one after another, so two concurrent
 * nested transactions cannot interleave their SAVEPOINT / RELEASE statements.
 */
import type {
  CopyInsertRequest,
  Driver,
  DriverName,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { AsyncMutex } from "./mutex.js";
import { TransactionError } from "../errors.js";

/** Runs statements on the held connection; errors arrive already mapped to yara errors. */
export interface StatementRunner {
  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result>;
  execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }>;
  /** `Driver.querySync` on this connection, where statements run on the JS thread (SQLite). */
  querySync?(sql: string, params: readonly Param[], options?: QueryOptions): Result;
  /** `Driver.copyInsert` on this connection, where the driver has one. */
  copyInsert?(request: CopyInsertRequest): Promise<Result | undefined>;
}

const NO_PARAMS: readonly Param[] = [];

/** What a transaction's connection reports as its driver does. */
export type DriverFacts = Pick<Driver, "dialect" | "name" | "maxParams">;

export class PinnedConnection implements Driver {
  readonly dialect: Dialect;
  readonly name: DriverName;
  readonly maxParams: number;
  #finished = false;
  #savepoints = 0;
  readonly #children = new AsyncMutex();

  constructor(
    owner: DriverFacts,
    private readonly runner: StatementRunner,
    /** 1 for the outermost transaction's connection. */
    readonly depth: number,
  ) {
    this.dialect = owner.dialect;
    this.name = owner.name;
    this.maxParams = owner.maxParams;
    const copy = runner.copyInsert;
    if (copy !== undefined) {
      this.copyInsert = (request) => {
        if (this.#finished) return Promise.reject(finishedError());
        return copy.call(runner, request);
      };
    }
  }

  readonly copyInsert?: (request: CopyInsertRequest) => Promise<Result | undefined>;

  /** Called by the owner when its transaction (or savepoint) ends. */
  finish(): void {
    this.#finished = true;
  }

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    if (this.#finished) return Promise.reject(finishedError());
    return this.runner.query(sql, params, options);
  }

  /**
   * The statement run now on the held connection, when the runner can (SQLite): a create()
   * inside a transaction decodes its row without waiting for a promise. Undefined, having sent
   * nothing, where it cannot; a finished transaction throws, as `query` rejects.
   */
  querySync(sql: string, params: readonly Param[], options?: QueryOptions): Result | undefined {
    if (this.#finished) throw finishedError();
    return this.runner.querySync?.(sql, params, options);
  }

  execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    if (this.#finished) return Promise.reject(finishedError());
    return this.runner.execute(sql, params);
  }

  /** A savepoint keeps the transaction's isolation and locking: `options` asking for any is refused. */
  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.#finished) return Promise.reject(finishedError());
    const mode = (["isolation", "readOnly", "deferrable", "behavior"] as const).filter(
      (key) => options?.[key] !== undefined,
    );
    if (mode.length > 0) {
      return Promise.reject(
        new TransactionError(
          `a nested transaction (a savepoint) cannot set ${mode.join(", ")}: the outermost transaction decides them`,
        ),
      );
    }
    if (this.#children.locked && this.#children.heldByCaller()) {
      return Promise.reject(
        new TransactionError(
          "a nested transaction was opened on an outer transaction's connection from inside a savepoint of that " +
            "same connection: it would wait for the savepoint, which waits for it, forever. Use the connection " +
            "passed to the innermost transaction callback (inTransaction does so on its own)",
        ),
      );
    }
    return this.#children.run(async () => {
      const savepoint = `yara_sp_${this.depth}_${++this.#savepoints}`;
      await this.runner.execute(`SAVEPOINT ${savepoint}`, NO_PARAMS);
      const child = new PinnedConnection(this, this.runner, this.depth + 1);
      try {
        const result = await fn(child);
        await this.runner.execute(`RELEASE SAVEPOINT ${savepoint}`, NO_PARAMS);
        return result;
      } catch (err) {
        // If even this fails the connection is broken; the outer transaction finds out on its
        // own ROLLBACK, so the caller sees the error that caused the rollback.
        await this.runner
          .execute(`ROLLBACK TO SAVEPOINT ${savepoint}`, NO_PARAMS)
          .then(() => this.runner.execute(`RELEASE SAVEPOINT ${savepoint}`, NO_PARAMS))
          .catch(() => undefined);
        throw err;
      } finally {
        child.finish();
      }
    });
  }

  close(): Promise<void> {
    return Promise.reject(
      new TransactionError(
        "a transaction's connection cannot be closed; close the driver (YaraOrm.close()) instead",
      ),
    );
  }
}

function finishedError(): TransactionError {
  return new TransactionError(
    "this transaction has already finished, so its connection can no longer be used; " +
      "run the statement inside the transaction callback (and await it there), or outside the transaction",
  );
}
