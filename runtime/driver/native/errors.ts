/**
 * Errors thrown (or rejected) by the native addon → yara errors. The addon's errors are plain
 * `Error`s carrying `kind` and, when known, `code` (SQLSTATE, or SQLite's extended result code
 * name), `constraint`, `table`, `column` and `detail` (native/src/napi/env.rs `error_object`).
 * Errors of kind "database" go to the dialect's mapping — for SQLite the better-sqlite3
 * driver's own, which reads the same `code` and SQLite message — so both drivers of a dialect
 * throw identical errors.
 */
import { ConfigurationError, ConnectionError, DatabaseError, YaraError } from "../../errors.js";
import { passwordMissing } from "../postgres-server-error.js";

export type NativeErrorKind =
  | "connection"
  | "database"
  | "pool_timeout"
  | "cancelled"
  | "bind"
  | "params"
  | "config"
  | "closed"
  | "internal";

export interface NativeError extends Error {
  readonly kind: NativeErrorKind;
  readonly code?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
}

export function isNativeError(err: unknown): err is NativeError {
  return err instanceof Error && typeof (err as { kind?: unknown }).kind === "string";
}

/**
 * Maps an addon error. `database` maps kind "database" errors (the dialect's rules); the
 * other kinds map the same on every dialect. Errors that are not the addon's pass through
 * `database` as well (it handles anything, as the JavaScript drivers' mappers do).
 */
export function mapNativeError(
  err: unknown,
  database: (err: unknown) => YaraError,
  closedMessage: string,
): YaraError {
  if (err instanceof YaraError) return err;
  if (!isNativeError(err)) return database(err);
  switch (err.kind) {
    case "database":
      return database(err);
    case "bind":
      // Arrays on SQLite: the same YaraError the better-sqlite3 driver throws before binding.
      return /^parameter \d+ is an array/.test(err.message)
        ? new YaraError(err.message, { cause: err })
        : new DatabaseError(err.message, err.code, { cause: err });
    case "connection": {
      // tokio-postgres: "invalid configuration: password missing" — said as the pg driver says it.
      const missing =
        /^cannot use the connection to Postgres at (.+): invalid configuration: password missing$/.exec(
          err.message,
        );
      if (missing?.[1] !== undefined) {
        return new ConnectionError(passwordMissing(missing[1]), "28P01", { cause: err });
      }
      return new ConnectionError(err.message, err.code, { cause: err });
    }
    case "pool_timeout":
      return new ConnectionError(err.message, err.code, { cause: err });
    case "closed":
      return new ConnectionError(closedMessage, err.code, { cause: err });
    case "config":
      return new ConfigurationError(err.message, { cause: err });
    case "cancelled":
      return new DatabaseError(err.message, err.code, { cause: err });
    case "params":
      // A parameter count that does not match the statement, refused before it ran (the
      // server's words and SQLSTATE 08P01, but not a connection error: the connection is fine).
      return new DatabaseError(err.message, err.code, { cause: err });
    default:
      return new YaraError(err.message, { cause: err });
  }
}
