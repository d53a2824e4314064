/**
 * The better-sqlite3 driver: one synchronous connection, prepared statements kept in a bounded
 * LRU cache, rows fetched raw (arrays). Statements run on the JS thread at once; the async
 * mutex only matters while a transaction is open, when everything else queues behind it.
 */
import { ConnectionError, YaraError } from "../../errors.js";
import {
  emptySqliteResult,
  SqliteRowReader,
  type SqliteCell,
} from "../../dialect/sqlite/reader.js";
import type { Param, QueryOptions, Result } from "../driver.js";
import { SqliteConnectionDriver } from "../sqlite-connection.js";
import { claimSqliteFile } from "../sqlite-file-owner.js";
import { OPTIMIZE_ON_CLOSE, OPTIMIZE_ON_OPEN, optimizeBeforeClose } from "../sqlite-optimize.js";
import { StatementCache } from "../statement-cache.js";
import { mapSqliteError } from "./errors.js";
import {
  loadBetterSqlite3,
  type BetterSqliteDatabase,
  type BetterSqliteStatement,
} from "./load.js";
import {
  type Accumulator,
  SQLITE_AGGREGATES,
  SQLITE_FUNCTIONS,
} from "../../dialect/sqlite/functions.js";

export interface BetterSqliteOptions {
  /** ":memory:" or a file path. */
  readonly filename: string;
  /** How long a statement waits for another process's lock on a file database (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Prepared statements kept (default 256). */
  readonly statementCacheSize?: number;
}

interface Prepared {
  readonly stmt: BetterSqliteStatement;
  readonly returnsRows: boolean;
  /** DDL: the cache starts over after it runs (tested once, when prepared). */
  readonly changesSchema: boolean;
  columns: readonly string[] | undefined;
  safeIntegers: boolean;
}

type SqliteBind = null | number | bigint | string | Uint8Array;

/**
 * Up to this many parameters are passed to better-sqlite3 as arguments; more go in one array.
 * An array argument is read element by element through V8's generic property lookup, which a
 * point lookup measured as its largest cost after SQLite itself; spreading thousands of values
 * (a bulk INSERT binds up to 32 766) would instead put them all on the stack.
 */
const SPREAD_PARAMS = 64;

/** DDL may change what a cached statement's columns are: the cache starts over after it. */
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

export class BetterSqliteDriver extends SqliteConnectionDriver {
  readonly name = "better-sqlite3" as const;
  readonly #db: BetterSqliteDatabase;
  readonly #cache: StatementCache<Prepared>;
  /** Gives up this connection's claim on its file (sqlite-file-owner.ts). */
  readonly #release: () => void;

  private constructor(db: BetterSqliteDatabase, cacheSize: number, release: () => void) {
    super();
    this.#db = db;
    this.#cache = new StatementCache(cacheSize);
    this.#release = release;
  }

  static async open(options: BetterSqliteOptions): Promise<BetterSqliteDriver> {
    const Database = await loadBetterSqlite3();
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const release = claimSqliteFile(options.filename, "better-sqlite3");
    let db: BetterSqliteDatabase;
    try {
      db = new Database(options.filename, { timeout: busyTimeoutMs });
    } catch (err) {
      release();
      throw new ConnectionError(
        `cannot open SQLite database "${options.filename}": ${(err as Error).message}`,
        (err as { code?: string }).code,
        { cause: err },
      );
    }
    try {
      db.pragma("foreign_keys = ON");
      for (const { name, fn, deterministic, safeIntegers = false } of SQLITE_FUNCTIONS)
        db.function(name, { deterministic, safeIntegers }, fn);
      for (const { name, start } of SQLITE_AGGREGATES)
        db.aggregate(name, {
          start,
          step: (acc: Accumulator, value: unknown) => acc.step(value),
          result: (acc: Accumulator) => acc.result(),
          deterministic: true,
          safeIntegers: true,
        });
      if (options.filename !== ":memory:") {
        db.pragma("journal_mode = WAL");
        db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      }
      db.exec(OPTIMIZE_ON_OPEN);
    } catch (err) {
      db.close();
      release();
      // The first statements are where SQLite finds the file is no database, or is locked.
      const mapped = mapSqliteError(err);
      throw new ConnectionError(
        `cannot open SQLite database "${options.filename}": ${mapped.message}`,
        (mapped as { code?: string }).code,
        { cause: err },
      );
    }
    return new BetterSqliteDriver(db, options.statementCacheSize ?? 256, release);
  }

  protected override inOpenTransaction(): boolean {
    return this.#db.open && this.#db.inTransaction;
  }

  protected override closeConnection(): void {
    if (this.#db.open) {
      this.#cache.clear();
      optimizeBeforeClose(() => this.#db.exec(OPTIMIZE_ON_CLOSE));
      this.#db.close();
      this.#release();
    }
    this.#cache.clear();
  }

  protected override runQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Result {
    const p = this.#prepare(sql);
    const bigints = options?.bigints === true;
    try {
      if (!p.returnsRows) return emptySqliteResult(this.#run(p, params).rowCount);
      if (p.safeIntegers !== bigints) {
        p.stmt.safeIntegers(bigints);
        p.safeIntegers = bigints;
      }
      const bind = toSqliteParams(params);
      const rows = options?.oneRow === true ? oneRow(p.stmt, bind) : allRows(p.stmt, bind);
      p.columns ??= p.stmt.columns().map((c) => c.name);
      return { rowCount: rows.length, columns: p.columns, reader: new SqliteRowReader(rows) };
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  protected override runExecute(sql: string, params: readonly Param[]): { rowCount: number } {
    return this.#run(this.#prepare(sql), params);
  }

  #run(p: Prepared, params: readonly Param[]): { rowCount: number } {
    try {
      const bind = toSqliteParams(params);
      return {
        rowCount: (bind.length <= SPREAD_PARAMS ? p.stmt.run(...bind) : p.stmt.run(bind)).changes,
      };
    } catch (err) {
      throw mapSqliteError(err);
    } finally {
      if (p.changesSchema) this.#cache.clear();
    }
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    if (!this.#db.open) throw closedError();
    let stmt: BetterSqliteStatement;
    try {
      stmt = this.#db.prepare(sql);
    } catch (err) {
      throw mapSqliteError(err);
    }
    const returnsRows = stmt.reader;
    if (returnsRows) stmt.raw(true);
    const prepared: Prepared = {
      stmt,
      returnsRows,
      changesSchema: !returnsRows && SCHEMA_CHANGE.test(sql),
      columns: undefined,
      safeIntegers: false,
    };
    this.#cache.set(sql, prepared);
    return prepared;
  }

  /** BEGIN / COMMIT / ROLLBACK, prepared once like any statement (not parsed per transaction). */
  protected override control(sql: string): void {
    const p = this.#prepare(sql);
    try {
      p.stmt.run();
    } catch (err) {
      throw mapSqliteError(err);
    }
  }
}

function allRows(stmt: BetterSqliteStatement, bind: readonly SqliteBind[]): SqliteCell[][] {
  return (bind.length <= SPREAD_PARAMS ? stmt.all(...bind) : stmt.all(bind)) as SqliteCell[][];
}

/**
 * `QueryOptions.oneRow`: one step and a reset (`get`), where `all` steps once more to learn
 * there is no second row — about 1.5k instructions of a 70k-instruction single-row insert.
 */
function oneRow(stmt: BetterSqliteStatement, bind: readonly SqliteBind[]): SqliteCell[][] {
  const row = (bind.length <= SPREAD_PARAMS ? stmt.get(...bind) : stmt.get(bind)) as
    SqliteCell[] | undefined;
  return row === undefined ? [] : [row];
}

/** SQLite binds no booleans and no arrays: booleans become 0/1; arrays are a runtime bug. */
function toSqliteParams(params: readonly Param[]): readonly SqliteBind[] {
  let out: SqliteBind[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as Param;
    if (typeof p === "boolean") {
      out ??= params.slice() as SqliteBind[];
      out[i] = p ? 1 : 0;
    } else if (Array.isArray(p)) {
      throw new YaraError(
        `parameter ${i + 1} is an array; SQLite binds arrays only as JSON text (the SQLite dialect encodes them)`,
      );
    }
  }
  return out ?? (params as readonly SqliteBind[]);
}

function closedError(): YaraError {
  return new ConnectionError("this SQLite database has been closed; call YaraOrm.init again");
}
