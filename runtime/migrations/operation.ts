/**
 * Migration operations as plain data. A migration file is a list of these; each one changes the
 * schema state (`state.ts`, replayed without a database), renders SQL for a dialect
 * (`render.ts`) and has an inverse (`inverse.ts`) that `--down` runs.
 */
import type { DialectName } from "../dialect/dialect.js";
import type { Param } from "../driver/driver.js";
import type { FieldMeta, OnDelete } from "../model/meta.js";

/** The model a foreign key or one-to-one field points at. */
export interface FieldReference {
  /** Target model name. */
  readonly model: string;
  readonly onDelete?: OnDelete;
  readonly oneToOne?: boolean;
}

/**
 * A column as a migration records it: the runtime's field description with every name resolved
 * (`column` is written out, never derived), plus the target of a key field.
 */
export interface FieldSpec extends FieldMeta {
  readonly references?: FieldReference;
}

/** What `createModel` records: the table, its columns and its multi-column indexes. */
export interface ModelSpec {
  readonly name: string;
  readonly table: string;
  readonly pk: string;
  readonly fields: readonly FieldSpec[];
  readonly uniqueTogether?: readonly (readonly string[])[];
  readonly indexes?: readonly (readonly string[])[];
}

/** A join table of a many-to-many relation declared on `model` as `relation`. */
export interface JoinTableSpec {
  readonly model: string;
  readonly relation: string;
  readonly target: string;
  readonly table: string;
  readonly sourceColumn: string;
  readonly targetColumn: string;
}

/**
 * A join table renamed in place, rows kept: its relation's new name (`to`, default: the same), and
 * the table and column names it has afterwards (those a model or table rename derives).
 */
export interface JoinTableRename {
  readonly model: string;
  readonly relation: string;
  readonly to?: string;
  readonly table: string;
  readonly sourceColumn: string;
  readonly targetColumn: string;
}

/** SQL for both dialects, or one text per dialect. */
export type SqlText =
  string | readonly string[] | { readonly [D in DialectName]?: string | readonly string[] };

/** What a `runCode` function may do: statements on the migration's transaction. */
export interface MigrationContext {
  readonly dialect: DialectName;
  execute(sql: string, params?: readonly Param[]): Promise<{ rowCount: number }>;
  /** Rows as plain objects keyed by column name (values as the driver reads them). */
  query(sql: string, params?: readonly Param[]): Promise<Record<string, unknown>[]>;
}

export type CodeStep = (ctx: MigrationContext) => Promise<void>;

/**
 * `fill`: the value written into existing rows when a column becomes NOT NULL without a default
 * (a new column, or a nullable column made NOT NULL); it is not kept as the column's default.
 * On `removeField`, and on an `alterField` that drops NOT NULL, it serves the inverse that `down`
 * runs (the field added back, or made NOT NULL again).
 */
export interface FillOption {
  readonly fill?: string | number | boolean;
}

export type Operation =
  | { readonly op: "createModel"; readonly model: ModelSpec }
  | { readonly op: "deleteModel"; readonly model: string }
  | { readonly op: "renameModel"; readonly from: string; readonly to: string }
  | { readonly op: "alterModelTable"; readonly model: string; readonly table: string }
  | ({ readonly op: "addField"; readonly model: string; readonly field: FieldSpec } & FillOption)
  | ({ readonly op: "removeField"; readonly model: string; readonly field: string } & FillOption)
  | ({ readonly op: "alterField"; readonly model: string; readonly field: FieldSpec } & FillOption)
  | {
      readonly op: "renameField";
      readonly model: string;
      readonly from: string;
      readonly to: string;
      /** The new column name; default: the column stays. */
      readonly column?: string;
      /** A key field's relation gets this new name (`author` → `writer`). */
      readonly relation?: string;
    }
  | {
      readonly op: "addIndex" | "removeIndex";
      readonly model: string;
      readonly fields: readonly string[];
      /** A unique-together constraint rather than a plain index. */
      readonly unique: boolean;
    }
  | { readonly op: "createJoinTable"; readonly join: JoinTableSpec }
  | { readonly op: "dropJoinTable"; readonly model: string; readonly relation: string }
  | ({ readonly op: "renameJoinTable" } & JoinTableRename)
  | { readonly op: "runSql"; readonly up: SqlText; readonly down?: SqlText }
  | { readonly op: "runCode"; readonly up: CodeStep; readonly down?: CodeStep };

export type OperationKind = Operation["op"];
