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
import { ConfigurationError, ConnectionError, NotSupportedError, YaraError } from "./errors.js";
import { checkRouters, connectionPlans } from "./connection/connection-config.js";
import { DEFAULT_CONNECTION, namedRoot, setNamedConnections } from "./connection/connections.js";
import { DeferredDriver } from "./connection/deferred-driver.js";
import type { Dialect } from "./dialect/dialect.js";
import { setRouters } from "./connection/routers.js";
import { runMigrations, type MigrateOptions, type MigrateResult } from "./migrations/executor.js";
import type { Param } from "./driver/driver.js";
import { executeStatement, queryRows, type SqlRow } from "./raw-sql.js";
import { registeredModels } from "./registry.js";
import {
  connectionDriver,
  currentDriver,
  setRootDriver,
  transactionConnection,
} from "./transaction.js";
import { checkOptions } from "./options.js";

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
  static #connections: ReadonlyMap<string, Driver> = new Map();
  /** The `init` in progress: a second init and every statement are refused, close() cancels it. */
  static #opening: Opening | undefined;

  private constructor() {}

  /**
   * Opens the database: "sqlite://:memory:", "sqlite://./app.db", "sqlite:///abs/path.db",
   * "postgres://user@host:5432/db?sslmode=require" (or "postgresql://"). A bad URL, an unknown
   * option or a driver that cannot speak the URL's dialect is a ConfigurationError; an
   * unreachable Postgres is a ConnectionError, at the latest after the connect timeout
   * (10 s unless `connect_timeout` in the URL or `connectTimeoutMs` says otherwise).
   *
   * `init({ connections: { default: url, replica: url2 }, routers, … })` opens several named
   * connections at once (docs/scaling.md); one that cannot be opened fails the init, naming it,
   * and closes the others.
   */
  static async init(url: string, options?: InitOptions): Promise<void>;
  static async init(options: InitOptions): Promise<void>;
  static async init(urlOrOptions: string | InitOptions, options?: InitOptions): Promise<void> {
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
    const url = typeof urlOrOptions === "string" ? urlOrOptions : undefined;
    if (url === undefined && (typeof urlOrOptions !== "object" || urlOrOptions === null))
      throw new ConfigurationError(
        'YaraOrm.init needs a database URL ("sqlite://:memory:", "postgres://user@host:5432/db") ' +
          "or { connections: { default: url, … } }",
      );
    const opts = checkInitOptions(url === undefined ? urlOrOptions : options);
    const routers = checkRouters(opts.routers);
    const planned = connectionPlans(url, opts);
    const plans = planned.map((plan) => {
      const own = checkInitOptions(plan.options);
      const target = parseDatabaseUrl(plan.url, own.connectTimeoutMs, own.pgbouncer);
      const dialect = dialectNamed(target.dialect);
      if (own.driver !== undefined && !driverSupports(own.driver, dialect)) {
        throw new ConfigurationError(
          `${planned.length > 1 ? `connection "${plan.name}": ` : ""}driver "${own.driver}" cannot open a ${dialect.name} database; ` +
            `use "${dialect.jsDriver}" or "native"`,
        );
      }
      return { name: plan.name, own, target, dialect, optional: plan.optional };
    });
    const first = plans[0]!;
    const controller = new AbortController();
    let cancel: (err: Error) => void = () => undefined;
    const cancelled = new Promise<never>((_, reject) => (cancel = reject));
    const opening: Opening = { address: addressOf(first.target), controller, cancel };
    YaraOrm.#opening = opening;
    setRootDriver(
      new ConnectingDriver(
        first.dialect,
        first.own.driver ?? first.dialect.jsDriver,
        opening.address,
      ),
    );
    const logged = (driver: Driver, name: string): Driver =>
      opts.log === undefined && opts.onQuery === undefined
        ? driver
        : new LoggingDriver(driver, opts.log, opts.onQuery, plans.length > 1 ? name : undefined);
    const opened = openAll(plans, controller.signal);
    try {
      const drivers = await Promise.race([opened, cancelled]);
      if (controller.signal.aborted) throw controller.signal.reason;
      const named = new Map<string, Driver>();
      for (const [name, driver] of drivers) named.set(name, logged(driver, name));
      YaraOrm.#driver = named.get(first.name)!;
      YaraOrm.#connections = named;
      setNamedConnections(named);
      setRouters(routers);
      setRootDriver(YaraOrm.#driver);
    } catch (err) {
      // Drivers that open after close() cancelled this init are closed, never left open.
      void opened.then(closeAll, () => undefined);
      if (YaraOrm.#opening === opening) setRootDriver(undefined);
      throw err;
    } finally {
      if (YaraOrm.#opening === opening) YaraOrm.#opening = undefined;
    }
  }

  /** The names of the open connections ("default" first). */
  static get connections(): readonly string[] {
    return [...YaraOrm.#connections.keys()];
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
   * With several connections, on `using` (default: the enclosing transaction's, else
   * "default"): the models the schema binds to it, and every model bound to none.
   */
  static async generateSchemas(options?: { readonly using?: string }): Promise<void> {
    YaraOrm.driver; // refuses before init, and while init is still connecting
    checkOptions(undefined, "generateSchemas()", options, ["using"]);
    const on = options?.using ?? transactionConnection() ?? DEFAULT_CONNECTION;
    const driver = options?.using === undefined ? currentDriver() : connectionDriver(on);
    const models = registeredModels()
      .map((m) => m.meta)
      .filter((meta) => meta.connection === undefined || meta.connection === on);
    const statements = schemaStatements(models, driver.dialect);
    if (statements.length === 0) return;
    if (!driver.dialect.supports.transactionalDdl) {
      if (transactionConnection() !== undefined)
        throw new NotSupportedError(
          `generateSchemas() cannot run inside a transaction on ${driver.dialect.title}: its first ` +
            "CREATE TABLE would commit the transaction (MySQL commits every DDL statement on its own); call it outside",
          driver.dialect.name,
        );
      // Each statement commits on its own; every one is idempotent, so a rerun finishes the job.
      for (const sql of statements) await driver.execute(sql, []);
      return;
    }
    await driver.transaction(async (conn) => {
      for (const sql of statements) await conn.execute(sql, []);
    });
  }

  /**
   * Applies the migrations folder `dir` up to `target` (default: all), or with
   * `direction: "down"` reverts down to `target` ("zero" for none). See docs/migrations.md.
   */
  static async migrate(options: MigrateOptions): Promise<MigrateResult> {
    const using = options?.using;
    return runMigrations(using === undefined ? YaraOrm.driver : namedRoot(using), options);
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
    const drivers = YaraOrm.#connections;
    YaraOrm.#driver = undefined;
    YaraOrm.#connections = new Map();
    setNamedConnections(new Map());
    setRouters([]);
    setRootDriver(undefined);
    await closeAll(drivers);
  }
}

/**
 * Opens every planned connection at once; when one fails, the others that opened are closed
 * and the error names the connection (when there are several). An `optional` connection that
 * cannot be reached (a ConnectionError) is left to open later (deferred-driver.ts).
 */
async function openAll(
  plans: readonly {
    name: string;
    own: InitOptions;
    target: DatabaseTarget;
    dialect: Dialect;
    optional: boolean;
  }[],
  signal: AbortSignal,
): Promise<Map<string, Driver>> {
  const settled = await Promise.allSettled(plans.map((p) => openDriver(p.target, p.own, signal)));
  const drivers = new Map<string, Driver>();
  settled.forEach((s, i) => {
    const p = plans[i]!;
    if (s.status === "fulfilled") drivers.set(p.name, s.value);
    else if (p.optional && s.reason instanceof ConnectionError && !signal.aborted)
      drivers.set(
        p.name,
        new DeferredDriver(
          p.name,
          p.dialect,
          p.own.driver ?? p.dialect.jsDriver,
          () => openDriver(p.target, p.own),
          s.reason,
        ),
      );
  });
  const failed = settled.findIndex(
    (s, i) => s.status === "rejected" && !drivers.has(plans[i]!.name),
  );
  if (failed < 0) return drivers;
  await closeAll(drivers);
  const reason = (settled[failed] as PromiseRejectedResult).reason as unknown;
  if (plans.length > 1 && reason instanceof YaraError)
    reason.message = `connection "${plans[failed]!.name}": ${reason.message}`;
  throw reason;
}

async function closeAll(drivers: ReadonlyMap<string, Driver>): Promise<void> {
  const closing = await Promise.allSettled([...drivers.values()].map((d) => d.close()));
  const failed = closing.find((c) => c.status === "rejected");
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
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
