/**
 * The mysql2 driver for MariaDB: a mysql2 pool, rows fetched as arrays (reader.ts), statements
 * with parameters prepared on the server (so no value is ever spliced into SQL text), and every
 * connection given the session settings of session.ts before its first statement. A
 * transaction holds one connection from BEGIN to COMMIT, runs its statements one after another
 * in call order, and nests with savepoints (PinnedConnection).
 */
import type { PoolConnection } from "mysql2/promise";
import type { FieldPacket, ResultSetHeader } from "mysql2";
import type { PoolOptions } from "../../config.js";
import type { Dialect } from "../../dialect/dialect.js";
import { mysql } from "../../dialect/mysql/index.js";
import { mysqlDialectFor } from "../../dialect/mysql/flavour.js";
import { ConfigurationError, ConnectionError, IntegrityError, YaraError } from "../../errors.js";
import type {
  Driver,
  ExecuteResult,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "../driver.js";
import { AsyncMutex } from "../mutex.js";
import { PinnedConnection, type StatementRunner } from "../pinned-connection.js";
import { PoolGuard } from "../pool-guard.js";
import { mysqlBegin } from "../transaction-begin.js";
import { mysqlSettings, type MysqlSettings } from "./config.js";
import { mapMysqlError } from "./errors.js";
import { withIntegrityTarget } from "./integrity-target.js";
import { toMysqlParams } from "./params.js";
import { mayNameObjectInternals } from "./object-internals.js";
import { MYSQL_CLOSED_MESSAGE, MysqlPool } from "./pool.js";
import { MysqlResult, type MysqlRow } from "./reader.js";
import { SESSION_SETTINGS, serverProblem } from "./session.js";
import { readServer } from "./server.js";

type Conn = PoolConnection;

export class Mysql2Driver implements Driver {
  /** `mysql`, or its variant for a server without INSERT … RETURNING (set by open()). */
  #dialect: Dialect = mysql;
  readonly name = "mysql2" as const;
  /** The protocol's parameter count of a prepared statement is 16-bit. */
  readonly maxParams = 65_535;
  readonly #pool: MysqlPool;
  readonly #settings: MysqlSettings;
  /** Refuses statements that would wait forever for the caller's own transactions; close(). */
  readonly #guard: PoolGuard;
  /** Connections that have had their session settings (keyed by mysql2's core connection). */
  readonly #ready = new WeakSet<object>();

  private constructor(settings: MysqlSettings) {
    this.#settings = settings;
    this.#pool = new MysqlPool(settings);
    this.#guard = new PoolGuard(settings.max, MYSQL_CLOSED_MESSAGE);
  }

  /**
   * Creates the pool and opens its first connection, so a wrong host, password or database
   * fails here with a ConnectionError, and a server yara cannot use with a ConfigurationError.
   */
  static async open(
    url: URL,
    pool: PoolOptions | undefined,
    connectTimeoutMs: number,
  ): Promise<Mysql2Driver> {
    const driver = new Mysql2Driver(mysqlSettings(url, pool, connectTimeoutMs));
    try {
      const conn = await driver.#acquire();
      try {
        const server = await readServer(conn);
        const problem = serverProblem(server.version);
        if (problem !== undefined)
          throw new ConfigurationError(`cannot use ${driver.#settings.address}: ${problem}`);
        driver.#dialect = mysqlDialectFor(server);
      } finally {
        driver.#pool.release(conn, false);
      }
      return driver;
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw err instanceof YaraError ? err : mapMysqlError(err, driver.#settings.address);
    }
  }

  get dialect(): Dialect {
    return this.#dialect;
  }

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.#withConnection((conn) => this.#query(conn, sql, params, options));
  }

  execute(sql: string, params: readonly Param[]): Promise<ExecuteResult> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) return Promise.reject(refused);
    return this.#withConnection((conn) => this.#execute(conn, sql, params));
  }

  async transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const refused = this.#guard.refusal();
    if (refused !== undefined) throw refused;
    const conn = await this.#acquire();
    // One statement at a time on the connection, in call order.
    const turn = new AsyncMutex();
    const runner: StatementRunner = {
      query: (sql, params, options) => turn.serial(() => this.#query(conn, sql, params, options)),
      execute: (sql, params) => turn.serial(() => this.#execute(conn, sql, params)),
    };
    const pinned = new PinnedConnection(this, runner, 1);
    let broken: Error | undefined;
    try {
      for (const sql of mysqlBegin(options)) await turn.serial(() => this.#control(conn, sql));
      let result: T;
      try {
        result = await this.#guard.holding(fn, pinned);
      } catch (err) {
        await turn.serial(() => this.#control(conn, "ROLLBACK")).catch((e: Error) => (broken = e));
        throw err;
      }
      await turn.serial(() => this.#control(conn, "COMMIT"));
      return result;
    } catch (err) {
      if (err instanceof ConnectionError) broken ??= err;
      throw err;
    } finally {
      pinned.finish();
      this.#pool.release(conn, broken !== undefined);
    }
  }

  /**
   * Refuses new work at once, lets the statements and transactions holding connections finish,
   * then closes every connection; statements still waiting for a connection fail with a
   * ConnectionError. Called from inside a transaction, it returns at once and the pool ends after
   * that transaction (pool-guard.ts).
   */
  close(): Promise<void> {
    return this.#guard.close(() => this.#pool.close());
  }

  /** A pooled connection with the session settings applied. */
  async #acquire(): Promise<Conn> {
    const conn = await this.#pool.acquire();
    const core = conn.connection as unknown as object;
    if (this.#ready.has(core)) return conn;
    try {
      for (const sql of SESSION_SETTINGS) await conn.query(sql);
    } catch (err) {
      this.#pool.release(conn, true);
      throw mapMysqlError(err, this.#settings.address);
    }
    this.#ready.add(core);
    return conn;
  }

  /** One statement on a pooled connection; the connection is destroyed only if it broke. */
  async #withConnection<T>(run: (conn: Conn) => Promise<T>): Promise<T> {
    const conn = await this.#acquire();
    let broken = false;
    try {
      return await run(conn);
    } catch (err) {
      broken = err instanceof ConnectionError;
      throw err;
    } finally {
      this.#pool.release(conn, broken);
    }
  }

  async #query(
    conn: Conn,
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
    const [rows, fields] = await this.#send(conn, sql, params);
    if (!Array.isArray(rows)) return new MysqlResult([], [], false);
    return new MysqlResult(rows as MysqlRow[], fields ?? [], options?.bigints === true);
  }

  async #execute(conn: Conn, sql: string, params: readonly Param[]): Promise<ExecuteResult> {
    const [rows] = await this.#send(conn, sql, params);
    if (Array.isArray(rows)) return { rowCount: rows.length };
    const header = rows as ResultSetHeader;
    // A number, or (supportBigNumbers) the decimal text of one past 2^53.
    return { rowCount: header.affectedRows, insertId: BigInt(header.insertId) };
  }

  /**
   * With parameters: a prepared statement (the binary protocol; values never enter the SQL
   * text). Without: the text protocol, which also runs what cannot be prepared. Either runs
   * one statement only (multipleStatements is off). Rows are decoded by mysql2's generated
   * parsers, except where a result column could be named like an object internal (below).
   */
  async #send(
    conn: Conn,
    sql: string,
    params: readonly Param[],
  ): Promise<[unknown, FieldPacket[] | undefined]> {
    // The SQL text alone where the generated parser serves: mysql2 then takes rowsAsArray from
    // the pool's options instead of merging an options object into a copy of them on every call.
    const slow = mayNameObjectInternals(sql) ? { sql, disableEval: true } : undefined;
    type Sent = [unknown, FieldPacket[]];
    try {
      if (params.length === 0) return (await (slow ? conn.query(slow) : conn.query(sql))) as Sent;
      const values = toMysqlParams(params);
      return (await (slow ? conn.execute(slow, values) : conn.execute(sql, values))) as Sent;
    } catch (err) {
      const mapped = mapMysqlError(err, this.#settings.address);
      throw mapped instanceof IntegrityError
        ? await withIntegrityTarget(conn, sql, mapped)
        : mapped;
    }
  }

  /** BEGIN's statements (transaction-begin.ts), COMMIT, ROLLBACK. */
  async #control(conn: Conn, sql: string): Promise<void> {
    try {
      await conn.query(sql);
    } catch (err) {
      throw mapMysqlError(err, this.#settings.address);
    }
  }
}
