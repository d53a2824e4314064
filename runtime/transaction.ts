/**
 * Transactions by async context: `inTransaction(fn)` pins one connection and every model call
 * inside `fn` — however deep, across awaits — finds it through `currentDriver()` (or, for a
 * routed statement, `connectionDriver(name)`), which the query layer calls for every statement.
 * Nested `inTransaction` becomes a SAVEPOINT on the pinned connection; a throw rolls back (to
 * the savepoint) and rethrows. `inTransaction(fn, { using })` opens the transaction on a named
 * connection (connections.ts); transactions on different connections nest as a chain of pins.
 */
import { keepEnabled, scopes, type AsyncScope } from "./driver/async-context.js";
import type { Driver } from "./driver/driver.js";
import { ConfigurationError } from "./errors.js";
import { retried } from "./transaction-retry.js";
import {
  checkNestedMode,
  transactionOptions,
  type InTransactionOptions,
  type TransactionMode,
} from "./transaction-mode.js";
import { DEFAULT_CONNECTION, namedRoot, notInitialised } from "./connection/connections.js";

/** A transaction's connection, the name it was opened on and the transaction it runs inside. */
interface Pin {
  readonly name: string;
  readonly driver: Driver;
  readonly outer: Pin | undefined;
  /** How the transaction was opened (a savepoint carries its outer transaction's). */
  readonly mode: TransactionMode;
  /** What a rollback of this transaction undoes in memory (undoOnRollback); made on first use. */
  undo: (() => void)[] | undefined;
}

/**
 * The async context (driver/async-context.ts, one storage shared with the SQLite mutex) stays
 * enabled once a transaction has run, though an enabled AsyncLocalStorage costs a hook on every
 * promise on Node 20 (Node 22's AsyncContextFrame has no such cost): a continuation that
 * outlives its transaction (a timer started inside it) must still find the finished connection
 * and be refused, not run on the root driver outside any transaction. Disabling it between
 * transactions would lose exactly that.
 */
function currentPin(): Pin | undefined {
  return (scopes.getStore() as AsyncScope<Pin> | undefined)?.pin;
}

let root: Driver | undefined;

/** Set by YaraOrm.init / close: the driver of the default connection, outside any transaction. */
export function setRootDriver(driver: Driver | undefined): void {
  root = driver;
}

/**
 * The current (innermost) transaction's connection, else the default connection's driver: where
 * a statement goes that no `using`, schema `connection` or router sends elsewhere.
 */
export function currentDriver(): Driver {
  const driver = currentPin()?.driver ?? root;
  if (driver === undefined) throw notInitialised();
  return driver;
}

/**
 * The driver of connection `name`: the transaction pinned on it when one encloses this call,
 * else its root driver; a ConfigurationError naming the known connections when there is none.
 */
export function connectionDriver(name: string): Driver {
  for (let pin = currentPin(); pin !== undefined; pin = pin.outer) {
    if (pin.name === name) return pin.driver;
  }
  if (name === DEFAULT_CONNECTION && root !== undefined) return root;
  return namedRoot(name);
}

/**
 * Runs `undo` if the innermost transaction (or savepoint) running on `driver` rolls back — or
 * the transaction around that savepoint does, once the savepoint released — and never otherwise;
 * nothing when `driver` is no enclosing transaction's connection. Instances use it to forget
 * what they recorded as saved (persist.ts): a value written by a rolled-back transaction was
 * never saved, and `save()`, which writes only the changed fields, must write it again.
 */
export function undoOnRollback(driver: Driver, undo: () => void): void {
  for (let pin = currentPin(); pin !== undefined; pin = pin.outer) {
    if (pin.driver === driver) {
      (pin.undo ??= []).push(undo);
      return;
    }
  }
}

/** Whether `driver` is the connection of an enclosing transaction (or savepoint). */
export function inTransactionOn(driver: Driver): boolean {
  for (let pin = currentPin(); pin !== undefined; pin = pin.outer)
    if (pin.driver === driver) return true;
  return false;
}

/** True inside an `inTransaction` callback. */
export function isInTransaction(): boolean {
  return currentPin() !== undefined;
}

/** The connection name of the innermost enclosing transaction, if any. */
export function transactionConnection(): string | undefined {
  return currentPin()?.name;
}

export { TRANSACTION_OPTION_KEYS } from "./transaction-mode.js";

export interface TransactionScopeOptions extends InTransactionOptions {
  /**
   * The named connection to run the transaction on (`YaraOrm.init({ connections })`). Default:
   * the enclosing transaction's connection (a savepoint), else `"default"`.
   */
  readonly using?: string;
}

/**
 * Runs `fn` in one transaction and returns its result. Everything models do inside joins it.
 * A throw rolls back and rethrows; a nested call uses a savepoint; concurrent calls never share
 * a connection (on SQLite the second waits for the first). `fn` also receives the connection,
 * for raw statements through the Driver interface. `fn` may return any thenable, such as a
 * QuerySet (`inTransaction(() => Book.filter(…))`): it is run inside the transaction.
 *
 * `options` (transaction-mode.ts): `using` runs it on that named connection; Postgres
 * `isolation`, `readOnly`, `deferrable`; SQLite `behavior`; `retry: n` runs `fn` again, up to n
 * more times, after a serialization failure or deadlock (TransactionConflictError).
 */
export function inTransaction<T>(
  fn: (conn: Driver) => PromiseLike<T>,
  options?: TransactionScopeOptions,
): Promise<T> {
  let driver: Driver;
  let name: string;
  let mode: TransactionMode;
  let retry: number;
  let same: Pin | undefined;
  const outer = currentPin();
  try {
    const using = options?.using;
    if (using !== undefined && (typeof using !== "string" || using.length === 0))
      throw new ConfigurationError(
        `inTransaction(): using must be a connection name, got ${String(using)}`,
      );
    name = using ?? outer?.name ?? DEFAULT_CONNECTION;
    driver = using === undefined ? currentDriver() : connectionDriver(using);
    ({ mode, retry } = transactionOptions(options, driver.dialect));
    // Nested in a transaction on the same connection: a savepoint, which keeps that mode.
    same = pinnedOn(outer, name);
    if (same !== undefined) checkNestedMode(same.mode, mode, retry);
  } catch (err) {
    return Promise.reject(err);
  }
  const pinMode = same?.mode ?? mode;
  const begin = same !== undefined || !hasMode(mode) ? undefined : mode;
  const run =
    retry === 0
      ? open(driver, fn, name, outer, pinMode, begin)
      : retried(() => open(driver, fn, name, outer, pinMode, begin), retry);
  // A transaction that ends (not a savepoint) tells the routers: read-your-writes starts then.
  const ended = transactionEnded;
  return ended !== undefined && same === undefined ? run.finally(() => ended(name)) : run;
}

/**
 * One attempt: `fn` on the connection `driver.transaction` holds, pinned in the async context.
 * A function of its own, not a closure made per call (the common case has no retry).
 */
function open<T>(
  driver: Driver,
  fn: (conn: Driver) => PromiseLike<T>,
  name: string,
  outer: Pin | undefined,
  mode: TransactionMode,
  begin: TransactionMode | undefined,
): Promise<T> {
  let pin: Pin | undefined;
  return driver
    .transaction((conn) => {
      keepEnabled();
      pin = { name, driver: conn, outer, mode, undo: undefined };
      return scopes.run({ pin, hold: scopes.getStore()?.hold }, callStarted, fn, conn);
    }, begin)
    .then(
      (value) => {
        if (pin?.undo !== undefined) keepUndo(pin, pin.undo);
        return value;
      },
      (err: unknown) => {
        if (pin?.undo !== undefined) runUndo(pin.undo);
        throw err;
      },
    );
}

/**
 * A committed transaction's undo list is dropped; a released savepoint's becomes its enclosing
 * transaction's, whose rollback still undoes what the savepoint wrote.
 */
function keepUndo(pin: Pin, undo: readonly (() => void)[]): void {
  const enclosing = pinnedOn(pin.outer, pin.name);
  if (enclosing !== undefined) (enclosing.undo ??= []).push(...undo);
}

/** Undoes, last first, so an instance saved twice ends as before its first save. */
function runUndo(undo: readonly (() => void)[]): void {
  for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
}

function callStarted<T>(fn: (conn: Driver) => PromiseLike<T>, conn: Driver): Promise<T> {
  return started(fn(conn));
}

/** Told when a transaction (not a savepoint) ends, with its connection's name: the routers. */
let transactionEnded: ((connection: string) => void) | undefined;

/** Sets (or, with undefined, clears) the one listener told when a transaction ends. */
export function onTransactionEnd(listener: ((connection: string) => void) | undefined): void {
  transactionEnded = listener;
}

function pinnedOn(pin: Pin | undefined, name: string): Pin | undefined {
  for (; pin !== undefined; pin = pin.outer) if (pin.name === name) return pin;
  return undefined;
}

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
