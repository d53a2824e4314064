/**
 * The native SQLite driver: one rusqlite connection inside the addon, statements prepared once
 * and kept by id in a bounded LRU cache on this side, each result handed over as one buffer
 * (reader.ts). Statements run synchronously on the JS thread — the measured fast path — with the
 * same transaction and mutex semantics as the better-sqlite3 driver: the async mutex only
 * matters while a transaction (or an off-thread `queryAsync`) holds the connection, when
 * everything else queues behind it.
 */
import { sqlite } from "../../dialect/sqlite/index.js";
import { ConnectionError, type YaraError } from "../../errors.js";
import { mapSqliteError } from "../better-sqlite3/errors.js";
import type { Param, QueryOptions, Result } from "../driver.js";
import { reentryError, SqliteConnectionDriver } from "../sqlite-connection.js";
import { claimSqliteFile } from "../sqlite-file-owner.js";
import { OPTIMIZE_ON_CLOSE, OPTIMIZE_ON_OPEN, optimizeBeforeClose } from "../sqlite-optimize.js";
import { StatementCache } from "../statement-cache.js";
import type { NativeAddon, NativeHandle } from "./addon.js";
import { mapNativeError } from "./errors.js";
import { ResultArena } from "./arena.js";
import {
  emptyNativeResult,
  nativeResult,
  NativeRowReader,
  type EncodedResult,
  type ReaderOptions,
} from "./reader.js";

export interface NativeSqliteOptions {
  /** ":memory:" or a file path. */
  readonly filename: string;
  /** How long a statement waits for another process's lock on a file database (default 5000). */
  readonly busyTimeoutMs?: number;
  /** Prepared statements kept (default 256). */
  readonly statementCacheSize?: number;
}

interface Prepared {
  readonly id: number;
  readonly columns: readonly string[];
  readonly returnsRows: boolean;
  /** DDL: the cache starts over after it runs. */
  readonly changesSchema: boolean;
}

/** DDL may change what a cached statement's columns are: the cache starts over after it. */
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

const NO_PARAMS: readonly Param[] = [];
const CLOSED_MESSAGE = "this SQLite database has been closed; call YaraOrm.init again";
const READ_NUMBERS: ReaderOptions = { dialect: sqlite, bigints: false };
const READ_BIGINTS: ReaderOptions = { dialect: sqlite, bigints: true };

export class NativeSqliteDriver extends SqliteConnectionDriver {
  readonly name = "native" as const;
  readonly #addon: NativeAddon;
  readonly #db: NativeHandle;
  /** Gives up this connection's claim on its file (sqlite-file-owner.ts). */
  readonly #release: () => void;
  #open = true;
  /** Where the addon writes small results (see arena.ts). */
  #arena: ResultArena;
  readonly #cache: StatementCache<Prepared>;

  private constructor(
    addon: NativeAddon,
    db: NativeHandle,
    cacheSize: number,
    release: () => void,
  ) {
    super();
    this.#addon = addon;
    this.#db = db;
    this.#release = release;
    this.#arena = this.#attachArena();
    this.#cache = new StatementCache(cacheSize, (p) => {
      if (this.#open) addon.sqliteFinalize(db, p.id);
    });
  }

  static open(addon: NativeAddon, options: NativeSqliteOptions): NativeSqliteDriver {
    const release = claimSqliteFile(options.filename, "native");
    let db: NativeHandle;
    try {
      db = addon.sqliteOpen(options.filename, Math.trunc(options.busyTimeoutMs ?? 5000));
    } catch (err) {
      release();
      throw openError(options.filename, err);
    }
    try {
      addon.sqliteExec(db, OPTIMIZE_ON_OPEN);
    } catch (err) {
      addon.sqliteClose(db);
      release();
      throw openError(options.filename, err);
    }
    return new NativeSqliteDriver(addon, db, options.statementCacheSize ?? 256, release);
  }

  /**
   * The off-thread path for long work (a report, a bulk UPDATE): runs the statement on a worker
   * thread so the event loop stays free meanwhile. Holds the connection like a transaction does:
   * statements sent while it runs wait for it, in order.
   */
  queryAsync(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    if (this.mutex.locked && this.mutex.heldByCaller()) return Promise.reject(reentryError());
    return this.mutex.run(async () => {
      const p = this.#prepare(sql);
      let out: EncodedResult | number;
      try {
        out = await this.#addon.sqliteQueryAsync(this.#db, p.id, params, options?.bigints === true);
      } catch (err) {
        throw this.#mapError(err);
      } finally {
        if (p.changesSchema) this.#clearStatements();
      }
      const read = options?.bigints === true ? READ_BIGINTS : READ_NUMBERS;
      return typeof out === "number"
        ? emptyNativeResult(out, read)
        : nativeResult(out, p.columns, read);
    });
  }

  protected override inOpenTransaction(): boolean {
    return this.#open && this.#addon.sqliteInTransaction(this.#db);
  }

  protected override closeConnection(): void {
    if (!this.#open) return;
    this.#cache.clear();
    optimizeBeforeClose(() => this.#addon.sqliteExec(this.#db, OPTIMIZE_ON_CLOSE));
    this.#open = false;
    try {
      this.#addon.sqliteClose(this.#db);
    } catch (err) {
      throw this.#mapError(err);
    } finally {
      this.#release();
    }
  }

  protected override runQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Result {
    const p = this.#prepare(sql);
    const bigints = options?.bigints === true;
    const read = bigints ? READ_BIGINTS : READ_NUMBERS;
    if (!p.returnsRows) return emptyNativeResult(this.#run(p, params), read);
    let out: EncodedResult | string;
    try {
      out = this.#addon.sqliteQuery(this.#db, p.id, params, bigints) as EncodedResult | string;
    } catch (err) {
      throw this.#mapError(err);
    }
    if (typeof out === "string") {
      const arena = this.#arena;
      const rows = arena.rows;
      const reader = new NativeRowReader(
        arena.memory,
        out,
        rows,
        p.columns.length,
        read,
        arena.offset,
      );
      return { rowCount: rows, columns: p.columns, reader };
    }
    if (this.#arena.full) this.#arena = this.#attachArena();
    return nativeResult(out, p.columns, read);
  }

  /** A fresh arena for the addon to write into; the old one lives on in its readers. */
  #attachArena(): ResultArena {
    const arena = new ResultArena();
    this.#addon.sqliteAttachArena(this.#db, arena.memory.buffer);
    return arena;
  }

  protected override runExecute(sql: string, params: readonly Param[]): { rowCount: number } {
    return { rowCount: this.#run(this.#prepare(sql), params) };
  }

  #run(p: Prepared, params: readonly Param[]): number {
    try {
      return this.#addon.sqliteRun(this.#db, p.id, params);
    } catch (err) {
      throw this.#mapError(err);
    } finally {
      if (p.changesSchema) this.#clearStatements();
    }
  }

  #prepare(sql: string): Prepared {
    const cached = this.#cache.get(sql);
    if (cached !== undefined) return cached;
    if (!this.#open) throw closedError();
    let id: number;
    let columns: readonly string[];
    try {
      [id, columns] = this.#addon.sqlitePrepare(this.#db, sql);
    } catch (err) {
      throw this.#mapError(err);
    }
    const returnsRows = columns.length > 0;
    const prepared: Prepared = {
      id,
      columns,
      returnsRows,
      changesSchema: !returnsRows && SCHEMA_CHANGE.test(sql),
    };
    this.#cache.set(sql, prepared);
    return prepared;
  }

  #clearStatements(): void {
    this.#cache.clear();
    if (this.#open) this.#addon.sqliteFinalizeAll(this.#db);
  }

  /** BEGIN / COMMIT / ROLLBACK, prepared once like any statement (not parsed per transaction). */
  protected override control(sql: string): void {
    this.#run(this.#prepare(sql), NO_PARAMS);
  }

  #mapError(err: unknown): YaraError {
    return mapNativeError(err, mapSqliteError, CLOSED_MESSAGE);
  }
}

/** Why `filename` could not be opened (the first statements are where SQLite finds it is no database, or locked). */
function openError(filename: string, err: unknown): ConnectionError {
  const mapped = mapNativeError(err, mapSqliteError, CLOSED_MESSAGE);
  return new ConnectionError(
    `cannot open SQLite database "${filename}": ${mapped.message}`,
    (mapped as { code?: string }).code,
    { cause: err },
  );
}

function closedError(): ConnectionError {
  return new ConnectionError(CLOSED_MESSAGE);
}
