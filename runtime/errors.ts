/**
 * Every error yara throws. Messages name the model, field or constraint at fault and never
 * contain bound parameter values; structured fields carry the rest.
 */

export class YaraError extends Error {
  override name = "YaraError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `get()` found no row. */
export class DoesNotExist extends YaraError {
  override name = "DoesNotExist";
  constructor(
    readonly model: string,
    options?: { cause?: unknown },
  ) {
    super(`${model} matching query does not exist`, options);
  }
}

/** `get()` found more than one row. */
export class MultipleObjectsReturned extends YaraError {
  override name = "MultipleObjectsReturned";
  constructor(readonly model: string) {
    super(`get() returned more than one ${model}`);
  }
}

export type IntegrityKind = "unique" | "foreign_key" | "not_null" | "check";

/** The database refused a write because of a constraint. */
export class IntegrityError extends YaraError {
  override name = "IntegrityError";
  readonly kind: IntegrityKind;
  /** Constraint name, when the database reports one. */
  readonly constraint: string | undefined;
  /** SQLSTATE on Postgres ("23505"), the extended result code name on SQLite ("SQLITE_CONSTRAINT_UNIQUE"). */
  readonly code: string;
  readonly table: string | undefined;
  readonly column: string | undefined;
  constructor(
    message: string,
    fields: {
      kind: IntegrityKind;
      code: string;
      constraint?: string | undefined;
      table?: string | undefined;
      column?: string | undefined;
      cause?: unknown;
    },
  ) {
    super(message, { cause: fields.cause });
    this.kind = fields.kind;
    this.code = fields.code;
    this.constraint = fields.constraint;
    this.table = fields.table;
    this.column = fields.column;
  }
}

/** Input rejected before any SQL was sent. `field` is the offending field's name, when one is. */
export class ValidationError extends YaraError {
  override name = "ValidationError";
  constructor(
    message: string,
    readonly model: string | undefined,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

/** A filter, ordering, values() or update key that names no field, relation or lookup. */
export class FieldError extends YaraError {
  override name = "FieldError";
  constructor(
    message: string,
    readonly model: string,
    readonly key: string,
  ) {
    super(message);
  }
}

/**
 * Reading a relation that was not loaded: a to-one relation by selectRelated, prefetchRelated
 * or fetchRelated, a to-many one (`author.books.loaded`) by prefetchRelated or fetchRelated.
 */
export class RelationNotLoadedError extends YaraError {
  override name = "RelationNotLoadedError";
  constructor(
    readonly model: string,
    readonly relation: string,
    toMany = false,
  ) {
    const r = JSON.stringify(relation);
    super(
      toMany
        ? `${model}.${relation} is not loaded; use prefetchRelated(${r}) on the query or fetchRelated(${r}) on the instance, or query it with ${relation}.all()`
        : `${model}.${relation} is not loaded; use selectRelated(${r}), prefetchRelated(${r}) or fetchRelated(${r})`,
    );
  }
}

/** Misuse of a transaction: commit after rollback, use of a finished transaction's connection. */
export class TransactionError extends YaraError {
  override name = "TransactionError";
}

/** The database could not be reached, or the connection broke. `code` is the OS or SQLSTATE code. */
export class ConnectionError extends YaraError {
  override name = "ConnectionError";
  constructor(
    message: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `YaraOrm.init` was not called, was given a bad URL or option, or a driver is missing. */
export class ConfigurationError extends YaraError {
  override name = "ConfigurationError";
}

/**
 * Any other error the database raised (syntax error in `raw` SQL, statement timeout, …).
 * Not in api.md's list; it extends YaraError so `instanceof YaraError` catches every failure.
 */
export class DatabaseError extends YaraError {
  override name = "DatabaseError";
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Postgres gave up on the transaction because it conflicted with a concurrent one: the same
 * callback, run again from the start, may well succeed (`inTransaction(fn, { retry: n })` does
 * that). `code` is the SQLSTATE; `attempts` how many times the callback ran, the last one
 * included (1 without `retry`).
 */
export class TransactionConflictError extends DatabaseError {
  override name = "TransactionConflictError";
  attempts = 1;
  constructor(message: string, code: string) {
    super(message, code);
  }
}

/** SQLSTATE 40001: a serializable or repeatable-read transaction could not be serialized. */
export class SerializationError extends TransactionConflictError {
  override name = "SerializationError";
}

/** SQLSTATE 40P01: Postgres broke a deadlock by aborting this transaction. */
export class DeadlockError extends TransactionConflictError {
  override name = "DeadlockError";
}

/**
 * A migration folder, file or step that cannot be used: a gap or duplicate in the numbering,
 * a file that does not load, an applied file edited afterwards, an unknown target, an
 * operation that does not fit the schema state, or a statement that failed (the migration is
 * rolled back; `cause` is the database's error). `file` names the migration file when one is at fault.
 */
export class MigrationError extends YaraError {
  override name = "MigrationError";
  readonly file: string | undefined;
  constructor(message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options);
    this.file = options?.file;
  }
}

/**
 * Something the database in use cannot do (`distinct("field")` on SQLite, which has no
 * `DISTINCT ON`). Raised before any SQL is sent; `dialect` names the database.
 */
export class NotSupportedError extends YaraError {
  override name = "NotSupportedError";
  constructor(
    message: string,
    readonly dialect: string,
  ) {
    super(message);
  }
}
