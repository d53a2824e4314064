/**
 * node-postgres and socket errors → yara errors. A server error (node-postgres sets `code` and
 * `severity`) takes the mapping both Postgres drivers share (../postgres-server-error.ts);
 * broken or unreachable connections become ConnectionError; anything else a DatabaseError.
 */
import { ConnectionError, DatabaseError, YaraError } from "../../errors.js";
import { mapPostgresServerError } from "../postgres-server-error.js";
import { tlsAlertMessage } from "./tls-alert.js";

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
    return mapPostgresServerError(
      {
        message: e.message,
        code,
        severity: e.severity,
        constraint: e.constraint,
        table: e.table,
        column: e.column,
        detail: e.detail,
      },
      address,
    );
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

function isTlsCode(code: string): boolean {
  return code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT");
}
