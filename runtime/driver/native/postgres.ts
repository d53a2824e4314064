/**
 * The native Postgres driver: the addon's pool (native/src/pg) on its own tokio thread — shared,
 * pipelined connections for statements, one connection held per transaction, a prepared
 * statement cache per connection — and every result handed over as one buffer (reader.ts).
 * Transactions, the refusal to deadlock inside them and close() are the session base's
 * (../postgres-session.ts), shared with the `pg` driver, as are the URL parameters, the pool
 * options and the mapping of server errors (../postgres-server-error.ts, fed the engine's own
 * fields). `QueryOptions.signal` cancels a statement outside a transaction on the server.
 */
import { postgres } from "../../dialect/postgres/index.js";
import type { PoolOptions } from "../../config.js";
import { ConnectionError, DatabaseError, type YaraError } from "../../errors.js";
import type { CopyInsertRequest, Param, QueryOptions, Result } from "../driver.js";
import {
  POSTGRES_CLOSED_MESSAGE,
  PostgresSessionDriver,
  type PostgresLease,
} from "../postgres-session.js";
import { mapPostgresServerError } from "../postgres-server-error.js";
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
  /** An idle connection taken now, without a promise; undefined when `pgAcquire` would wait. */
  pgTryAcquire(pool: NativeHandle): NativeHandle | undefined;
  pgLeaseQuery(
    lease: NativeHandle,
    sql: string,
    params: readonly Param[],
    withColumns: boolean,
    bigints: boolean,
  ): Promise<EncodedResult>;
  pgLeaseExecute(lease: NativeHandle, sql: string, params: readonly Param[]): Promise<number>;
  /**
   * BEGIN, sent with the lease's next statement instead of on its own round trip; with an
   * isolation level ("serializable" …) and access mode, still one statement.
   */
  pgLeaseBegin(
    lease: NativeHandle,
    isolation?: string,
    readOnly?: boolean,
    deferrable?: boolean,
  ): void;
  /** COMMIT or ROLLBACK in one round trip; nothing when BEGIN never went out. */
  pgLeaseEnd(lease: NativeHandle, what: "COMMIT" | "ROLLBACK"): Promise<void>;
  /** A statement failed since the last one that succeeded: COMMIT will roll back. */
  pgLeaseAborted(lease: NativeHandle): boolean;
  /** Gives the connection back; `discard` closes it instead (its state is unknown). */
  pgRelease(lease: NativeHandle, discard: boolean): void;
  /** Rows through COPY (native/src/napi/pg_copy.rs); undefined: COPY cannot serve, nothing sent. */
  pgCopyInsert(
    pool: NativeHandle,
    table: string,
    key: string,
    columns: readonly string[],
    returning: readonly string[],
    values: readonly Param[],
    bigints: boolean,
  ): Promise<EncodedResult | undefined>;
  pgLeaseCopyInsert(
    lease: NativeHandle,
    table: string,
    key: string,
    columns: readonly string[],
    returning: readonly string[],
    values: readonly Param[],
    bigints: boolean,
  ): Promise<EncodedResult | undefined>;
}

/** The Postgres database target as YaraOrm.init resolved it (runtime/config.ts). */
export interface NativePgTarget {
  readonly url: URL;
  /** Undefined: the URL's `connect_timeout`, else 10 000 ms (native/src/pg/config.rs). */
  readonly connectTimeoutMs?: number;
}

const READ_NUMBERS: ReaderOptions = { dialect: postgres, bigints: false };
const READ_BIGINTS: ReaderOptions = { dialect: postgres, bigints: true };
/** Column names kept per SQL text (statements without `*`, whose columns cannot change). */
const MAX_KNOWN_COLUMNS = 500;

export class NativePgDriver extends PostgresSessionDriver {
  readonly name = "native" as const;
  /** postgres-protocol counts a Bind message's parameters in an i16 (native/src/pg/binder.rs). */
  readonly maxParams = 32_767;
  readonly #addon: NativePgExports;
  readonly #pool: NativeHandle;
  readonly #address: string;
  readonly #columns = new Map<string, readonly string[] | null>();
  #nextCancelId = 1;

  private constructor(addon: NativePgExports, pool: NativeHandle, address: string, max: number) {
    super(max);
    this.#addon = addon;
    this.#pool = pool;
    this.#address = address;
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
      const mapped = mapError(err, address);
      // A server error while connecting ended the session (the engine does not pass its
      // severity on): e.g. PgBouncer's "unsupported startup parameter", SQLSTATE 08P01.
      if (mapped.constructor === DatabaseError) {
        const { message, code } = mapped as DatabaseError;
        throw new ConnectionError(`Postgres at ${address}: ${message}`, code);
      }
      throw mapped;
    }
  }

  protected override poolQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
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

  protected override poolExecute(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<{ rowCount: number }> {
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

  /** Binary COPY with keys from the sequence (native/src/pg/copy_insert.rs), on a connection of its own. */
  copyInsert(request: CopyInsertRequest): Promise<Result | undefined> {
    return this.#copied(request, (table, key, columns, returning, values, bigints) =>
      this.#addon.pgCopyInsert(this.#pool, table, key, columns, returning, values, bigints),
    );
  }

  protected override async lease(): Promise<PostgresLease> {
    let lease: NativeHandle;
    try {
      // An idle connection is taken at once; the promise (settled through the event loop) is
      // only for a transaction that has to open a connection or wait for one.
      lease = this.#addon.pgTryAcquire(this.#pool) ?? (await this.#addon.pgAcquire(this.#pool));
    } catch (err) {
      throw mapError(err, this.#address);
    }
    // The engine runs a lease's statements one after another, in the order they were sent.
    // BEGIN costs no round trip of its own: it travels with the transaction's first statement.
    return {
      query: (sql, params, options) => this.#leaseQuery(lease, sql, params, options),
      execute: (sql, params) => this.#leaseExecute(lease, sql, params),
      copyInsert: (request) =>
        this.#copied(request, (table, key, columns, returning, values, bigints) =>
          this.#addon.pgLeaseCopyInsert(lease, table, key, columns, returning, values, bigints),
        ),
      begin: (mode) => {
        try {
          if (mode === undefined) this.#addon.pgLeaseBegin(lease);
          else this.#addon.pgLeaseBegin(lease, mode.isolation, mode.readOnly, mode.deferrable);
        } catch (err) {
          return Promise.reject(mapError(err, this.#address));
        }
        return Promise.resolve();
      },
      control: (sql) => this.#leaseEnd(lease, sql),
      commit: async () => {
        const aborted = this.#addon.pgLeaseAborted(lease);
        await this.#leaseEnd(lease, "COMMIT");
        return !aborted;
      },
      release: (broken) => this.#addon.pgRelease(lease, broken !== undefined),
    };
  }

  protected override closePool(): Promise<void> {
    return this.#addon.pgClose(this.#pool);
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

  async #leaseEnd(lease: NativeHandle, what: "COMMIT" | "ROLLBACK"): Promise<void> {
    try {
      await this.#addon.pgLeaseEnd(lease, what);
    } catch (err) {
      throw mapError(err, this.#address);
    }
  }

  async #copied(
    request: CopyInsertRequest,
    run: (
      ...args: Parameters<NativePgExports["pgCopyInsert"]> extends [unknown, ...infer R] ? R : never
    ) => Promise<EncodedResult | undefined>,
  ): Promise<Result | undefined> {
    const { table, key, columns, returning, values } = request;
    const bigints = request.bigints === true;
    let encoded: EncodedResult | undefined;
    try {
      encoded = await run(table, key, columns, returning, values, bigints);
    } catch (err) {
      throw mapError(err, this.#address);
    }
    if (encoded === undefined) return undefined;
    return nativeResult(encoded, returning, bigints ? READ_BIGINTS : READ_NUMBERS);
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
}

/** "host:port" (or the socket directory) as the `pg` driver names the server. */
function addressOf(url: URL): string {
  const host =
    url.searchParams.get("host") ??
    (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost");
  return host.startsWith("/") ? host : `${host}:${url.port === "" ? 5432 : url.port}`;
}

/**
 * Addon errors → yara errors. A server error keeps the engine's own fields and goes through the
 * mapping both Postgres drivers share (integrity kinds, connection SQLSTATEs, values dropped
 * from data-exception messages); the engine's other kinds are mapped in native/errors.ts.
 */
function mapError(err: unknown, address: string): YaraError {
  return mapNativeError(
    err,
    (e) => {
      if (!isNativeError(e)) {
        // Not the engine's: a value the Node-API layer could not convert, or a bug.
        const message = e instanceof Error ? e.message : String(e);
        return new DatabaseError(`the native Postgres engine failed: ${message}`, undefined, {
          cause: e,
        });
      }
      if (e.code === undefined) return new DatabaseError(e.message, undefined, { cause: e });
      const { message, code, constraint, table, column, detail } = e;
      return mapPostgresServerError({ message, code, constraint, table, column, detail }, address);
    },
    POSTGRES_CLOSED_MESSAGE,
  );
}

function cancelledError(): DatabaseError {
  return new DatabaseError("canceling statement due to user request", "57014");
}
