/**
 * A `mysql://user:password@host:3306/db` URL → mysql2 pool options. Rows come back as arrays
 * (column names never become object keys) and are decoded by mysql2's generated row parsers:
 * integers and floats as numbers (a BIGINT past 2^53 as exact text), DECIMAL as exact text,
 * DATETIME, DATE and TIME as the server's text, BLOBs as Buffers, JSON as
 * its text. The row reader hands the generated decoder what it asks for (reader.ts).
 */
import type { PoolOptions as Mysql2PoolOptions } from "mysql2";
import type { PoolOptions } from "../../config.js";
import { ConfigurationError } from "../../errors.js";

export interface MysqlSettings {
  readonly options: Mysql2PoolOptions;
  /** "host:port", as messages name the server. */
  readonly address: string;
  /** pool.max */
  readonly max: number;
  /** pool.acquireTimeoutMs; 0: a statement waits for a connection as long as it takes. */
  readonly acquireTimeoutMs: number;
}

/** Prepared statements kept per connection (the server's max_prepared_stmt_count is global). */
const PREPARED_PER_CONNECTION = 256;

export function mysqlSettings(
  url: URL,
  pool: PoolOptions = {},
  connectTimeoutMs: number,
): MysqlSettings {
  const decode = (part: string, raw: string): string => {
    try {
      return decodeURIComponent(raw);
    } catch {
      throw new ConfigurationError(
        `the MySQL URL's ${part} has a "%" that starts no valid escape; write a literal "%" as "%25"`,
      );
    }
  };
  const host = url.hostname === "" ? "127.0.0.1" : url.hostname.replace(/^\[|\]$/g, "");
  const port = url.port === "" ? 3306 : Number(url.port);
  const max = pool.max ?? 10;
  for (const key of url.searchParams.keys()) {
    if (key !== "connect_timeout")
      throw new ConfigurationError(
        `the MySQL URL's parameter "${key}" is not supported (only connect_timeout is)`,
      );
  }
  return {
    address: `${host}:${port}`,
    max,
    acquireTimeoutMs: pool.acquireTimeoutMs ?? 0,
    options: {
      host,
      port,
      user: decode("user name", url.username),
      password: decode("password", url.password),
      database: decode("database name", url.pathname.slice(1)),
      connectionLimit: max,
      maxIdle: pool.min ?? 0,
      idleTimeout: pool.idleTimeoutMs ?? 10_000,
      connectTimeout: connectTimeoutMs === 0 ? 2 ** 31 - 1 : connectTimeoutMs,
      rowsAsArray: true,
      // DATETIME and DATE as the server's text, read by reader.ts: mysql2 builds its Dates with
      // Date.UTC, which takes years 0–99 as 1900–1999 (0001-01-01 came back as 1901-01-01), and
      // a DATE must never become a Date at some midnight.
      dateStrings: ["DATE", "DATETIME"],
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      timezone: "Z",
      multipleStatements: false,
      maxPreparedStatements: PREPARED_PER_CONNECTION,
      charset: "utf8mb4",
      jsonStrings: true,
      // No stack captured for every statement of the promise API (a few µs each): mysql2's
      // errors become yara errors, thrown from the driver, whatever their stack said.
      trace: false,
    },
  };
}
