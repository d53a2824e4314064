/**
 * mysql2 and socket errors → yara errors. Integrity violations keep the error code name
 * (`ER_DUP_ENTRY`), the constraint and, where the server names it, the column; their messages
 * are rewritten without the values MariaDB quotes ("Duplicate entry 'ann@x' for key …"), as
 * are data errors ("Incorrect integer value: 'abc'"). Errors that end the session become
 * ConnectionError, everything else a DatabaseError with the code name.
 */
import {
  ConnectionError,
  DatabaseError,
  IntegrityError,
  YaraError,
  type IntegrityKind,
} from "../../errors.js";
import {
  unknownColumnOfSchema,
  unknownTableOfSchema,
  withMissingSchemaHint,
} from "../missing-schema.js";
import { SLICED_ALIAS } from "../../ast/select.js";
import { conflictError } from "./conflict.js";

interface Mysql2ErrorShape {
  message: string;
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  fatal?: boolean;
  /** The statement that failed (mysql2 sets it on server errors). */
  sql?: string;
}

/** errno → the kind of integrity violation. */
const INTEGRITY: Readonly<Record<number, IntegrityKind>> = {
  1062: "unique", // ER_DUP_ENTRY
  1586: "unique", // ER_DUP_ENTRY_WITH_KEY_NAME
  1451: "foreign_key", // ER_ROW_IS_REFERENCED_2: a parent row still referenced
  1452: "foreign_key", // ER_NO_REFERENCED_ROW_2: no parent row
  1216: "foreign_key",
  1217: "foreign_key",
  1048: "not_null", // ER_BAD_NULL_ERROR
  1364: "not_null", // ER_NO_DEFAULT_FOR_FIELD
  4025: "check", // ER_CONSTRAINT_FAILED (MariaDB)
  3819: "check", // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
};

/** Errors after which the session is gone: access, unknown database, server gone, killed. */
const CONNECTION_ERRNOS = new Set([
  1040, 1044, 1045, 1049, 1053, 1077, 1152, 1927, 2002, 2003, 2006, 2013, 4031,
]);

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR",
  "PROTOCOL_ENQUEUE_AFTER_QUIT",
]);

/** `address` ("host:port") names the server in connection errors. */
export function mapMysqlError(err: unknown, address: string): YaraError {
  if (err instanceof YaraError) return err;
  if (!(err instanceof Error)) return new DatabaseError(`mysql2 failed: ${String(err)}`, undefined);
  const e = err as Error & Mysql2ErrorShape;
  const code = typeof e.code === "string" ? e.code : undefined;
  const errno = typeof e.errno === "number" ? e.errno : undefined;
  const message = e.sqlMessage ?? e.message;
  const kind = errno === undefined ? undefined : INTEGRITY[errno];
  // mysql2 names errnos after MySQL's list, where 4025 is another error than MariaDB's.
  if (errno === 4025) return integrityError("check", "ER_CONSTRAINT_FAILED", message);
  if (kind !== undefined) return integrityError(kind, code ?? String(errno), message);
  if (code === "ECONNREFUSED") {
    return new ConnectionError(
      `nothing is listening on ${address} (connection refused): is MariaDB running, on this host and port?`,
      code,
      { cause: err },
    );
  }
  if (
    (errno !== undefined && CONNECTION_ERRNOS.has(errno)) ||
    (code !== undefined && SOCKET_CODES.has(code)) ||
    e.fatal === true
  ) {
    return new ConnectionError(
      `cannot use the connection to MariaDB at ${address}: ${message}`,
      code,
      {
        cause: err,
      },
    );
  }
  const conflict = conflictError(errno, code, message);
  if (conflict !== undefined) return conflict;
  if (errno === 1146) return new DatabaseError(unknownTable(message), code);
  if (errno === 1054) return new DatabaseError(unknownColumn(message, e.sql), code);
  return new DatabaseError(withoutValues(errno, message), code);
}

/**
 * ER_NO_SUCH_TABLE ("Table 'test.books' doesn't exist"): the hint to create the schema only for
 * a table of the models (missing-schema.ts), not for a typo in raw SQL.
 */
function unknownTable(message: string): string {
  const name = /^Table '(.*)' doesn't exist$/s.exec(message)?.[1];
  return name === undefined || unknownTableOfSchema(name)
    ? withMissingSchemaHint(message, "table")
    : message;
}

/**
 * ER_BAD_FIELD_ERROR ("Unknown column 'author.id' in 'WHERE'"): the server's message, with the
 * hint to migrate only where the column could be missing from the database — a column the
 * models give a table they know (missing-schema.ts) — and not for a query's own alias, a derived
 * table's column, or anything in a statement reading a sliced subquery through a derived table:
 * MariaDB's derived tables cannot read the enclosing query's columns (an OuterRef in a sliced
 * query under `__in`, docs/mysql.md), which no migration makes known.
 */
function unknownColumn(message: string, sql: unknown): string {
  const name = /^Unknown column '(.*)' in '[^']*'$/s.exec(message)?.[1];
  const sliced = typeof sql === "string" && sql.includes(`AS "${SLICED_ALIAS}"`);
  return name !== undefined && !sliced && unknownColumnOfSchema(name)
    ? withMissingSchemaHint(message, "column")
    : message;
}

/** Quoted names in MariaDB's messages: `x`, "x" (ANSI_QUOTES) or 'x'. */
const QUOTED = /[`"']([^`"']*)[`"']/;

function integrityError(kind: IntegrityKind, code: string, message: string): IntegrityError {
  let constraint: string | undefined;
  let column: string | undefined;
  let table: string | undefined;
  let text = message;
  switch (kind) {
    case "unique": {
      // "Duplicate entry 'v' for key 'books_title_key'" (the value may hold quotes: read from the end).
      const key = /for key [`"']([^`"']*)[`"']$/.exec(message)?.[1];
      constraint = key?.includes(".") ? key.slice(key.lastIndexOf(".") + 1) : key;
      text = `Duplicate entry for key '${constraint ?? "?"}'`;
      break;
    }
    case "foreign_key": {
      // "… a foreign key constraint fails (`db`.`t`, CONSTRAINT `t_x_fkey` FOREIGN KEY (`x`) …)"
      const m = /CONSTRAINT [`"]([^`"]*)[`"] FOREIGN KEY \([`"]([^`"]*)[`"]\)/.exec(message);
      constraint = m?.[1];
      column = m?.[2];
      // A parent row still referenced (1451): the referenced column, as Postgres says.
      if (code === "ER_ROW_IS_REFERENCED_2")
        column = /REFERENCES [`"][^`"]*[`"] \([`"]([^`"]*)[`"]\)/.exec(message)?.[1] ?? column;
      // The referencing table, as Postgres reports it: "(`db`.`books`, CONSTRAINT …".
      table = /\([`"][^`"]*[`"]\.[`"]([^`"]*)[`"], CONSTRAINT/.exec(message)?.[1];
      break;
    }
    case "not_null":
      column = QUOTED.exec(message)?.[1];
      break;
    case "check":
      // "CONSTRAINT `books_status_check` failed for `db`.`books`"
      constraint = /CONSTRAINT [`"]([^`"]*)[`"]/.exec(message)?.[1];
      break;
  }
  return new IntegrityError(text, { kind, code, constraint, table, column });
}

/**
 * Data errors quote the offending input: "Incorrect integer value: 'abc' for column …",
 * "Data too long for column 'x'" does not. Quoted values go, names in backquotes stay.
 */
function withoutValues(errno: number | undefined, message: string): string {
  if (errno === 1366 || errno === 1292 || errno === 1265 || errno === 1367 || errno === 1411)
    return message.replace(/'(?:[^']|'')*'/, "'…'");
  return message;
}
