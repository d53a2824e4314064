/**
 * A FIFO async mutex for single-connection databases (SQLite): a transaction holds it from BEGIN
 * to COMMIT so no other statement interleaves with it. Uncontended use stays synchronous — the
 * caller checks `locked` and runs at once when free — so statements outside transactions pay
 * one property read, not a promise.
 */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];

  /** True while someone holds the mutex (waiters are handed it directly, in order). */
  get locked(): boolean {
    return this.#locked;
  }

  /** Resolves once the caller holds the mutex; call `release()` exactly once afterwards. */
  acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }

  /** Runs `fn` while holding the mutex. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
