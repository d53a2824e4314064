/**
 * The one AsyncLocalStorage behind transactions on a single connection: the transaction a call
 * runs inside (runtime/transaction.ts) and the mutex `run` callbacks it runs inside (mutex.ts)
 * ride in one store. On Node 20 every enabled AsyncLocalStorage adds a hook call on every
 * promise the process creates (measured: about 3 600 instructions per `await` of an async call
 * for the first storage, 2 200 more for a second), and a transaction awaits through both: one
 * storage halves what the second would add.
 *
 * The storage is enabled by its first `run`. It is disabled again when no mutex `run` is in
 * progress and no transaction has ever run, so statements outside transactions pay no hook;
 * once a transaction has run it stays enabled (see `keepEnabled`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What the current async context runs inside; each field is owned by one module. */
export interface AsyncScope<Pin = unknown> {
  /** runtime/transaction.ts: the innermost transaction, undefined outside every transaction. */
  readonly pin: Pin | undefined;
  /** mutex.ts: the innermost `run` callback holding a mutex, with those around it. */
  readonly hold: Hold | undefined;
}

/** A mutex `run` in progress (its token), and the one it runs inside. */
export interface Hold {
  readonly token: object;
  readonly outer: Hold | undefined;
}

export const scopes = new AsyncLocalStorage<AsyncScope>();

let keep = false;

/**
 * Called when a transaction starts: the storage stays enabled from then on, so a continuation
 * that outlives its transaction (a timer started inside it) still finds the finished
 * transaction and is refused, instead of running on the root driver outside any transaction.
 */
export function keepEnabled(): void {
  keep = true;
}

/** Disables the storage when nothing needs it (no `run` in progress, no transaction ever). */
export function releaseScopes(): void {
  if (!keep) scopes.disable();
}
