/**
 * The pg driver's connection pool: a `pg.Pool` plus what it lacks. Statements waiting for a
 * connection never wait forever for a closed pool (pg-pool never answers a request still
 * queued when it ends; the session base, ../postgres-session.ts, refuses to wait for connections
 * the caller's own transactions hold); a timed-out wait names the pool size and the timeout; a
 * new connection gives up after the connect timeout.
 * Every client listens for "error" from the moment it is constructed, so no event of a
 * connection — connecting, idle, checked out, in a transaction or closing — goes unheard
 * (an unheard "error" event would crash the process).
 */
import pg from "pg";
import type { CustomTypesConfig, PoolClient } from "pg";
import { ConnectionError } from "../../errors.js";
import { poolExhaustedError } from "../pool-guard.js";
import { POSTGRES_CLOSED_MESSAGE } from "../postgres-session.js";
import { pgClientClass, type YaraPgClient } from "./client.js";
import type { PgSettings } from "./config.js";
import { mapPgError } from "./errors.js";

function closedError(): ConnectionError {
  return new ConnectionError(POSTGRES_CLOSED_MESSAGE);
}

export class PgPool {
  readonly #pool: pg.Pool;
  readonly #settings: PgSettings;
  readonly #max: number;
  /** Why a client's connection broke, as its first "error" event said. */
  readonly #failures = new WeakMap<pg.Client, Error>();
  /** Clients whose connection has not ended yet; close() cuts those still connecting. */
  readonly #live = new Set<YaraPgClient>();
  /** Statements waiting for a connection; close() fails them. */
  readonly #waiters = new Set<(err: Error) => void>();
  #closed = false;
  #ended: Promise<void> | undefined;

  constructor(settings: PgSettings, types: CustomTypesConfig) {
    this.#settings = settings;
    this.#max = settings.config.max ?? 10;
    const Client = pgClientClass({
      address: settings.address,
      connectTimeoutMs: settings.connectTimeoutMs,
      failures: this.#failures,
      live: this.#live,
      startup: settings.startup,
    });
    this.#pool = new pg.Pool({ ...settings.config, types, Client });
    // An idle client whose connection drops emits here; the pool discards it on its own.
    this.#pool.on("error", () => undefined);
  }

  /**
   * A client for one statement or transaction. Every request is tracked, not only those made
   * while the pool looked full: idle clients are handed out a tick later, so a burst can queue
   * more requests than there are idle clients, and pg-pool never answers a queued request once
   * it is ending — close() fails those (a client that still arrives goes back). pg-pool is asked
   * through its callback, which spares the promise and closures of its promise form on every
   * statement.
   */
  acquire(): Promise<PoolClient> {
    if (this.#closed) return Promise.reject(closedError());
    const full = this.#pool.idleCount === 0 && this.#pool.totalCount >= this.#max;
    return new Promise<PoolClient>((resolve, reject) => {
      let abandoned = false;
      const abandon = (err: Error): void => {
        abandoned = true;
        reject(err);
      };
      this.#waiters.add(abandon);
      this.#pool.connect((err: Error | undefined, client: PoolClient | undefined) => {
        this.#waiters.delete(abandon);
        if (client === undefined || (err !== undefined && err !== null)) {
          reject(this.#closed ? closedError() : this.#acquireError(err, full));
        } else if (abandoned) client.release();
        else resolve(client);
      });
    });
  }

  /**
   * A ConnectionError for a statement on `client`, with the reason its connection broke when
   * the server or socket said so earlier ("terminating connection due to idle-in-transaction
   * timeout"); node-postgres itself only reports that the client "is not queryable".
   */
  explain(client: PoolClient, err: Error): Error {
    const failure = this.#failures.get(client);
    if (!(err instanceof ConnectionError) || failure === undefined) return err;
    const reason = mapPgError(failure, this.#settings.address);
    if (err.message.includes(failure.message)) return err;
    return new ConnectionError(
      `${err.message} (the connection had already failed: ${reason.message})`,
      (reason as { code?: string }).code ?? err.code,
      { cause: reason },
    );
  }

  #acquireError(err: unknown, full: boolean): Error {
    const timeout = this.#settings.config.connectionTimeoutMillis ?? 0;
    if (err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message)) {
      return full
        ? poolExhaustedError("Postgres", this.#max, timeout)
        : new ConnectionError(
            `could not connect to Postgres at ${this.#settings.address} within ${timeout} ms ` +
              "(pool.acquireTimeoutMs or the URL's connect_timeout)",
            "ETIMEDOUT",
          );
    }
    return mapPgError(err, this.#settings.address);
  }

  /**
   * Refuses new statements at once, waits for the statements and transactions holding
   * connections to finish, then closes every connection; statements that were still waiting for
   * a connection fail with a ConnectionError.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#ended ??= this.#end();
    return this.#ended;
  }

  async #end(): Promise<void> {
    // Requests queued for an idle connection are served on the next tick; let them be.
    await new Promise((r) => setImmediate(r));
    // Once the pool is ending, pg-pool serves no queued request: fail them now, and cut the
    // connections still starting up (their requests fail and any client that arrives goes back).
    for (const fail of this.#waiters) fail(closedError());
    this.#waiters.clear();
    for (const client of this.#live) if (client.connecting) client.abandon();
    await this.#pool.end();
  }
}
