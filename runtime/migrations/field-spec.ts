/**
 * Between a migration's `FieldSpec` / `ModelSpec` and the runtime's `ModelMeta`, the shape the
 * schema state is kept in (so `dialect/ddl.ts` renders it exactly as `generateSchemas` does).
 * The state keeps forward relations only; reverse relations and `inverse` do not reach the
 * database.
 */
import { MigrationError } from "../errors.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import type { FieldSpec, ModelSpec } from "./operation.js";

/** The runtime field description of a spec (without `references`). */
export function fieldMetaOf(spec: FieldSpec): FieldMeta {
  const { references: _references, ...meta } = spec;
  return meta;
}

/** The forward relation a key field spec declares, if any. */
export function relationOf(spec: FieldSpec): RelationMeta | undefined {
  if (spec.references === undefined) return undefined;
  if (spec.relation === undefined) {
    throw new MigrationError(
      `field ${spec.name} references ${spec.references.model} but names no relation ("relation")`,
    );
  }
  return {
    name: spec.relation,
    kind: spec.references.oneToOne === true ? "oneToOne" : "foreignKey",
    target: spec.references.model,
    keyField: spec.name,
    inverse: "",
    ...(spec.references.onDelete === undefined ? {} : { onDelete: spec.references.onDelete }),
    nullable: spec.nullable,
  };
}

/** A field of a model in the state, as a spec (its relation folded back into `references`). */
export function fieldSpecOf(model: ModelMeta, name: string): FieldSpec | undefined {
  const field = model.fields.find((f) => f.name === name);
  if (field === undefined) return undefined;
  const r = model.relations.find(
    (rel) => rel.keyField === name && (rel.kind === "foreignKey" || rel.kind === "oneToOne"),
  );
  if (r === undefined) return field;
  return {
    ...field,
    references: {
      model: r.target,
      ...(r.onDelete === undefined ? {} : { onDelete: r.onDelete }),
      ...(r.kind === "oneToOne" ? { oneToOne: true } : {}),
    },
  };
}

export function modelMetaOf(spec: ModelSpec): ModelMeta {
  const relations: RelationMeta[] = [];
  for (const f of spec.fields) {
    const r = relationOf(f);
    if (r !== undefined) relations.push(r);
  }
  return {
    name: spec.name,
    table: spec.table,
    pk: spec.pk,
    fields: spec.fields.map(fieldMetaOf),
    relations,
    ordering: [],
    uniqueTogether: spec.uniqueTogether ?? [],
    indexes: spec.indexes ?? [],
  };
}

/** A model of the state as `createModel` records it (many-to-many relations excluded). */
export function modelSpecOf(model: ModelMeta): ModelSpec {
  return {
    name: model.name,
    table: model.table,
    pk: model.pk,
    fields: model.fields.map((f) => fieldSpecOf(model, f.name) ?? f),
    uniqueTogether: model.uniqueTogether,
    indexes: model.indexes,
  };
}
