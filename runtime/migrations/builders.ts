/**
 * What migration files call: `migration({ previous, operations })` and one builder per operation,
 * each returning the plain operation object. Field specs may leave out the flags that are off.
 */
import type { DbDefault, LiteralValue } from "../model/meta.js";
import type {
  CodeStep,
  FieldReference,
  FieldSpec,
  FillOption,
  JoinTableRename,
  JoinTableSpec,
  ModelSpec,
  Operation,
  SqlText,
} from "./operation.js";
import type { FieldKind } from "../model/meta.js";
import { FIELD_FLAGS } from "../../schema/meta-defaults.js";

/** A migration file's default export. */
export interface MigrationDefinition {
  /** The migration this one follows (its file name without extension); null for the first. */
  readonly previous: string | null;
  readonly operations: readonly Operation[];
}

export function migration(definition: MigrationDefinition): MigrationDefinition {
  return definition;
}

/** A field as written in a migration file: `name`, `column`, `kind`, and whatever is not off. */
export interface FieldInput {
  readonly name: string;
  readonly column: string;
  readonly kind: FieldKind;
  readonly pk?: boolean;
  readonly nullable?: boolean;
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly generated?: boolean;
  readonly default?: LiteralValue;
  readonly dbDefault?: DbDefault;
  readonly autoNow?: boolean;
  readonly autoNowAdd?: boolean;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly enumValues?: readonly (string | number)[];
  readonly relation?: string;
  readonly references?: FieldReference;
}

export function field(input: FieldInput): FieldSpec {
  return { pk: false, ...FIELD_FLAGS, ...input };
}

export interface ModelInput extends Omit<ModelSpec, "fields"> {
  readonly fields: readonly FieldInput[];
}

export const createModel = (model: ModelInput): Operation => ({
  op: "createModel",
  model: { ...model, fields: model.fields.map(field) },
});
export const deleteModel = (model: string): Operation => ({ op: "deleteModel", model });
export const renameModel = (from: string, to: string): Operation => ({
  op: "renameModel",
  from,
  to,
});
export const alterModelTable = (model: string, table: string): Operation => ({
  op: "alterModelTable",
  model,
  table,
});
export const addField = (model: string, spec: FieldInput, options: FillOption = {}): Operation => ({
  op: "addField",
  model,
  field: field(spec),
  ...options,
});
export const removeField = (model: string, name: string, options: FillOption = {}): Operation => ({
  op: "removeField",
  model,
  field: name,
  ...options,
});
export const alterField = (
  model: string,
  spec: FieldInput,
  options: FillOption = {},
): Operation => ({
  op: "alterField",
  model,
  field: field(spec),
  ...options,
});
export const renameField = (
  model: string,
  from: string,
  to: string,
  options: { readonly column?: string; readonly relation?: string } = {},
): Operation => ({ op: "renameField", model, from, to, ...options });
export const addIndex = (
  model: string,
  fields: readonly string[],
  options: { readonly unique?: boolean } = {},
): Operation => ({ op: "addIndex", model, fields, unique: options.unique === true });
export const removeIndex = (
  model: string,
  fields: readonly string[],
  options: { readonly unique?: boolean } = {},
): Operation => ({ op: "removeIndex", model, fields, unique: options.unique === true });
export const createJoinTable = (join: JoinTableSpec): Operation => ({
  op: "createJoinTable",
  join,
});
export const dropJoinTable = (model: string, relation: string): Operation => ({
  op: "dropJoinTable",
  model,
  relation,
});
export const renameJoinTable = (rename: JoinTableRename): Operation => ({
  op: "renameJoinTable",
  ...rename,
});
export const runSql = (up: SqlText, down?: SqlText): Operation =>
  down === undefined ? { op: "runSql", up } : { op: "runSql", up, down };
export const runCode = (up: CodeStep, down?: CodeStep): Operation =>
  down === undefined ? { op: "runCode", up } : { op: "runCode", up, down };
