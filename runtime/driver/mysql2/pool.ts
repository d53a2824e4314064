/**
 * The mysql2 driver's connection pool: a mysql2 pool plus what it lacks, as PgPool adds it to
 * `pg.Pool`. A statement waits for a connection at most `pool.acquireTimeoutMs` (mysql2 has no
 * such limit), and a timed-out wait names the pool size and the timeout. close() fails the
 * statements still waiting for a connection, waits for the connections in use — statements and
 * transactions running — to come back, and only then ends the pool: mysql2's own end() would
 * cut a running transaction off between two of its statements.
 */
import type { PoolConnection as CorePoolConnection } from "mysql2";
import { createPool, type Pool, type PoolConnection } from "mysql2/promise";
import { ConnectionError } from "../../errors.js";
import { poolExhaustedError } from "../pool-guard.js";
import type { MysqlSettings } from "./config.js";
import { mapMysqlError } from "./errors.js";

export const MYSQL_CLOSED_MESSAGE = "this MySQL driver has been closed; call YaraOrm.init again";

function closedError(): ConnectionError {
  return new ConnectionError(MYSQL_CLOSED_MESSAGE);
}

export class MysqlPool {
  readonly #pool: Pool;
  readonly #settings: MysqlSettings;
  /** Connections handed out and not given back yet; close() waits for them. */
  #inUse = 0;
  /** Resolves close()'s wait once the last connection in use comes back. */
  #drained: (() => void) | undefined;
  /** The promise API's wrapper of each connection, made once (it is an EventEmitter). */
  readonly #wrappers = new WeakMap<CorePoolConnection, PoolConnection>();
  /** Statements waiting for a connection; close() fails them. */
  readonly #waiters = new Set<(err: Error) => void>();
  #closed = false;
  #ended: Promise<void> | undefined;

  constructor(settings: MysqlSettings) {
    this.#settings = settings;
    this.#pool = createPool(settings.options);
  }

  /**
   * A pooled connection; give it back with `release`. Rejects with a ConnectionError when the
   * pool is closed, when none came within pool.acquireTimeoutMs, or when connecting failed.
   */
  acquire(): Promise<PoolConnection> {
    if (this.#closed) return Promise.reject(closedError());
    return new Promise<PoolConnection>((resolve, reject) => {
      let waiting = true;
      let timer: NodeJS.Timeout | undefined;
      const abandon = (err: Error): void => {
        if (!waiting) return;
        waiting = false;
        clearTimeout(timer);
        this.#waiters.delete(abandon);
        reject(err);
      };
      this.#waiters.add(abandon);
      const timeoutMs = this.#settings.acquireTimeoutMs;
      if (timeoutMs > 0)
        timer = setTimeout(() => abandon(this.#timeoutError(timeoutMs)), timeoutMs);
      // The callback pool: one promise per statement's connection, not two.
      this.#pool.pool.getConnection((err, core) => {
        if (err) {
          abandon(this.#closed ? closedError() : mapMysqlError(err, this.#settings.address));
          return;
        }
        // Arriving after a timeout or close: it goes back for the next one.
        if (!waiting) return core.release();
        waiting = false;
        clearTimeout(timer);
        this.#waiters.delete(abandon);
        this.#inUse++;
        resolve(this.#promised(core));
      });
    });
  }

  #promised(core: CorePoolConnection): PoolConnection {
    let conn = this.#wrappers.get(core);
    if (conn === undefined) this.#wrappers.set(core, (conn = core.promise()));
    return conn;
  }

  /** Gives a connection from `acquire` back; `broken` closes it instead (its state is unknown). */
  release(conn: PoolConnection, broken: boolean): void {
    if (broken) conn.destroy();
    else conn.release();
    if (--this.#inUse === 0) this.#drained?.();
  }

  /**
   * Refuses new connections at once, fails the statements still waiting for one with a
   * ConnectionError, waits for those in use to come back, then closes every connection.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#ended ??= this.#end();
    return this.#ended;
  }

  async #end(): Promise<void> {
    // A request given an idle connection gets it on the next tick; let it run.
    await new Promise((r) => setImmediate(r));
    for (const fail of this.#waiters) fail(closedError());
    if (this.#inUse > 0) await new Promise<void>((r) => (this.#drained = r));
    await this.#pool.end();
  }

  /** Every connection still in use when the wait ends: the pool is too small; else connecting was slow. */
  #timeoutError(timeoutMs: number): ConnectionError {
    const { max, address } = this.#settings;
    if (this.#inUse >= max) return poolExhaustedError("MariaDB", max, timeoutMs);
    return new ConnectionError(
      `could not connect to MariaDB at ${address} within ${timeoutMs} ms (pool.acquireTimeoutMs)`,
      "ETIMEDOUT",
    );
  }
}
