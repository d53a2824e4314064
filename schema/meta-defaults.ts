/**
 * What a generated model meta may leave out: the value a property of a model, field or relation
 * has when the schema said nothing else. The generator omits a property equal to its default
 * (generator/emit-meta.ts) and the runtime fills it back in (`modelMeta`, runtime/model/meta.ts),
 * both from here, so they cannot disagree. Names come from naming.ts, as the schema reader's do.
 */
import type { RelationKind } from "./ir.js";
import { keyFieldName, snakeCase } from "./naming.js";

/** A model's defaults: the table is the snake_case model name, the primary key `id`. */
export function modelDefaults(name: string) {
  return {
    table: snakeCase(name),
    pk: "id",
    relations: [] as const,
    ordering: [] as const,
    uniqueTogether: [] as const,
    indexes: [] as const,
  };
}

/** The flags of a field, each off unless the schema turns it on (`pk` aside). */
export const FIELD_FLAGS = Object.freeze({
  nullable: false,
  unique: false,
  index: false,
  generated: false,
  autoNow: false,
  autoNowAdd: false,
});

/** A field's defaults: the column is the snake_case field name; every flag is off but `pk`. */
export function fieldDefaults(name: string, modelPk: string) {
  return { column: snakeCase(name), pk: name === modelPk, ...FIELD_FLAGS };
}

/**
 * A relation's defaults: not nullable; a to-one relation's key field is `<relation>Id`, and a
 * reverse one's is the key field its inverse owns on the target.
 */
export function relationDefaults(name: string, kind: RelationKind, inverse: string) {
  const keyField =
    kind === "foreignKey" || kind === "oneToOne"
      ? keyFieldName(name)
      : kind === "reverseForeignKey" || kind === "reverseOneToOne"
        ? keyFieldName(inverse)
        : undefined;
  return { nullable: false, keyField };
}
