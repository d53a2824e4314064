/**
 * `YaraOrm`: the process-wide entry point. `init` opens one driver for a database URL,
 * `generateSchemas` creates every registered model's tables, `close` shuts the driver down.
 */
import { checkInitOptions, driverSupports, parseDatabaseUrl, type InitOptions } from "./config.js";
import { schemaStatements } from "./dialect/ddl.js";
import type { Driver } from "./driver/driver.js";
import { LoggingDriver } from "./driver/logging.js";
import { openDriver } from "./driver/open.js";
import { ConfigurationError } from "./errors.js";
import { runMigrations, type MigrateOptions, type MigrateResult } from "./migrations/executor.js";
import { registeredModels } from "./registry.js";
import { currentDriver, setRootDriver } from "./transaction.js";

export type { InitOptions, PoolOptions } from "./config.js";

export class YaraOrm {
  static #driver: Driver | undefined;
  /** The `init` in progress: a second init is refused, close() waits for it. */
  static #opening: Promise<void> | undefined;

  private constructor() {}

  /**
   * Opens the database: "sqlite://:memory:", "sqlite://./app.db", "sqlite:///abs/path.db",
   * "postgres://user@host:5432/db?sslmode=require" (or "postgresql://"). A bad URL, an unknown
   * option or a driver that cannot speak the URL's dialect is a ConfigurationError; an
   * unreachable Postgres is a ConnectionError.
   */
  static async init(url: string, options?: InitOptions): Promise<void> {
    if (YaraOrm.#driver !== undefined || YaraOrm.#opening !== undefined) {
      throw new ConfigurationError(
        "YaraOrm is already initialised; call YaraOrm.close() before init again",
      );
    }
    const opts = checkInitOptions(options);
    const target = parseDatabaseUrl(url);
    if (opts.driver !== undefined && !driverSupports(opts.driver, target.dialect)) {
      throw new ConfigurationError(
        `driver "${opts.driver}" cannot open a ${target.dialect} database; ` +
          `use "${target.dialect === "postgres" ? "pg" : "better-sqlite3"}" or "native"`,
      );
    }
    const opening = openDriver(target, opts).then((driver) => {
      YaraOrm.#driver = opts.log === undefined ? driver : new LoggingDriver(driver, opts.log);
      setRootDriver(YaraOrm.#driver);
    });
    YaraOrm.#opening = opening;
    try {
      await opening;
    } finally {
      YaraOrm.#opening = undefined;
    }
  }

  /** The driver `init` opened (wrapped for logging when `log` was given). */
  static get driver(): Driver {
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
    await currentDriver().transaction(async (conn) => {
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
   * Closes the driver (an `init` still connecting first finishes, then is closed); safe to call
   * twice. `init` may be called again afterwards. Transactions still running are let finish.
   */
  static async close(): Promise<void> {
    await YaraOrm.#opening?.catch(() => undefined);
    const driver = YaraOrm.#driver;
    YaraOrm.#driver = undefined;
    setRootDriver(undefined);
    await driver?.close();
  }
}
