/**
 * The boundary between the dialect-neutral runtime and a database driver.
 *
 * The runtime compiles a query to `{ sql, params }` with params already encoded for the dialect
 * (see `runtime/dialect/*`): a param is `null | number | bigint | string | boolean | Uint8Array`
 * or, on Postgres only, an array of those (bound as one array parameter for `= ANY($1)`).
 * A driver binds them, runs the statement and returns a `Result` whose `RowReader` decodes cells
 * by position. Generated per-model decoders call the reader with the column index and the
 * field's kind already unrolled, so a driver never inspects the model.
 */

import type { Dialect } from "../dialect/dialect.js";

export type DriverName = "native" | "pg" | "better-sqlite3" | "mysql2";

export type Param = null | number | bigint | string | boolean | Uint8Array | readonly Param[];

export interface QueryOptions {
  /**
   * True when the caller will read some integer column as `bigint` (or reads cells untyped and
   * needs exact 64-bit integers). better-sqlite3 only turns on `safeIntegers` when this is set.
   */
  readonly bigints?: boolean;
  /**
   * Gives up on the statement when aborted: the native Postgres driver cancels it on the server
   * (it fails with SQLSTATE 57014, as under `statement_timeout`). Statements outside a
   * transaction only; the other drivers ignore it.
   */
  readonly signal?: AbortSignal;
  /**
   * The statement yields at most one row and does all its work by the first (a single-row
   * INSERT … RETURNING: SQLite makes every change on the first step). better-sqlite3 then steps
   * it once (`get`) instead of to its end (`all`); the other drivers read every row anyway.
   */
  readonly oneRow?: boolean;
}

/** Isolation levels (Postgres `BEGIN ISOLATION LEVEL …`, MySQL `SET TRANSACTION ISOLATION LEVEL …`); the default is "read committed". */
export type IsolationLevel = "serializable" | "repeatable read" | "read committed";

/** How a SQLite transaction takes its locks: `BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`. */
export type SqliteBehavior = "deferred" | "immediate" | "exclusive";

export interface TransactionOptions {
  /** Postgres: the isolation level, sent in the one BEGIN statement; default the server's. MySQL: sent just before START TRANSACTION. */
  readonly isolation?: IsolationLevel;
  /** Postgres and MySQL: `READ ONLY` (writes fail: SQLSTATE 25006, MySQL error 1792). */
  readonly readOnly?: boolean;
  /** Postgres: `DEFERRABLE`; only with isolation "serializable" and readOnly. */
  readonly deferrable?: boolean;
  /** SQLite: when the transaction takes its write lock; default "immediate". */
  readonly behavior?: SqliteBehavior;
  /**
   * SQLite: run the transaction with foreign-key enforcement off — `PRAGMA foreign_keys = OFF`
   * before BEGIN and `ON` again after COMMIT or ROLLBACK, while the transaction holds the
   * connection, so no other statement ever runs with enforcement off (the migration executor's
   * table rebuilds need this; it checks `PRAGMA foreign_key_check` itself before COMMIT).
   * Ignored inside a transaction (SQLite ignores the pragma there) and by the Postgres drivers.
   */
  readonly foreignKeysOff?: boolean;
}

/**
 * Reads one result set by (column, row). Every getter except `isNull` and `value` assumes the
 * cell is not NULL; nullable fields are decoded as `r.isNull(c, i) ? null : r.text(c, i)`.
 * Each getter returns the api.md value type of the field kind of the same name.
 */
export interface RowReader {
  isNull(col: number, row: number): boolean;
  /** int, smallint, intEnum; also COUNT(*) and other integer expressions that fit in 2^53. */
  int(col: number, row: number): number;
  bigint(col: number, row: number): bigint;
  float(col: number, row: number): number;
  boolean(col: number, row: number): boolean;
  /** char, text, charEnum, uuid */
  text(col: number, row: number): string;
  /** Exact decimal string, as the database holds it ("12.50"). */
  decimal(col: number, row: number): string;
  /** A UTC instant. */
  datetime(col: number, row: number): Date;
  /** "YYYY-MM-DD" */
  date(col: number, row: number): string;
  /** "HH:MM:SS[.ffffff]" */
  time(col: number, row: number): string;
  uuid(col: number, row: number): string;
  json(col: number, row: number): unknown;
  binary(col: number, row: number): Uint8Array;
  /** An untyped cell as the driver sees it (for `raw` and expressions of unknown type). */
  value(col: number, row: number): unknown;
}

/** What a statement without a result set reports. */
export interface ExecuteResult {
  readonly rowCount: number;
  /**
   * mysql2: the first key the statement's AUTO_INCREMENT column was given (or the value of
   * `LAST_INSERT_ID(expr)`), 0 when none. The other drivers leave it out.
   */
  readonly insertId?: bigint;
}

export interface Result {
  readonly rowCount: number;
  /** Column names as the database reports them. */
  readonly columns: readonly string[];
  readonly reader: RowReader;
}

/**
 * Rows for `Driver.copyInsert`: `values` holds them one after another, `columns.length` each,
 * encoded as for an INSERT of the same fields.
 */
export interface CopyInsertRequest {
  /** The table's name (unquoted). */
  readonly table: string;
  /** The key column, filled from its sequence (unquoted). */
  readonly key: string;
  /** The columns written, in the order of each row's values (unquoted). */
  readonly columns: readonly string[];
  /** The result's columns, in order: the key or columns written. */
  readonly returning: readonly string[];
  readonly values: readonly Param[];
  readonly bigints?: boolean;
}

export interface Driver {
  readonly dialect: Dialect;
  readonly name: DriverName;
  /**
   * The most bind parameters one statement may carry on this driver (the runtime batches bulk
   * writes by it): node-postgres 65 535 (the protocol's count is 16-bit), the native engine's
   * Postgres binder 32 767, SQLite the SQLITE_MAX_VARIABLE_NUMBER its library was built with.
   */
  readonly maxParams: number;
  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result>;
  /**
   * `query`, run now when the driver can (the SQLite drivers run statements on the JS thread):
   * the result, or undefined having sent nothing when the statement would have to wait (a
   * transaction holds the connection, or a transaction's connection runs statements elsewhere,
   * as on Postgres), and the caller then uses `query`. Errors are thrown, as `query` would reject
   * with them. Drivers that cannot run a statement at once, and decorators (logging), leave it
   * out. A point lookup and create() save a promise and its reaction this way.
   */
  querySync?(sql: string, params: readonly Param[], options?: QueryOptions): Result | undefined;
  execute(sql: string, params: readonly Param[]): Promise<ExecuteResult>;
  /**
   * Runs `fn` on one connection inside BEGIN … COMMIT (ROLLBACK and rethrow on a throw).
   * Calling `transaction` on the `conn` handed to `fn` nests with a SAVEPOINT.
   * Two concurrent transactions never share a connection; on a single-connection database the
   * second waits for the first, and so do statements issued outside any transaction.
   */
  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * Inserts many rows in one statement faster than a multi-row INSERT (the native Postgres
   * engine: binary COPY, keys taken from the key's sequence first), resolving to the rows as
   * `INSERT … RETURNING` would have returned them — or to undefined, having sent nothing, when
   * it cannot store every value exactly so (the caller then runs its INSERT). All rows or none
   * are written. Drivers without a faster path leave it out.
   */
  copyInsert?(request: CopyInsertRequest): Promise<Result | undefined>;
}

/** One statement sent to the database, as reported to `YaraOrm.init({ log })`. */
export interface QueryEvent {
  readonly sql: string;
  readonly params: readonly Param[];
  readonly durationMs: number;
  readonly rowCount: number;
  readonly driver: DriverName;
  /** The named connection that ran it, when `YaraOrm.init({ connections })` opened several. */
  readonly connection?: string;
  readonly error?: Error;
}
