/**
 * A model between reading and the final IR: scalar fields already built, relations still as
 * declared (their key fields depend on the target's primary key, known only once every model
 * has been looked at).
 */
import type { ForwardRelationKind, RelationConstructor } from "./constructors.js";
import type { FieldIR, SourceLocation } from "./ir.js";
import type { FieldOptions, ModelOptionValues } from "./options.js";
import type { RawField, RawOptions } from "./raw.js";

export interface RelationDraft {
  readonly raw: RawField;
  readonly kind: ForwardRelationKind;
  readonly constructorName: RelationConstructor;
  readonly options: Partial<FieldOptions<"ForeignKeyField">> &
    Partial<FieldOptions<"ManyToManyField">>;
}

/** A declared member in schema order: a built field or a relation to resolve. */
export type MemberDraft =
  | { readonly kind: "field"; readonly field: FieldIR }
  | { readonly kind: "relation"; readonly relation: RelationDraft };

export interface ModelDraft {
  readonly name: string;
  readonly table: string;
  /** Where the table name comes from: the `table` option, or the model. */
  readonly tableLoc: SourceLocation;
  readonly members: readonly MemberDraft[];
  /** The primary key: declared, or the implicit `id` (first field then). */
  readonly pk: FieldIR;
  readonly implicitPk: boolean;
  readonly options: Partial<ModelOptionValues>;
  readonly rawOptions: RawOptions;
  readonly loc: SourceLocation;
}

/** `` `Book.author` `` */
export function memberName(model: string, member: string): string {
  return `\`${model}.${member}\``;
}
