/**
 * Transactions by async context: `inTransaction(fn)` pins one connection and every model call
 * inside `fn` — however deep, across awaits — finds it through `currentDriver()`, which the
 * query layer calls for every statement. Nested `inTransaction` becomes a SAVEPOINT on the
 * pinned connection; a throw rolls back (to the savepoint) and rethrows.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Driver } from "./driver/driver.js";
import { ConfigurationError } from "./errors.js";
import { retried } from "./transaction-retry.js";
import {
  checkNestedMode,
  transactionOptions,
  type InTransactionOptions,
  type TransactionMode,
} from "./transaction-mode.js";

/**
 * Stays enabled once a transaction has run, though an enabled AsyncLocalStorage costs a hook on
 * every promise on Node 20 (Node 22's AsyncContextFrame has no such cost): a continuation that
 * outlives its transaction (a timer started inside it) must still find the finished connection
 * and be refused, not run on the root driver outside any transaction. Disabling it between
 * transactions would lose exactly that.
 */
const pinned = new AsyncLocalStorage<Driver>();
let root: Driver | undefined;

/** Set by YaraOrm.init / close: the driver statements use outside any transaction. */
export function setRootDriver(driver: Driver | undefined): void {
  root = driver;
}

/** The current transaction's connection, else the driver YaraOrm.init opened. */
export function currentDriver(): Driver {
  const driver = pinned.getStore() ?? root;
  if (driver === undefined) {
    throw new ConfigurationError(
      'no database: call YaraOrm.init(url) first (e.g. await YaraOrm.init("sqlite://:memory:"))',
    );
  }
  return driver;
}

/** True inside an `inTransaction` callback. */
export function isInTransaction(): boolean {
  return pinned.getStore() !== undefined;
}

/**
 * Runs `fn` in one transaction and returns its result. Everything models do inside joins it.
 * A throw rolls back and rethrows; a nested call uses a savepoint; concurrent calls never share
 * a connection (on SQLite the second waits for the first). `fn` also receives the connection,
 * for raw statements through the Driver interface. `fn` may return any thenable, such as a
 * QuerySet (`inTransaction(() => Book.filter(…))`): it is run inside the transaction.
 *
 * `options` (transaction-mode.ts): Postgres `isolation`, `readOnly`, `deferrable`; SQLite
 * `behavior`; `retry: n` runs `fn` again, up to n more times, after a serialization failure or
 * deadlock (TransactionConflictError).
 */
export function inTransaction<T>(
  fn: (conn: Driver) => PromiseLike<T>,
  options?: InTransactionOptions,
): Promise<T> {
  let driver: Driver;
  let mode: TransactionMode;
  let retry: number;
  let nested: boolean;
  try {
    driver = currentDriver();
    ({ mode, retry } = transactionOptions(options, driver.dialect));
    const outer = pinned.getStore();
    nested = outer !== undefined;
    if (outer !== undefined) checkNestedMode(modes.get(outer) ?? {}, mode, retry);
  } catch (err) {
    return Promise.reject(err);
  }
  // A savepoint keeps the outer transaction's mode, which checkNestedMode found compatible.
  const begin = nested || !hasMode(mode) ? undefined : mode;
  const attempt = (): Promise<T> =>
    driver.transaction((conn) => {
      modes.set(conn, nested ? (modes.get(driver) ?? {}) : mode);
      return pinned.run(conn, () => started(fn(conn)));
    }, begin);
  return retry === 0 ? attempt() : retried(attempt, retry);
}

/** Each transaction connection's mode, for nested calls to compare theirs with. */
const modes = new WeakMap<Driver, TransactionMode>();

function hasMode(mode: TransactionMode): boolean {
  for (const _ in mode) return true;
  return false;
}

/**
 * `result` as a promise whose work has started here, inside the transaction's async context. A
 * thenable that is not a promise (a QuerySet) only starts when its `then` is called; left to
 * the driver's `await`, that call would come from outside the context, so the statement would
 * miss the transaction.
 */
function started<T>(result: PromiseLike<T>): Promise<T> {
  if (result instanceof Promise) return result;
  // A plain value from untyped code passes through, as `await` would let it.
  if (typeof (result as { then?: unknown } | null)?.then !== "function")
    return Promise.resolve(result);
  return new Promise<T>((resolve, reject) => {
    result.then(resolve, reject);
  });
}
