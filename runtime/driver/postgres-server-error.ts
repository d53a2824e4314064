/**
 * A Postgres server error (an ErrorResponse: SQLSTATE, message, constraint, table, column,
 * detail) → a yara error, the same on both Postgres drivers: each hands over the fields its
 * client library reports, in its own shape (node-postgres' error, the engine's DbError).
 * Integrity violations keep SQLSTATE, constraint, table and column; a serialization failure
 * (40001) or deadlock (40P01) is a TransactionConflictError (inTransaction's `retry`); errors that end the
 * session become ConnectionError; everything else a DatabaseError with its SQLSTATE. `detail`
 * ("Key (email)=(…)") and the bound parameters never reach a message, and no original error is
 * kept as the cause: its message or detail could hold values.
 */
import {
  ConnectionError,
  DatabaseError,
  DeadlockError,
  IntegrityError,
  type IntegrityKind,
  SerializationError,
  type YaraError,
} from "../errors.js";
import { pgMissingObject, withMissingSchemaHint } from "./missing-schema.js";

/** The fields of an ErrorResponse both drivers read. */
export interface PostgresServerError {
  readonly message: string;
  /** SQLSTATE. */
  readonly code: string;
  /**
   * "ERROR", "FATAL", "PANIC" when the client library reports it; absent means the error ended
   * the statement only (the engine reports FATAL ones as connection errors of its own).
   */
  readonly severity?: string;
  readonly constraint?: string;
  readonly table?: string;
  readonly column?: string;
  readonly detail?: string;
}

const INTEGRITY: Readonly<Record<string, IntegrityKind>> = {
  "23505": "unique",
  "23503": "foreign_key",
  "23502": "not_null",
  "23514": "check",
};

/** `address` ("host:port") names the server in connection errors. */
export function mapPostgresServerError(e: PostgresServerError, address: string): YaraError {
  const code = e.code;
  const kind = INTEGRITY[code];
  if (kind !== undefined) {
    return new IntegrityError(e.message, {
      kind,
      code,
      constraint: e.constraint,
      table: e.table,
      column: e.column ?? keyColumns(e.detail),
    });
  }
  if (code === "40001") return new SerializationError(e.message, code);
  if (code === "40P01") return new DeadlockError(e.message, code);
  if (isConnectionSqlstate(code, e.severity)) {
    return new ConnectionError(`Postgres at ${address}: ${e.message}`, code);
  }
  const missing = pgMissingObject(code, e.message);
  if (missing !== undefined)
    return new DatabaseError(withMissingSchemaHint(e.message, missing), code);
  return new DatabaseError(withoutValues(code, e.message), code);
}

/** The same words on every Postgres driver. */
export function passwordMissing(address: string): string {
  return (
    `the server at ${address} asks for a password, but the URL has none; ` +
    "put it in the URL: postgres://user:password@host/db"
  );
}

/**
 * 08xxx connection exceptions, 57P01–57P03 shutdowns, 28xxx authentication, 3D000 unknown
 * database, and the FATAL timeouts that end a session: 25P03 idle in transaction, 57P05 idle.
 * A class 08 error of severity ERROR ended only its statement, not the session: a bind message
 * with the wrong number of parameters (08P01), or a remote connection failing in dblink.
 */
function isConnectionSqlstate(code: string, severity: string | undefined): boolean {
  return (
    (code.startsWith("08") && severity !== undefined && severity !== "ERROR") ||
    code.startsWith("28") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    code === "57P05" ||
    code === "25P03" ||
    code === "3D000"
  );
}

/** "Key (title, author_id)=(…) already exists." → "title, author_id"; the values are dropped. */
function keyColumns(detail: string | undefined): string | undefined {
  return detail === undefined ? undefined : /^Key \(([^)]*)\)=/.exec(detail)?.[1];
}

/**
 * Data exceptions (class 22) quote the offending input: `invalid input syntax for type
 * integer: "abc"`, `value "9e99" is out of range …`. Quoted parts and trailing byte dumps go.
 */
function withoutValues(code: string, message: string): string {
  if (!code.startsWith("22")) return message;
  return message.replace(/"(?:[^"]|"")*"/g, '"…"').replace(/:\s*0x[0-9a-f ]+$/i, "");
}
