/**
 * `YaraOrm.init(url, options)` input: the database URL and the options object, checked up front
 * so a typo fails at start-up with a ConfigurationError naming it, never at the first query.
 */
import { isAbsolute, resolve } from "node:path";
import type { Dialect, DriverName, QueryEvent } from "./driver/driver.js";
import { ConfigurationError } from "./errors.js";

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

export interface InitOptions {
  /** Default: "native" when its addon is built, else "pg" or "better-sqlite3" by the URL's dialect. */
  readonly driver?: DriverName;
  readonly pool?: PoolOptions;
  /** Called once per statement sent to the database. */
  readonly log?: (event: QueryEvent) => void;
}

export type DatabaseTarget =
  | { readonly dialect: "sqlite"; /** ":memory:" or an absolute path. */ readonly filename: string }
  | { readonly dialect: "postgres"; readonly url: URL };

const URL_FORMS =
  'use "sqlite://:memory:", "sqlite://./app.db", "sqlite:///abs/path.db" or "postgres://user@host:5432/db"';

/** Reads a database URL; relative SQLite paths resolve against the current directory. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (typeof url !== "string" || url.length === 0) {
    throw new ConfigurationError(`YaraOrm.init needs a database URL: ${URL_FORMS}`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === "sqlite") return { dialect: "sqlite", filename: sqliteFilename(url) };
  if (scheme === "postgres" || scheme === "postgresql") {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigurationError(`"${redact(url)}" is not a valid Postgres URL: ${URL_FORMS}`);
    }
    if (parsed.pathname.length <= 1) {
      throw new ConfigurationError(
        `Postgres URL "${redact(url)}" names no database: add "/dbname"`,
      );
    }
    return { dialect: "postgres", url: parsed };
  }
  throw new ConfigurationError(`unsupported database URL scheme in "${redact(url)}": ${URL_FORMS}`);
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

const INIT_KEYS = new Set(["driver", "pool", "log"]);
const POOL_KEYS = new Set(["max", "min", "acquireTimeoutMs", "idleTimeoutMs"]);
const DRIVERS: readonly DriverName[] = ["native", "pg", "better-sqlite3"];

/** Checks the options object's shape; returns it typed. */
export function checkInitOptions(options: unknown): InitOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ConfigurationError(
      "YaraOrm.init options must be an object: { driver?, pool?, log? }",
    );
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!INIT_KEYS.has(key)) {
      throw new ConfigurationError(
        `unknown YaraOrm.init option "${key}"; the options are driver, pool and log`,
      );
    }
  }
  if (o.driver !== undefined && !DRIVERS.includes(o.driver as DriverName)) {
    throw new ConfigurationError(
      `unknown driver ${JSON.stringify(o.driver)}; use "native", "pg" or "better-sqlite3"`,
    );
  }
  if (o.log !== undefined && typeof o.log !== "function") {
    throw new ConfigurationError("the log option must be a function (event) => void");
  }
  if (o.pool !== undefined) checkPoolOptions(o.pool);
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

/** Which dialect a driver speaks; "native" speaks both. */
export function driverSupports(driver: DriverName, dialect: Dialect): boolean {
  return driver === "native" || (driver === "pg" ? dialect === "postgres" : dialect === "sqlite");
}

/** The URL with any password replaced, for messages. */
function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1:***@");
}
