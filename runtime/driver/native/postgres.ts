/**
 * The native Postgres driver: the addon's pool (native/src/pg) on its own tokio thread — shared,
 * pipelined connections for statements, one connection held per transaction, a prepared
 * statement cache per connection — and every result handed over as one buffer (reader.ts).
 * It behaves as the `pg` driver does: the same URL parameters and pool options, the same errors
 * (server errors go through the `pg` driver's own mapping), the same transaction semantics and
 * close(). `QueryOptions.signal` cancels a statement outside a transaction on the server.
 */
import type { Dialect } from "../../dialect/dialect.js";
import { postgres } from "../../dialect/postgres/index.js";
import { AsyncLocalStorage } from "node:async_hooks";
import type { PoolOptions } from "../../config.js";
import { ConnectionError, DatabaseError, TransactionError, type YaraError } from "../../errors.js";
import type { Driver, Param, QueryOptions, Result } from "../driver.js";
import { PinnedConnection, type StatementRunner } from "../pinned-connection.js";
import { mapPgError } from "../pg/errors.js";
import type { NativeAddon, NativeHandle } from "./addon.js";
import { isNativeError, mapNativeError } from "./errors.js";
import { nativeResult, type EncodedResult, type ReaderOptions } from "./reader.js";

/** The Postgres exports (native/src/napi/pg.rs). */
export interface NativePgExports {
  pgOpen(
    url: string,
    max?: number,
    min?: number,
    acquireTimeoutMs?: number,
    idleTimeoutMs?: number,
    connectTimeoutMs?: number,
  ): Promise<NativeHandle>;
  pgQuery(
    pool: NativeHandle,
    sql: string,
    params: readonly Param[],
    withColumns: boolean,
    bigints: boolean,
    cancelId: number,
  ): Promise<EncodedResult>;
  pgExecute(
    pool: NativeHandle,
    sql: string,
    params: readonly Param[],
    cancelId: number,
  ): Promise<number>;
  pgCancel(pool: NativeHandle, cancelId: number): void;
  pgClose(pool: NativeHandle): Promise<void>;
  pgAcquire(pool: NativeHandle): Promise<NativeHandle>;
  pgLeaseQuery(
    lease: NativeHandle,
    sql: string,
    params: readonly Param[],
    withColumns: boolean,
    bigints: boolean,
  ): Promise<EncodedResult>;
  pgLeaseExecute(lease: NativeHandle, sql: string, params: readonly Param[]): Promise<number>;
  /** A statement failed since the last one that succeeded: COMMIT will roll back. */
  pgLeaseAborted(lease: NativeHandle): boolean;
  /** Gives the connection back; `discard` closes it instead (its state is unknown). */
  pgRelease(lease: NativeHandle, discard: boolean): void;
}

/** The Postgres database target as YaraOrm.init resolved it (runtime/config.ts). */
export interface NativePgTarget {
  readonly url: URL;
  /** Undefined: the URL's `connect_timeout`, else 10 000 ms (native/src/pg/config.rs). */
  readonly connectTimeoutMs?: number;
}

const CLOSED_MESSAGE = "this Postgres driver has been closed; call YaraOrm.init again";
const READ_NUMBERS: ReaderOptions = { dialect: postgres, bigints: false };
const READ_BIGINTS: ReaderOptions = { dialect: postgres, bigints: true };
const NO_PARAMS: readonly Param[] = [];
/** Column names kept per SQL text (statements without `*`, whose columns cannot change). */
const MAX_KNOWN_COLUMNS = 500;

/** A transaction the current async context runs inside, and those around it. */
interface Hold {
  readonly driver: NativePgDriver;
  open: boolean;
  readonly outer: Hold | undefined;
}

/** One storage for every driver: each AsyncLocalStorage in use adds work to every promise. */
const holding = new AsyncLocalStorage<Hold>();

export class NativePgDriver implements Driver {
  readonly dialect: Dialect = postgres;
  readonly name = "native" as const;
  readonly #addon: NativePgExports;
  readonly #pool: NativeHandle;
  readonly #address: string;
  readonly #max: number;
  readonly #columns = new Map<string, readonly string[] | null>();
  #nextCancelId = 1;
  #closed = false;
  #ended: Promise<void> | undefined;

  private constructor(addon: NativePgExports, pool: NativeHandle, address: string, max: number) {
    this.#addon = addon;
    this.#pool = pool;
    this.#address = address;
    this.#max = max;
  }

  /**
   * Creates the pool and opens its first connection, so a wrong URL parameter is a
   * ConfigurationError and a wrong host, password or database a ConnectionError, here.
   * Opening a connection (TCP connect, TLS handshake, startup and login) gives up after the
   * target's `connectTimeoutMs`; without one, after the URL's `connect_timeout`, else after
   * 10 000 ms (0: no limit).
   */
  static async open(
    addon: NativeAddon,
    target: URL | NativePgTarget,
    pool?: PoolOptions,
  ): Promise<NativePgDriver> {
    const pg = addon as unknown as NativePgExports;
    const url = target instanceof URL ? target : target.url;
    const connectTimeoutMs = target instanceof URL ? undefined : target.connectTimeoutMs;
    const address = addressOf(url);
    try {
      const handle = await pg.pgOpen(
        url.toString(),
        pool?.max,
        pool?.min,
        pool?.acquireTimeoutMs,
        pool?.idleTimeoutMs,
        connectTimeoutMs,
      );
      return new NativePgDriver(pg, handle, address, pool?.max ?? 10);
    } catch (err) {
      throw mapError(err, address);
    }
  }

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    const signal = options?.signal;
    if (signal === undefined) {
      const known = this.#knownColumns(sql);
      return this.#addon
        .pgQuery(this.#pool, sql, params, known === undefined, options?.bigints === true, 0)
        .then(
          (encoded) => this.#result(sql, encoded, known, options),
          (err: unknown) => Promise.reject(mapError(err, this.#address)),
        );
    }
    return this.#cancellable(signal, (id) =>
      this.#addon
        .pgQuery(this.#pool, sql, params, true, options?.bigints === true, id)
        .then((encoded) => this.#result(sql, encoded, undefined, options)),
    );
  }

  execute(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<{ rowCount: number }> {
    const refused = this.#refusal();
    if (refused !== undefined) return Promise.reject(refused);
    const signal = options?.signal;
    if (signal === undefined) {
      return this.#addon.pgExecute(this.#pool, sql, params, 0).then(
        (rowCount) => ({ rowCount }),
        (err: unknown) => Promise.reject(mapError(err, this.#address)),
      );
    }
    return this.#cancellable(signal, (id) =>
      this.#addon.pgExecute(this.#pool, sql, params, id).then((rowCount) => ({ rowCount })),
    );
  }

  async transaction<T>(fn: (conn: Driver) => Promise<T>): Promise<T> {
    const refused = this.#refusal();
    if (refused !== undefined) throw refused;
    let lease: NativeHandle;
    try {
      lease = await this.#addon.pgAcquire(this.#pool);
    } catch (err) {
      throw mapError(err, this.#address);
    }
    const runner: StatementRunner = {
      query: (sql, params, options) => this.#leaseQuery(lease, sql, params, options),
      execute: (sql, params) => this.#leaseExecute(lease, sql, params),
    };
    const conn = new PinnedConnection(postgres, "native", runner, 1);
    let discard = false;
    try {
      await this.#leaseExecute(lease, "BEGIN", NO_PARAMS);
      let result: T;
      try {
        result = await this.#holding(fn, conn);
      } catch (err) {
        // A connection that cannot even roll back is closed, never returned half-open.
        await this.#leaseExecute(lease, "ROLLBACK", NO_PARAMS).catch(() => (discard = true));
        throw err;
      }
      const aborted = this.#addon.pgLeaseAborted(lease);
      await this.#leaseExecute(lease, "COMMIT", NO_PARAMS);
      if (aborted) {
        throw new TransactionError(
          "the transaction was rolled back instead of committed because a statement inside it failed " +
            "(Postgres aborts the whole transaction on an error); wrap a statement that may fail in a nested inTransaction",
        );
      }
      return result;
    } catch (err) {
      if (err instanceof ConnectionError) discard = true;
      throw err;
    } finally {
      conn.finish();
      this.#addon.pgRelease(lease, discard);
    }
  }

  /**
   * Refuses new statements at once, lets the statements and transactions holding connections
   * finish, then closes every connection; statements still waiting for a connection fail with a
   * ConnectionError. Called from inside a transaction it returns at once and the pool ends
   * after the transaction.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#ended ??= this.#addon.pgClose(this.#pool);
    if (this.#openHolds() > 0) {
      this.#ended.catch(() => undefined);
      return Promise.resolve();
    }
    return this.#ended;
  }

  /** Why a statement on the driver itself cannot run now, if it cannot. */
  #refusal(): YaraError | undefined {
    if (this.#closed) return new ConnectionError(CLOSED_MESSAGE);
    const held = this.#openHolds();
    if (held >= this.#max) {
      // Transactions of this context hold every connection and await this statement.
      return new TransactionError(
        `a statement was sent to the database driver itself (e.g. YaraOrm.driver) from inside a transaction, ` +
          `but the transaction${held > 1 ? "s" : ""} it runs in hold${held > 1 ? "" : "s"} all ${this.#max} ` +
          "connection(s) of the pool (pool.max), so it would wait for them forever. Run it on the connection " +
          "passed to the transaction callback (model calls inside inTransaction do so on their own), or raise pool.max",
      );
    }
    return undefined;
  }

  /** Runs a statement that `signal` may cancel (on a connection of its own, see pool.rs). */
  #cancellable<T>(signal: AbortSignal, run: (cancelId: number) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(cancelledError());
    const id = this.#nextCancelId++;
    const onAbort = (): void => this.#addon.pgCancel(this.#pool, id);
    signal.addEventListener("abort", onAbort, { once: true });
    return run(id).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        return value;
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        return Promise.reject(mapError(err, this.#address));
      },
    );
  }

  async #leaseQuery(
    lease: NativeHandle,
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
    const known = this.#knownColumns(sql);
    let encoded: EncodedResult;
    try {
      encoded = await this.#addon.pgLeaseQuery(
        lease,
        sql,
        params,
        known === undefined,
        options?.bigints === true,
      );
    } catch (err) {
      throw mapError(err, this.#address);
    }
    return this.#result(sql, encoded, known, options);
  }

  async #leaseExecute(
    lease: NativeHandle,
    sql: string,
    params: readonly Param[],
  ): Promise<{ rowCount: number }> {
    try {
      return { rowCount: await this.#addon.pgLeaseExecute(lease, sql, params) };
    } catch (err) {
      throw mapError(err, this.#address);
    }
  }

  /** Column names already seen for `sql`; undefined asks the addon to send them. */
  #knownColumns(sql: string): readonly string[] | undefined {
    return this.#columns.get(sql) ?? undefined;
  }

  #result(
    sql: string,
    encoded: EncodedResult,
    known: readonly string[] | undefined,
    options: QueryOptions | undefined,
  ): Result {
    const columns = known ?? encoded[3] ?? [];
    if (known === undefined && this.#columns.size < MAX_KNOWN_COLUMNS && !sql.includes("*")) {
      this.#columns.set(sql, columns);
    }
    return nativeResult(encoded, columns, options?.bigints === true ? READ_BIGINTS : READ_NUMBERS);
  }

  /** Runs a transaction's callback, marking its async context as holding one connection. */
  async #holding<T, A>(fn: (arg: A) => Promise<T>, arg: A): Promise<T> {
    const hold: Hold = { driver: this, open: true, outer: holding.getStore() };
    try {
      return await holding.run(hold, fn, arg);
    } finally {
      hold.open = false;
    }
  }

  /** How many transactions of this driver the current async context runs inside. */
  #openHolds(): number {
    let held = 0;
    for (let h = holding.getStore(); h !== undefined; h = h.outer) {
      if (h.open && h.driver === this) held++;
    }
    return held;
  }
}

/** "host:port" (or the socket directory) as the `pg` driver names the server. */
function addressOf(url: URL): string {
  const host =
    url.searchParams.get("host") ??
    (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost");
  return host.startsWith("/") ? host : `${host}:${url.port === "" ? 5432 : url.port}`;
}

/**
 * Addon errors → yara errors. Server errors take the `pg` driver's mapping (integrity kinds,
 * connection SQLSTATEs, values dropped from data-exception messages), fed the same fields
 * node-postgres reports.
 */
function mapError(err: unknown, address: string): YaraError {
  return mapNativeError(
    err,
    (e) => {
      if (!isNativeError(e) || e.kind !== "database") return mapPgError(e, address);
      const serverError = Object.assign(new Error(e.message), {
        code: e.code,
        severity: "ERROR",
        constraint: e.constraint,
        table: e.table,
        column: e.column,
        detail: e.detail,
      });
      return mapPgError(serverError, address);
    },
    CLOSED_MESSAGE,
  );
}

function cancelledError(): DatabaseError {
  return new DatabaseError("canceling statement due to user request", "57014");
}
