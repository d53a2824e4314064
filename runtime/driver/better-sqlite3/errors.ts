/**
 * better-sqlite3's `SqliteError` (extended result code in `code`, e.g. SQLITE_CONSTRAINT_UNIQUE)
 * → yara errors. SQLite's constraint messages name the columns, never the values:
 * "UNIQUE constraint failed: books.title, books.author_id", "NOT NULL constraint failed: books.title",
 * "CHECK constraint failed: books_status_check", "FOREIGN KEY constraint failed". The native
 * SQLite driver maps its errors here too (runtime/driver/native/errors.ts).
 */
import { constraintIdentifier } from "../../dialect/constraint-name.js";
import { DatabaseError, IntegrityError, YaraError, type IntegrityKind } from "../../errors.js";
import { sqliteMissingObject, withMissingSchemaHint } from "../missing-schema.js";

const INTEGRITY: Readonly<Record<string, IntegrityKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: "unique",
  SQLITE_CONSTRAINT_PRIMARYKEY: "unique",
  SQLITE_CONSTRAINT_FOREIGNKEY: "foreign_key",
  SQLITE_CONSTRAINT_NOTNULL: "not_null",
  SQLITE_CONSTRAINT_CHECK: "check",
};

/**
 * SQLite reports an `ON DELETE RESTRICT` violation as a trigger failure (the foreign-key
 * action is implemented as one) carrying the foreign-key message; a trigger's own `RAISE` is
 * reported under the same code with the trigger's message, and stays a DatabaseError.
 */
const RESTRICT_CODE = "SQLITE_CONSTRAINT_TRIGGER";
const RESTRICT_MESSAGE = "FOREIGN KEY constraint failed";

function integrityKind(code: string | undefined, message: string): IntegrityKind | undefined {
  if (code === undefined) return undefined;
  if (code === RESTRICT_CODE) return message === RESTRICT_MESSAGE ? "foreign_key" : undefined;
  return INTEGRITY[code];
}

/** SQLITE_BUSY and SQLITE_LOCKED with their extended codes (SQLITE_BUSY_SNAPSHOT, …). */
const LOCKED = /^SQLITE_(BUSY|LOCKED)(_|$)/;

export function mapSqliteError(err: unknown): YaraError {
  if (err instanceof YaraError) return err;
  if (!(err instanceof Error)) return new DatabaseError(`SQLite failed: ${String(err)}`, undefined);
  const rawCode = (err as Error & { code?: unknown }).code;
  const code = typeof rawCode === "string" ? rawCode : undefined;
  const kind = integrityKind(code, err.message);
  if (code !== undefined && LOCKED.test(code)) {
    return new DatabaseError(
      `the SQLite database is locked by another connection or process (${code}: ${err.message}) ` +
        "and stayed locked past the busy timeout; retry, or keep the other writer's transactions shorter",
      code,
      { cause: err },
    );
  }
  const missing = sqliteMissingObject(err.message);
  if (missing !== undefined)
    return new DatabaseError(withMissingSchemaHint(err.message, missing), code, { cause: err });
  if (kind === undefined || code === undefined)
    return new DatabaseError(err.message, code, { cause: err });

  const target = err.message.slice(err.message.indexOf(":") + 1).trim();
  if (kind === "check") {
    return new IntegrityError(err.message, {
      kind,
      code,
      constraint: target || undefined,
      cause: err,
    });
  }
  const index = /^index '([^']+)'$/.exec(target)?.[1];
  if (index !== undefined)
    return new IntegrityError(err.message, { kind, code, constraint: index, cause: err });
  // "books.title, books.author_id" → table books, columns "title, author_id".
  const columns = target
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.includes("."));
  const table = columns[0]?.slice(0, columns[0].indexOf("."));
  const names = columns.map((c) => c.slice(c.indexOf(".") + 1));
  const column = names.length > 0 ? names.join(", ") : undefined;
  // SQLite reports the columns, not the constraint: derive the name yara's DDL gave it, so
  // `constraint` is the same on both databases.
  const constraint =
    table === undefined || kind !== "unique"
      ? undefined
      : code === "SQLITE_CONSTRAINT_PRIMARYKEY"
        ? constraintIdentifier(table, [], "pkey")
        : constraintIdentifier(table, names, "key");
  return new IntegrityError(err.message, { kind, code, constraint, table, column, cause: err });
}
