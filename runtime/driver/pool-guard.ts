/**
 * What every driver over a pool of connections does around its pool — both Postgres drivers
 * (through postgres-session.ts) and mysql2:
 * - the async context of a transaction's callback is marked as holding one connection, so a
 *   statement sent to the driver itself from there, while such transactions hold every
 *   connection of the pool, fails fast with a TransactionError instead of waiting forever;
 * - close() refuses new work at once and lets running transactions finish; called from inside
 *   a transaction (which close would wait for, and which waits for close) it returns at once,
 *   and the pool ends after that transaction.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ConnectionError, TransactionError, type YaraError } from "../errors.js";

/** A transaction the current async context runs inside, and those around it. */
interface Hold {
  readonly guard: PoolGuard;
  open: boolean;
  readonly outer: Hold | undefined;
}

/** One storage for every driver: each AsyncLocalStorage in use adds work to every promise. */
const holding = new AsyncLocalStorage<Hold>();

export class PoolGuard {
  #closed = false;
  #ended: Promise<void> | undefined;

  constructor(
    /** The pool's size (pool.max): transactions holding that many leave none for the driver. */
    private readonly poolMax: number,
    /** The ConnectionError's message once the driver is closed ("… call YaraOrm.init again"). */
    private readonly closedMessage: string,
  ) {}

  get closed(): boolean {
    return this.#closed;
  }

  /** Why a statement or transaction on the driver itself cannot start now, if it cannot. */
  refusal(): YaraError | undefined {
    if (this.#closed) return new ConnectionError(this.closedMessage);
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
  async holding<T, A>(fn: (arg: A) => Promise<T>, arg: A): Promise<T> {
    const hold: Hold = { guard: this, open: true, outer: holding.getStore() };
    try {
      return await holding.run(hold, fn, arg);
    } finally {
      hold.open = false;
    }
  }

  /**
   * Refuses new work from now on and runs `closePool` once (it waits for the connections in
   * use); resolves when the pool has ended, or at once when called from inside a transaction.
   */
  close(closePool: () => Promise<void>): Promise<void> {
    this.#closed = true;
    this.#ended ??= closePool();
    if (this.#openHolds() > 0) {
      this.#ended.catch(() => undefined);
      return Promise.resolve();
    }
    return this.#ended;
  }

  /** How many transactions of this driver the current async context runs inside. */
  #openHolds(): number {
    let held = 0;
    for (let h = holding.getStore(); h !== undefined; h = h.outer) {
      if (h.open && h.guard === this) held++;
    }
    return held;
  }
}

/**
 * The ConnectionError of a statement that waited `timeoutMs` for a connection of a full pool
 * (every connection in use), in the words the native Postgres engine uses too.
 */
export function poolExhaustedError(
  database: string,
  max: number,
  timeoutMs: number,
): ConnectionError {
  return new ConnectionError(
    `no ${database} connection became free: all ${max} connection(s) of the pool (pool.max) ` +
      `stayed in use for ${timeoutMs} ms (pool.acquireTimeoutMs); ` +
      "raise pool.max or pool.acquireTimeoutMs, or keep transactions shorter",
    "ETIMEDOUT",
  );
}
