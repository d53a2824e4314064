/**
 * The schema state a schema file describes: its IR as the runtime's `ModelMeta` with forward
 * relations only (`runtime/migrations/state.ts`), which is what the autodetector compares the
 * migrations folder's replayed state against.
 */
import type { FieldMeta, ModelMeta, RelationMeta, SchemaState } from "yara-orm/internal";
import type { FieldIR, ModelIR, RelationIR, SchemaIR } from "../../schema/ir.js";

/** A per-row value the runtime computes (`defaultFactory`) never reaches the table's DDL. */
function fieldMeta(f: FieldIR): FieldMeta {
  const { loc: _loc, description: _description, defaultFactory: _factory, ...meta } = f;
  return meta;
}

/**
 * Forward relations only; a many-to-many relation through a model leaves nothing to migrate
 * (its join rows live in the through model's own table), so the state has no join table for it.
 */
function forwardRelation(r: RelationIR): RelationMeta | undefined {
  if (r.kind !== "foreignKey" && r.kind !== "oneToOne" && r.kind !== "manyToMany") return undefined;
  if (r.through?.model !== undefined) return undefined;
  return {
    name: r.name,
    kind: r.kind,
    target: r.target,
    ...(r.keyField === undefined ? {} : { keyField: r.keyField }),
    inverse: "",
    ...(r.onDelete === undefined || r.kind === "manyToMany" ? {} : { onDelete: r.onDelete }),
    nullable: r.kind === "manyToMany" ? false : r.nullable,
    ...(r.through === undefined ? {} : { through: { ...r.through } }),
  };
}

export function modelState(m: ModelIR): ModelMeta {
  return {
    name: m.name,
    table: m.table,
    pk: m.pk,
    fields: m.fields.map(fieldMeta),
    relations: m.relations.map(forwardRelation).filter((r): r is RelationMeta => r !== undefined),
    ordering: [],
    uniqueTogether: m.uniqueTogether,
    indexes: m.indexes,
  };
}

export function stateFromIr(ir: SchemaIR): SchemaState {
  return new Map(ir.models.map((m) => [m.name, modelState(m)]));
}
