/**
 * A Postgres URL and pool options → node-postgres `PoolConfig`. Query parameters follow libpq:
 * `sslmode` (disable | prefer | require | verify-ca | verify-full; absent means no TLS, as in
 * node-postgres), `sslrootcert`, `sslcert`, `sslkey`, `application_name`, `connect_timeout`
 * (seconds), `options` (extra `-c name=value` settings) and `host` (a Unix socket directory).
 * Every connection runs with `TimeZone=UTC`, ISO dates and hex bytea, which the row reader expects.
 * Behind PgBouncer (`pgbouncer=true`), which refuses the `options` startup parameter, TimeZone
 * and DateStyle go as startup parameters of their own (PgBouncer tracks both and sets them on
 * whichever server connection serves the client); bytea_output is left at the server's default
 * (hex since Postgres 9.0).
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { PoolConfig } from "pg";
import { behindPgBouncer, urlConnectTimeoutMs, type PoolOptions } from "../../config.js";
import { ConfigurationError } from "../../errors.js";

export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

export interface PgSettings {
  readonly config: PoolConfig;
  readonly sslmode: SslMode;
  /** "host:port" (or the socket directory), for error messages. */
  readonly address: string;
  /** How long opening one connection may take, in ms; 0 means no limit. */
  readonly connectTimeoutMs: number;
  /** Behind PgBouncer in transaction mode: no named statements, no `options` at startup. */
  readonly pgbouncer: boolean;
  /** Startup parameters besides node-postgres' own (client.ts sends them). */
  readonly startup: Readonly<Record<string, string>>;
}

const SESSION_OPTIONS = "-c TimeZone=UTC -c DateStyle=ISO,MDY -c bytea_output=hex";
/** The session settings PgBouncer passes on (it tracks these two as startup parameters). */
const PGBOUNCER_STARTUP = { TimeZone: "UTC", DateStyle: "ISO, MDY" } as const;
const SSL_MODES: readonly SslMode[] = ["disable", "prefer", "require", "verify-ca", "verify-full"];
const URL_PARAMS = new Set([
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "application_name",
  "connect_timeout",
  "options",
  "host",
  "pgbouncer",
]);

/** `connectTimeoutMs` as YaraOrm.init resolved it (DatabaseTarget); else read from the URL. */
export function pgSettings(
  url: URL,
  pool: PoolOptions | undefined,
  connectTimeoutMs: number = urlConnectTimeoutMs(url),
): PgSettings {
  const q = url.searchParams;
  for (const key of q.keys()) {
    if (!URL_PARAMS.has(key)) {
      throw new ConfigurationError(
        `unsupported Postgres URL parameter "${key}"; supported: ${[...URL_PARAMS].join(", ")}`,
      );
    }
  }
  const sslmode = (q.get("sslmode") ?? "disable") as SslMode;
  if (!SSL_MODES.includes(sslmode)) {
    throw new ConfigurationError(
      `unknown sslmode "${sslmode}"; use one of ${SSL_MODES.join(", ")}`,
    );
  }
  const host =
    q.get("host") ?? (decodeURIComponent(url.hostname.replace(/^\[|\]$/g, "")) || "localhost");
  const port = url.port === "" ? 5432 : Number(url.port);
  const extra = q.get("options");
  const pgbouncer = behindPgBouncer(url);
  if (pgbouncer && extra !== null) {
    throw new ConfigurationError(
      "the options URL parameter cannot be used with pgbouncer=true: PgBouncer refuses it at startup",
    );
  }
  const config: PoolConfig = {
    host,
    port,
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: sslOptions(sslmode, q),
    max: pool?.max ?? 10,
    min: pool?.min ?? 0,
    idleTimeoutMillis: pool?.idleTimeoutMs ?? 10_000,
    // pg-pool applies this both to waiting for a free client and to opening a new one; the
    // connect timeout is the client's own (see PgPool).
    connectionTimeoutMillis: pool?.acquireTimeoutMs ?? 0,
    allowExitOnIdle: true,
  };
  if (!pgbouncer) config.options = extra ? `${SESSION_OPTIONS} ${extra}` : SESSION_OPTIONS;
  if (url.username !== "") config.user = decodeURIComponent(url.username);
  if (url.password !== "") config.password = decodeURIComponent(url.password);
  const appName = q.get("application_name");
  if (appName !== null) config.application_name = appName;
  const address = host.startsWith("/") ? host : `${host}:${port}`;
  const startup = pgbouncer ? PGBOUNCER_STARTUP : {};
  return { config, sslmode, address, connectTimeoutMs, pgbouncer, startup };
}

function sslOptions(mode: SslMode, q: URLSearchParams): false | ConnectionOptions {
  if (mode === "disable") return false;
  const files: ConnectionOptions = {};
  const ca = q.get("sslrootcert");
  const cert = q.get("sslcert");
  const key = q.get("sslkey");
  if (ca !== null) files.ca = readPem(ca, "sslrootcert");
  if (cert !== null) files.cert = readPem(cert, "sslcert");
  if (key !== null) files.key = readPem(key, "sslkey");
  switch (mode) {
    case "prefer":
    case "require":
      // Encrypt, verify nothing (libpq: unless a root certificate is given, then as verify-ca).
      return ca === null
        ? { ...files, rejectUnauthorized: false }
        : { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-ca":
      return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return { ...files, rejectUnauthorized: true };
  }
}

function readPem(path: string, param: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigurationError(`cannot read ${param} file "${path}": ${(err as Error).message}`);
  }
}
