/**
 * `YaraOrm`: the process-wide entry point. `init` opens one driver for a database URL,
 * `generateSchemas` creates every registered model's tables, `close` shuts the driver down —
 * or cancels an `init` still connecting.
 */
import { dialectNamed } from "./dialect/registry.js";
import {
  checkInitOptions,
  driverSupports,
  parseDatabaseUrl,
  type DatabaseTarget,
  type InitOptions,
} from "./config.js";
import { schemaStatements } from "./dialect/ddl.js";
import { ConnectingDriver, stillConnecting } from "./driver/connecting.js";
import type { Driver } from "./driver/driver.js";
import { LoggingDriver } from "./driver/logging.js";
import { openDriver } from "./driver/open.js";
import { ConfigurationError, ConnectionError, NotSupportedError } from "./errors.js";
import { runMigrations, type MigrateOptions, type MigrateResult } from "./migrations/executor.js";
import type { Param } from "./driver/driver.js";
import { executeStatement, queryRows, type SqlRow } from "./raw-sql.js";
import { registeredModels } from "./registry.js";
import { currentDriver, setRootDriver } from "./transaction.js";

export type { InitOptions, PoolOptions } from "./config.js";

/** An `init` still connecting: where to, and how close() cancels it. */
interface Opening {
  readonly address: string;
  readonly controller: AbortController;
  /** Rejects the pending init at once. */
  readonly cancel: (err: Error) => void;
}

export class YaraOrm {
  static #driver: Driver | undefined;
  /** The `init` in progress: a second init and every statement are refused, close() cancels it. */
  static #opening: Opening | undefined;

  private constructor() {}

  /**
   * Opens the database: "sqlite://:memory:", "sqlite://./app.db", "sqlite:///abs/path.db",
   * "postgres://user@host:5432/db?sslmode=require" (or "postgresql://"). A bad URL, an unknown
   * option or a driver that cannot speak the URL's dialect is a ConfigurationError; an
   * unreachable Postgres is a ConnectionError, at the latest after the connect timeout
   * (10 s unless `connect_timeout` in the URL or `connectTimeoutMs` says otherwise).
   */
  static async init(url: string, options?: InitOptions): Promise<void> {
    const pending = YaraOrm.#opening;
    if (pending !== undefined) {
      throw new ConfigurationError(
        `${stillConnecting(pending.address)}; await that init, or call YaraOrm.close() to cancel it, before init again`,
      );
    }
    if (YaraOrm.#driver !== undefined) {
      throw new ConfigurationError(
        "YaraOrm is already initialised; call YaraOrm.close() before init again",
      );
    }
    const opts = checkInitOptions(options);
    const target = parseDatabaseUrl(url, opts.connectTimeoutMs);
    const dialect = dialectNamed(target.dialect);
    if (opts.driver !== undefined && !driverSupports(opts.driver, dialect)) {
      throw new ConfigurationError(
        `driver "${opts.driver}" cannot open a ${dialect.name} database; ` +
          `use "${dialect.jsDriver}" or "native"`,
      );
    }
    const controller = new AbortController();
    let cancel: (err: Error) => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => (cancel = reject));
    const opening: Opening = { address: addressOf(target), controller, cancel };
    YaraOrm.#opening = opening;
    const guess = opts.driver ?? dialect.jsDriver;
    setRootDriver(new ConnectingDriver(dialect, guess, opening.address));
    // A driver that opens after close() cancelled this init is closed, never left open.
    const unlessCancelled = (driver: Driver): Driver => {
      if (!controller.signal.aborted) return driver;
      void driver.close().catch(() => undefined);
      throw controller.signal.reason;
    };
    const opened = openDriver(target, opts, controller.signal).then(unlessCancelled);
    try {
      const driver = unlessCancelled(await Promise.race([opened, cancelled]));
      YaraOrm.#driver =
        opts.log === undefined && opts.onQuery === undefined
          ? driver
          : new LoggingDriver(driver, opts.log, opts.onQuery);
      setRootDriver(YaraOrm.#driver);
    } catch (err) {
      if (YaraOrm.#opening === opening) setRootDriver(undefined);
      throw err;
    } finally {
      if (YaraOrm.#opening === opening) YaraOrm.#opening = undefined;
    }
  }

  /** The driver `init` opened (wrapped for logging when `log` was given). */
  static get driver(): Driver {
    const pending = YaraOrm.#opening;
    if (pending !== undefined) {
      throw new ConfigurationError(
        `${stillConnecting(pending.address)}; await YaraOrm.init(…) before running queries`,
      );
    }
    if (YaraOrm.#driver === undefined) {
      throw new ConfigurationError("YaraOrm is not initialised: call YaraOrm.init(url) first");
    }
    return YaraOrm.#driver;
  }

  static get initialized(): boolean {
    return YaraOrm.#driver !== undefined;
  }

  /**
   * CREATE TABLE / CREATE INDEX IF NOT EXISTS for every registered model and many-to-many join
   * table, in foreign-key order, in one transaction (a savepoint inside `inTransaction`).
   */
  static async generateSchemas(): Promise<void> {
    const driver = YaraOrm.driver;
    const statements = schemaStatements(
      registeredModels().map((m) => m.meta),
      driver.dialect,
    );
    if (statements.length === 0) return;
    const current = currentDriver();
    if (!driver.dialect.supports.transactionalDdl) {
      if (current !== driver)
        throw new NotSupportedError(
          `generateSchemas() cannot run inside a transaction on ${driver.dialect.title}: its first ` +
            "CREATE TABLE would commit the transaction (MySQL commits every DDL statement on its own); call it outside",
          driver.dialect.name,
        );
      // Each statement commits on its own; every one is idempotent, so a rerun finishes the job.
      for (const sql of statements) await driver.execute(sql, []);
      return;
    }
    await current.transaction(async (conn) => {
      for (const sql of statements) await conn.execute(sql, []);
    });
  }

  /**
   * Applies the migrations folder `dir` up to `target` (default: all), or with
   * `direction: "down"` reverts down to `target` ("zero" for none). See docs/migrations.md.
   */
  static migrate(options: MigrateOptions): Promise<MigrateResult> {
    return runMigrations(YaraOrm.driver, options);
  }

  /**
   * Runs one statement outside any model on the current connection (the transaction's inside
   * `inTransaction`) and resolves to its rows as plain objects keyed by column name. Write
   * placeholders in the database's syntax (`$1` / `?`); `params` are checked as `raw()` checks
   * them. `Row` only names the shape you expect: it is not checked.
   */
  static query<Row extends SqlRow = SqlRow>(
    sql: string,
    params: readonly Param[] = [],
  ): Promise<Row[]> {
    return queryRows(sql, params) as Promise<Row[]>;
  }

  /**
   * Runs one statement outside any model on the current connection (the transaction's inside
   * `inTransaction`) and resolves to the number of rows it changed.
   */
  static execute(sql: string, params: readonly Param[] = []): Promise<number> {
    return executeStatement(sql, params);
  }

  /**
   * Closes the driver; safe to call twice. `init` may be called again afterwards. Transactions
   * still running are let finish. An `init` still connecting is cancelled: it rejects at once
   * with a ConnectionError, its connection attempt is given up, and a driver it still produces
   * is closed.
   */
  static async close(): Promise<void> {
    const pending = YaraOrm.#opening;
    if (pending !== undefined) {
      YaraOrm.#opening = undefined;
      setRootDriver(undefined);
      const err = new ConnectionError(
        `closed while connecting to ${pending.address}: YaraOrm.close() was called before YaraOrm.init finished`,
      );
      pending.controller.abort(err);
      pending.cancel(err);
      return;
    }
    const driver = YaraOrm.#driver;
    YaraOrm.#driver = undefined;
    setRootDriver(undefined);
    await driver?.close();
  }
}

/** Where a target is, for messages: "host:port" for Postgres, the file for SQLite. */
function addressOf(target: DatabaseTarget): string {
  if ("filename" in target) return target.filename;
  const url = target.url;
  const host =
    url.searchParams.get("host") ??
    (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost");
  return host.startsWith("/") ? host : `${host}:${url.port === "" ? "5432" : url.port}`;
}
