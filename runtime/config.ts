/**
 * `YaraOrm.init(url, options)` input: the database URL and the options object, checked up front
 * so a typo fails at start-up with a ConfigurationError naming it, never at the first query.
 */
import { isAbsolute, resolve } from "node:path";
import type { DriverName, QueryEvent } from "./driver/driver.js";
import type { Dialect } from "./dialect/dialect.js";
import { ConfigurationError } from "./errors.js";
import type { QueryHook } from "./driver/logging.js";
import type { Router } from "./connection/router.js";

/** Connection pool of a Postgres driver. SQLite has one connection and ignores these. */
export interface PoolOptions {
  /** Most connections open at once (default 10). */
  readonly max?: number;
  /** Connections kept open while idle (default 0). */
  readonly min?: number;
  /** How long a statement waits for a free connection, or for a new one to connect (default: no limit). */
  readonly acquireTimeoutMs?: number;
  /** How long an idle connection above `min` stays open (default 10 000). */
  readonly idleTimeoutMs?: number;
}

/** One named connection: its URL, or its URL with options of its own. */
export type ConnectionSpec =
  | string
  | {
      readonly url: string;
      readonly driver?: DriverName;
      readonly pool?: PoolOptions;
      readonly connectTimeoutMs?: number;
      readonly pgbouncer?: boolean;
      /**
       * When it cannot be reached at init (a replica down while the app starts), init goes on
       * without it: its statements fail with a ConnectionError, and open it once it answers
       * (connection/deferred-driver.ts). Not for "default".
       */
      readonly optional?: boolean;
    };

export interface InitOptions {
  /** Default: "native" when its addon is built, else "pg" or "better-sqlite3" by the URL's dialect. */
  readonly driver?: DriverName;
  readonly pool?: PoolOptions;
  /** Called once per statement sent to the database, after it. */
  readonly log?: (event: QueryEvent) => void;
  /**
   * Called before each statement with its SQL and parameters; the function it returns (if any)
   * is called after it with the statement's QueryEvent (duration, row count, error): a span per
   * statement for tracing.
   */
  readonly onQuery?: QueryHook;
  /**
   * Postgres: how long opening one connection may take before it fails with a ConnectionError
   * (default 10 000; 0 waits as long as the network does). Overrides the URL's `connect_timeout`.
   */
  readonly connectTimeoutMs?: number;
  /**
   * Postgres behind PgBouncer in transaction pooling mode (the same as `?pgbouncer=true` in the
   * URL): no named prepared statements, no session settings at startup, statements outside a
   * transaction pinned to one server connection (docs/pgbouncer.md).
   */
  readonly pgbouncer?: boolean;
  /**
   * Named connections, in the one-argument form `YaraOrm.init({ connections: { default: url,
   * replica: url2 }, … })`: "default" is required; the others are reached with `using(name)`,
   * a schema `connection` or a router. A value may be `{ url, driver?, pool?, connectTimeoutMs? }`.
   */
  readonly connections?: { readonly [name: string]: ConnectionSpec };
  /** Routers deciding each model's read and write connection; the first with an answer wins. */
  readonly routers?: readonly Router[];
}

export type DatabaseTarget =
  | { readonly dialect: "sqlite"; /** ":memory:" or an absolute path. */ readonly filename: string }
  | {
      readonly dialect: "postgres" | "mysql";
      readonly url: URL;
      /** How long opening one connection may take, in ms; 0 means no limit. */
      readonly connectTimeoutMs: number;
    };

/** Opening a Postgres connection gives up after this long unless the URL or options say otherwise. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const URL_FORMS =
  'use "sqlite://:memory:", "sqlite://./app.db", "sqlite:///abs/path.db", "postgres://user@host:5432/db" or "mysql://user@host:3306/db"';

/**
 * Reads a database URL; relative SQLite paths resolve against the current directory.
 * `connectTimeoutMs` (the init option) wins over the URL's `connect_timeout`.
 */
export function parseDatabaseUrl(
  url: string,
  connectTimeoutMs?: number,
  pgbouncer?: boolean,
): DatabaseTarget {
  if (typeof url !== "string" || url.length === 0) {
    throw new ConfigurationError(`YaraOrm.init needs a database URL: ${URL_FORMS}`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case "sqlite":
      if (pgbouncer === true) {
        throw new ConfigurationError(
          "the pgbouncer option is for Postgres URLs; SQLite has no pooler",
        );
      }
      return { dialect: "sqlite", filename: sqliteFilename(url) };
    case "postgres":
    case "postgresql":
      return postgresTarget(url, connectTimeoutMs, pgbouncer);
    case "mysql":
    case "mariadb":
      return mysqlTarget(url, connectTimeoutMs);
    default:
      throw new ConfigurationError(
        `unsupported database URL scheme in "${redact(url)}": ${URL_FORMS}`,
      );
  }
}

function postgresTarget(
  url: string,
  connectTimeoutMs: number | undefined,
  pgbouncer: boolean | undefined,
): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`"${redact(url)}" is not a valid Postgres URL: ${URL_FORMS}`);
  }
  if (parsed.pathname.length <= 1) {
    throw new ConfigurationError(`Postgres URL "${redact(url)}" names no database: add "/dbname"`);
  }
  checkServerParams(parsed);
  // The drivers read the mode from the URL (the native engine parses it in Rust).
  if (pgbouncer === true) parsed.searchParams.set("pgbouncer", "true");
  if (behindPgBouncer(parsed) && parsed.searchParams.has("options")) {
    throw new ConfigurationError(PGBOUNCER_OPTIONS);
  }
  return {
    dialect: "postgres",
    url: parsed,
    connectTimeoutMs: connectTimeoutMs ?? urlConnectTimeoutMs(parsed),
  };
}

/** `mysql://user:password@host:3306/db` (MySQL or MariaDB; port 3306 unless given). */
function mysqlTarget(url: string, connectTimeoutMs: number | undefined): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`"${redact(url)}" is not a valid MySQL URL: ${URL_FORMS}`);
  }
  if (parsed.pathname.length <= 1 || parsed.pathname.indexOf("/", 1) >= 0) {
    throw new ConfigurationError(`MySQL URL "${redact(url)}" names no database: add "/dbname"`);
  }
  if (parsed.port === "") parsed.port = "3306";
  return {
    dialect: "mysql",
    url: parsed,
    connectTimeoutMs: connectTimeoutMs ?? urlConnectTimeoutMs(parsed),
  };
}

/**
 * The URL's `connect_timeout` (whole seconds, as libpq) in ms: absent means the default,
 * 0 means no limit.
 */
export function urlConnectTimeoutMs(url: URL): number {
  const seconds = url.searchParams.get("connect_timeout");
  if (seconds === null) return DEFAULT_CONNECT_TIMEOUT_MS;
  const n = Number(seconds);
  if (seconds.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new ConfigurationError(
      `connect_timeout must be a whole number of seconds (0: no limit), got "${seconds}"`,
    );
  }
  return n * 1000;
}

/**
 * Parts of a Postgres URL that travel to the server as NUL-terminated strings in the startup
 * message: a NUL would cut the value short and let the rest be read as further settings, so it
 * is refused in all of them. `application_name` and `options` are also refused any other
 * control character (the server would show `application_name` with "?" in its place, and
 * `options` is split on whitespace).
 */
function checkServerParams(url: URL): void {
  const decoded = (part: string, raw: string): string => {
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new ConfigurationError(
        `the Postgres URL's ${part} has a "%" that starts no valid escape; write a literal "%" as "%25"`,
      );
    }
  };
  const refuse = (part: string, value: string, controls: RegExp): void => {
    const bad = controls.exec(value)?.[0];
    if (bad === undefined) return;
    const code = `U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    throw new ConfigurationError(
      `the Postgres URL's ${part} contains the control character ${code}; ` +
        "it cannot be sent to the server, so remove it",
    );
  };
  const NUL = /\0/;
  const CONTROL = /[\0-\x1f\x7f]/;
  refuse("user name", decoded("user name", url.username), NUL);
  refuse("password", decoded("password", url.password), NUL);
  refuse("database name", decoded("database name", url.pathname.slice(1)), NUL);
  refuse("host", decoded("host", url.hostname), NUL);
  const q = url.searchParams;
  for (const key of ["host", "sslrootcert", "sslcert", "sslkey"]) {
    const value = q.get(key);
    if (value !== null) refuse(`${key} parameter`, value, NUL);
  }
  for (const key of ["application_name", "options"]) {
    const value = q.get(key);
    if (value !== null) refuse(`${key} parameter`, value, CONTROL);
  }
}

function sqliteFilename(url: string): string {
  const rest = url.slice("sqlite://".length);
  if (rest.includes("?")) {
    throw new ConfigurationError(`SQLite URLs take no query parameters: "${url}"`);
  }
  if (rest === ":memory:") return ":memory:";
  if (rest.length === 0) {
    throw new ConfigurationError(`SQLite URL "${url}" names no file: ${URL_FORMS}`);
  }
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    throw new ConfigurationError(
      `SQLite URL "${url}" has a "%" that starts no valid escape; write a literal "%" as "%25"`,
    );
  }
  if (path.includes("\0")) {
    // better-sqlite3 would open the file named up to the NUL: another database than asked for.
    throw new ConfigurationError(`SQLite URL "${url}" holds a NUL character (%00) in its path`);
  }
  return isAbsolute(path) ? path : resolve(path);
}

const INIT_KEYS = new Set([
  "driver",
  "pool",
  "log",
  "onQuery",
  "connectTimeoutMs",
  "pgbouncer",
  "connections",
  "routers",
]);
const POOL_KEYS = new Set(["max", "min", "acquireTimeoutMs", "idleTimeoutMs"]);
const DRIVERS: readonly DriverName[] = ["native", "pg", "better-sqlite3", "mysql2"];

/** Checks the options object's shape; returns it typed. */
export function checkInitOptions(options: unknown): InitOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      "YaraOrm.init options must be an object: { driver?, pool?, log?, onQuery?, connectTimeoutMs?, pgbouncer?, connections?, routers? }",
    );
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!INIT_KEYS.has(key)) {
      throw new ConfigurationError(
        `unknown YaraOrm.init option "${key}"; the options are driver, pool, log, onQuery, connectTimeoutMs, pgbouncer, connections and routers`,
      );
    }
  }
  if (o.driver !== undefined && !DRIVERS.includes(o.driver as DriverName)) {
    throw new ConfigurationError(
      `unknown driver ${JSON.stringify(o.driver)}; use "native", "pg", "better-sqlite3" or "mysql2"`,
    );
  }
  if (o.log !== undefined && typeof o.log !== "function") {
    throw new ConfigurationError("the log option must be a function (event) => void");
  }
  if (o.onQuery !== undefined && typeof o.onQuery !== "function") {
    throw new ConfigurationError(
      "the onQuery option must be a function (query) => ((event) => void) | void",
    );
  }
  if (o.pool !== undefined) checkPoolOptions(o.pool);
  if (o.pgbouncer !== undefined && typeof o.pgbouncer !== "boolean") {
    throw new ConfigurationError(
      `pgbouncer must be true or false, got ${JSON.stringify(o.pgbouncer)}`,
    );
  }
  const timeout = o.connectTimeoutMs;
  if (
    timeout !== undefined &&
    (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 0)
  ) {
    throw new ConfigurationError(
      `connectTimeoutMs must be an integer >= 0 (0: no limit), got ${String(timeout)}`,
    );
  }
  return o as InitOptions;
}

function checkPoolOptions(pool: unknown): void {
  if (typeof pool !== "object" || pool === null || Array.isArray(pool)) {
    throw new ConfigurationError(
      "the pool option must be an object: { max, min, acquireTimeoutMs, idleTimeoutMs }",
    );
  }
  const p = pool as Record<string, unknown>;
  for (const [key, value] of Object.entries(p)) {
    if (!POOL_KEYS.has(key)) {
      throw new ConfigurationError(
        `unknown pool option "${key}"; the pool options are max, min, acquireTimeoutMs and idleTimeoutMs`,
      );
    }
    if (value === undefined) continue;
    const min = key === "max" ? 1 : 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ConfigurationError(
        `pool.${key} must be an integer >= ${min}, got ${String(value)}`,
      );
    }
  }
  if (typeof p.max === "number" && typeof p.min === "number" && p.min > p.max) {
    throw new ConfigurationError(`pool.min (${p.min}) must not exceed pool.max (${p.max})`);
  }
}

/** Whether a driver speaks a dialect: "native" those the engine has, a JavaScript driver its own. */
export function driverSupports(driver: DriverName, dialect: Dialect): boolean {
  return driver === "native" ? dialect.nativeEngine : driver === dialect.jsDriver;
}

/** Same words as native/src/pg/config.rs. */
const PGBOUNCER_OPTIONS =
  "the options URL parameter cannot be used with pgbouncer=true: PgBouncer refuses it at " +
  "startup, and in transaction pooling mode a session setting would not stay with this client; " +
  "set it on the server instead (ALTER ROLE … SET, ALTER DATABASE … SET)";

/** `?pgbouncer=true`; anything but "true" or "false" is refused. */
export function behindPgBouncer(url: URL): boolean {
  const value = url.searchParams.get("pgbouncer");
  if (value === null || value === "false") return false;
  if (value === "true") return true;
  throw new ConfigurationError(`pgbouncer must be true or false, got "${value}"`);
}

/** The URL with any password replaced, for messages. */
function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
