/**
 * A FIFO async mutex for single-connection databases (SQLite): a transaction holds it from BEGIN
 * to COMMIT so no other statement interleaves with it. A pg or mysql2 transaction's connection
 * runs its statements one at a time through `serial`. Uncontended use stays synchronous — the
 * caller checks `locked` and runs at once when free — so statements outside transactions pay
 * one property read, not a promise.
 *
 * `run` also remembers, through async context, which callbacks hold the mutex, so a caller can
 * ask `heldByCaller()` before waiting: code running inside the holder's own callback that waited
 * for the mutex would wait forever (the holder awaits it), and should fail fast instead.
 *
 * That async context (async-context.ts, one storage shared with transactions) is switched off
 * again while no `run` holds any mutex and no transaction has run: an enabled AsyncLocalStorage
 * makes Node run a hook on every promise the process creates (about 0.3 µs of a 1.3 µs native
 * SQLite point query), so one `run` would otherwise tax every statement after it. Nothing is
 * lost: outside every `run`, `heldByCaller()` is false anyway.
 */
import { releaseScopes, scopes, type AsyncScope } from "./async-context.js";

/** `run` callbacks in progress, over every mutex: the storage may be disabled when none is. */
let running = 0;

export class AsyncMutex {
  #locked = false;
  /** The token of the `run` callback holding the mutex, if a `run` holds it. */
  #holder: object | undefined;
  readonly #waiters: (() => void)[] = [];

  /** True while someone holds the mutex (waiters are handed it directly, in order). */
  get locked(): boolean {
    return this.#locked;
  }

  /**
   * True when the caller runs inside the callback that holds the mutex through `run` (however
   * deep, across awaits): waiting for the mutex there could never end.
   */
  heldByCaller(): boolean {
    const holder = this.#holder;
    if (holder === undefined) return false;
    for (let h = scopes.getStore()?.hold; h !== undefined; h = h.outer) {
      if (h.token === holder) return true;
    }
    return false;
  }

  /**
   * Runs `fn` once the mutex is free, in call order, and frees it when `fn`'s promise settles
   * (or `fn` throws: a statement that cannot even be sent still frees the turn). Unlike `run` it
   * records no async context: for the statements of one transaction on one connection, which
   * never wait for themselves. Chained, not awaited: inside a transaction the async context is
   * on, and every promise an async function and its awaits add costs a hook (Node 20).
   */
  serial<R>(fn: () => Promise<R>): Promise<R> {
    if (!this.#locked) {
      this.#locked = true;
      return this.#settled(fn);
    }
    return this.#turn().then(() => this.#settled(fn));
  }

  #settled<R>(fn: () => Promise<R>): Promise<R> {
    let done: Promise<R>;
    try {
      done = fn();
    } catch (err) {
      done = Promise.reject(err as Error);
    }
    done.then(this.#release, this.#release);
    return done;
  }

  readonly #release = (): void => this.release();

  /** Resolves when a `release()` hands the mutex to this waiter. */
  #turn(): Promise<void> {
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }

  /**
   * Runs `fn` while holding the mutex. When the mutex is free, `fn` starts at once (in this
   * call): no promise is awaited before it, which on an enabled async context each cost a hook.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.#locked) return this.#held(fn);
    return this.#turn().then(() => this.#held(fn));
  }

  /** Runs `fn` as the holder; the caller has acquired the mutex. */
  async #held<T>(fn: () => Promise<T>): Promise<T> {
    const scope = this.enter();
    try {
      return await scopes.run(scope, fn);
    } finally {
      this.exit();
    }
  }

  /**
   * What `run` does around its callback, for a caller that runs its own: takes the free mutex
   * (the caller checked `locked`) and returns the async scope to run the holder's callback in
   * (`scopes.run(scope, …)`), which `heldByCaller()` recognises. Call `exit()` exactly once
   * when that callback has settled. A transaction uses it to hold the mutex in its own async
   * function instead of one `run` adds around it (each `await` costs a promise hook).
   */
  enter(): AsyncScope {
    this.#locked = true;
    const token = {};
    this.#holder = token;
    running++;
    const outer = scopes.getStore();
    return { pin: outer?.pin, hold: { token, outer: outer?.hold } };
  }

  /** Ends what `enter` began: the next waiter gets the mutex. */
  exit(): void {
    this.#holder = undefined;
    if (--running === 0) releaseScopes();
    this.release();
  }
}
