/**
 * node-postgres and socket errors → yara errors. Integrity violations keep SQLSTATE,
 * constraint, table and column; broken or unreachable connections become ConnectionError;
 * everything else a DatabaseError with its SQLSTATE. Postgres' `detail` ("Key (email)=(…)")
 * and the bound parameters never reach a message, and the original error is not kept as the
 * cause when its message or detail could hold values.
 */
import {
  ConnectionError,
  DatabaseError,
  IntegrityError,
  YaraError,
  type IntegrityKind,
} from "../../errors.js";
import { pgMissingObject, withMissingSchemaHint } from "../missing-schema.js";
import { tlsAlertMessage } from "./tls-alert.js";

const INTEGRITY: Readonly<Record<string, IntegrityKind>> = {
  "23505": "unique",
  "23503": "foreign_key",
  "23502": "not_null",
  "23514": "check",
};

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOENT", // Unix socket path
]);

const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|server does not support SSL|Connection closed|Client was closed/i;

interface PgErrorShape {
  message: string;
  code?: string;
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
  detail?: string;
}

/** `address` ("host:port") names the server in connection errors. */
export function mapPgError(err: unknown, address: string): YaraError {
  if (err instanceof YaraError) return err;
  if (!(err instanceof Error))
    return new DatabaseError(`Postgres driver failed: ${String(err)}`, undefined);
  const e = err as Error & PgErrorShape;
  const code = typeof e.code === "string" ? e.code : undefined;
  const fromServer = code !== undefined && typeof e.severity === "string";

  if (fromServer) {
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
    if (isConnectionSqlstate(code, e.severity)) {
      return new ConnectionError(`Postgres at ${address}: ${e.message}`, code);
    }
    const missing = pgMissingObject(code);
    if (missing !== undefined)
      return new DatabaseError(withMissingSchemaHint(e.message, missing), code);
    return new DatabaseError(withoutValues(code, e.message), code);
  }
  if (code === "ECONNREFUSED") {
    return new ConnectionError(
      `nothing is listening on ${address} (connection refused): is Postgres running, on this host and port?`,
      code,
      { cause: err },
    );
  }
  const alert = code === undefined ? undefined : tlsAlertMessage(code, address);
  if (alert !== undefined) return new ConnectionError(alert, code, { cause: err });
  if (
    (code !== undefined && (SOCKET_CODES.has(code) || isTlsCode(code))) ||
    CONNECTION_MESSAGES.test(e.message)
  ) {
    return new ConnectionError(
      `cannot use the connection to Postgres at ${address}: ${e.message}`,
      code,
      {
        cause: err,
      },
    );
  }
  return new DatabaseError(e.message, code, { cause: err });
}

/** The same words on every Postgres driver (native/errors.ts uses it too). */
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
    (code.startsWith("08") && severity !== "ERROR") ||
    code.startsWith("28") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    code === "57P05" ||
    code === "25P03" ||
    code === "3D000"
  );
}

function isTlsCode(code: string): boolean {
  return code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT");
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
