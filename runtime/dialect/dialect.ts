/**
 * One database as the runtime sees it: everything the dialect-neutral code asks of a database
 * — how to render a statement AST, store a value, write DDL, change a table in a migration,
 * keep the migration history, explain a query — behind one object. Each database lives in
 * its own folder (`postgres/`, `sqlite/`) and exports one `Dialect`; `registry.ts` lists them.
 * Nothing outside `runtime/dialect/` tests a dialect's name: it asks the object, so a third
 * database is its folder, its driver and one line in the registry (a structure test holds this).
 */
import type { QueryCompiler } from "../compiler/compiler.js";
import type { Driver, DriverName, Param } from "../driver/driver.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import type { CodeStep } from "../migrations/operation.js";
import type { SchemaState } from "../migrations/state.js";
import type { TableChange } from "../migrations/table-change.js";
import type { Rejected } from "./field-checks.js";

export type DialectName = "postgres" | "sqlite" | "mysql";

/** What a database can do that another cannot; the query layer refuses the rest up front. */
export interface DialectSupport {
  /** `SELECT DISTINCT ON (…)` (else `distinct("field")` is a NotSupportedError). */
  readonly distinctOn: boolean;
  /** `FOR UPDATE [OF …] [NOWAIT | SKIP LOCKED]` (else selectForUpdate() locks nothing more). */
  readonly rowLocks: boolean;
  /** `COMMENT ON` for the schema's descriptions. */
  readonly comments: boolean;
  /**
   * DDL inside a transaction, rolled back with it. Without it (MySQL commits every DDL statement
   * on its own) migrations and `pull` are a NotSupportedError (a failed migration could not
   * roll back), and generateSchemas() runs each statement on its own, refusing to run inside
   * a transaction (its first CREATE TABLE would commit that transaction).
   */
  readonly transactionalDdl: boolean;
  /**
   * A transaction's isolation level and access mode chosen when it opens (inTransaction's
   * isolation and readOnly): Postgres `BEGIN ISOLATION LEVEL … READ ONLY`, MySQL `SET
   * TRANSACTION ISOLATION LEVEL …` then `START TRANSACTION READ ONLY`.
   */
  readonly isolationLevels: boolean;
  /** `DEFERRABLE` for a serializable read-only transaction (inTransaction's deferrable). */
  readonly deferrable: boolean;
  /**
   * `INSERT … RETURNING`, which create(), save() and bulkCreate() read the written rows with.
   * Without it (MySQL, MariaDB before 10.5) they read them back by key in the same transaction
   * (model/insert-read-back.ts), the keys the database assigned taken from the driver's
   * `insertId`. The MySQL driver decides it per server when it connects.
   */
  readonly insertReturning: boolean;
  /** `BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE` (inTransaction's behavior). */
  readonly lockingBehaviors: boolean;
}

/** CREATE TABLE pieces that differ by database (design.md, "Storage per dialect"). */
export interface DialectDdl {
  /** The column type of a field kind. */
  columnType(field: FieldMeta): string;
  /** Whether a `char` field's maxLength needs a CHECK (the type does not enforce it). */
  readonly checksCharLength: boolean;
  /** What follows the type of an integer primary key the database numbers itself. */
  readonly autoPk: string;
  /** The DEFAULT of a `dbDefault` function, stored the way the runtime stores the kind. */
  functionDefault(fn: "uuid" | "now", field: FieldMeta): string;
  /** A boolean literal as the column stores it. */
  booleanLiteral(value: boolean): string;
  /** A canonical decimal text as the column stores it. */
  decimalLiteral(text: string): string;
  /** An instant (ISO-8601 text at UTC, `toISOString()`) as the column stores it. */
  datetimeLiteral(iso: string): string;
  /**
   * Whether UNIQUE, CHECK and FOREIGN KEY constraints are written after the columns
   * (`CONSTRAINT … FOREIGN KEY ("col") REFERENCES …`) rather than on each column: MySQL ignores
   * a REFERENCES on a column.
   */
  readonly tableConstraints: boolean;
  /** What follows CREATE TABLE's closing parenthesis (MySQL: engine and collation), or "". */
  readonly tableOptions: string;
  /**
   * Adds a foreign key closing a reference cycle after every table exists, once (running it
   * again does nothing): `table` and `name` quoted, `clause` the `FOREIGN KEY … REFERENCES …`.
   * Undefined: every key is declared inline (SQLite checks them only when rows change).
   */
  readonly addForeignKey: ((table: string, name: string, clause: string) => string) | undefined;
  /** The ON DELETE action written for the schema's (SQLite writes RESTRICT as NO ACTION). */
  onDeleteAction(action: string): string;
}

export type MigrationStep = string | CodeStep;

/** What migrations do differently per database. */
export interface DialectMigrations {
  /** One table from its version before to after (ALTER TABLE, or a rebuild). */
  changeTable(change: TableChange, before: SchemaState, after: SchemaState): MigrationStep[];
  /** A join table renamed in place, rows kept (tables and columns already known to differ). */
  renameJoinTable(
    model: ModelMeta,
    relation: RelationMeta,
    from: NonNullable<RelationMeta["through"]>,
    after: SchemaState,
  ): MigrationStep[];
  /** Run inside each migration's transaction before reading the history; none when undefined. */
  readonly lockSql: string | undefined;
  /** The type of `yara_migrations.applied_at`. */
  readonly appliedAtType: string;
  /** `applied_at` read back as ISO text. */
  readonly appliedAtText: string;
  /** The current instant as `applied_at` stores it. */
  readonly now: string;
  /** One row when the table named by parameter 1 exists. */
  readonly tableExistsSql: string;
  /**
   * Whether migrations run with foreign-key enforcement off (table rebuilds) and check every
   * key themselves before committing (`foreignKeyCheckSql`).
   */
  readonly rebuildsTables: boolean;
  /** Rows breaking a foreign key: (table, rowid, parent, …); used when rebuildsTables. */
  readonly foreignKeyCheckSql: string | undefined;
}

/** How the shared native reader reads this database's cells (driver/native/reader.ts). */
export interface DialectCells {
  /**
   * Cells are storage values as the database keeps them: booleans are the integers 0 and 1,
   * 64-bit integers numbers unless bigints are asked for, dates the stored text as it is.
   * False: typed values as the Postgres drivers decode them.
   */
  readonly storageValues: boolean;
}

export interface Dialect {
  readonly name: DialectName;
  /**
   * Without `supports.insertReturning`: the keys one multi-row INSERT is given are the first
   * (the driver's `insertId`) and then `step` apart, in row order (InnoDB's
   * `innodb_autoinc_lock_mode` 0 or 1, `auto_increment_increment` the step). Undefined: the
   * server does not promise it (lock mode 2, interleaved), and rows whose key the database
   * assigns are inserted one statement each.
   */
  readonly insertIdStep?: number;
  /** As messages name it ("Postgres", "SQLite"). */
  readonly title: string;
  /** Most bind parameters one statement may carry. */
  readonly maxParams: number;
  /** Longest identifier kept whole (longer names are cut short or refused). */
  readonly maxIdentifierLength: number;
  /** Renders statement ASTs (runtime/compiler). */
  readonly compiler: QueryCompiler;
  readonly supports: DialectSupport;
  /** The JavaScript driver that opens it when the native engine is not used. */
  readonly jsDriver: DriverName;
  /** Whether the Rust engine speaks it (else the JavaScript driver is the only one). */
  readonly nativeEngine: boolean;
  /**
   * Whether untyped reads (`YaraOrm.query`) ask the driver for bigints to get exact 64-bit
   * integers (SQLite hands them only when asked; Postgres readers give every BIGINT as a bigint
   * when asked, so they are not).
   */
  readonly untypedBigints: boolean;
  /**
   * The stored form of a value of `field` that field-checks.ts accepted (`checked`), or why
   * this database cannot store it (NUL in Postgres text).
   */
  store(field: FieldMeta, checked: Param): Param | Rejected;
  readonly ddl: DialectDdl;
  readonly migrations: DialectMigrations;
  readonly cells: DialectCells;
  /** The database's plan for a SELECT, as one string (`explain()`). */
  explain(driver: Driver, sql: string, params: readonly Param[]): Promise<string>;
}
