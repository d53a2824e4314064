/**
 * Instances that do not come from the database: `Book.build(data)` (an unsaved instance from
 * create input, Django's `Book(title=…)`), `book.clone()` (an unsaved copy), and what changes an
 * instance's values in memory: `updateFromDict(data)` and relation setters (`book.author = ada`).
 * Nothing here runs SQL; `save()` writes.
 */
import { ValidationError } from "../errors.js";
import { checkSchema, type SchemaLike } from "../query/base.js";
import { Expression } from "../query/f.js";
import { relationKey, writableField } from "../query/mutate.js";
import { fieldNamed, isForwardToOne, relationNamed } from "../query/path.js";
import { plainObject } from "../query/plain-object.js";
import { construct, type ModelConstructor } from "../registry.js";
import type { FieldMeta, LiteralValue, ModelMeta } from "./meta.js";
import { Model } from "./model.js";
import {
  hasLoadedRelation,
  loadedRelation,
  type ModelRecord,
  setLoadedRelation,
} from "./record.js";

type Row = Record<string, unknown>;

/**
 * The data an instance of `M` holds that `updateFromDict` may set: its fields and to-one
 * relations (methods and to-many managers left out), each optional.
 */
export type InstanceData<M> = {
  [
    K in keyof M as M[K] extends ((...args: never[]) => unknown) | { readonly loaded: unknown }
      ? never
      : K
  ]?: M[K];
};

function copyValue(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (value !== null && typeof value === "object") return structuredClone(value);
  return value;
}

function defaultOf(field: FieldMeta): unknown {
  const value: LiteralValue | undefined = field.default;
  if (value === undefined) return field.nullable && !field.generated ? null : undefined;
  return copyValue(value);
}

/**
 * An unsaved instance from create input, checked as create() checks it (before any SQL):
 * defaults filled, relation instances turned into keys and kept as loaded relations; the
 * primary key and autoNowAdd fields stay unset until save() INSERTs.
 */
export function buildInstance<M extends ModelRecord>(
  model: ModelConstructor<M>,
  schema: SchemaLike | undefined,
  data: unknown,
): M {
  const meta = model.meta;
  const record = plainObject(meta.name, "build() data", data);
  if (schema) checkSchema(meta.name, schema, record);
  const given = new Map<FieldMeta, unknown>();
  const related: [string, unknown][] = [];
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const { field, relation } = writableField(meta, key);
    given.set(field, relationKey(meta, key, value));
    if (relation) related.push([key, value]);
  }
  const values = meta.fields.map((f) => (given.has(f) ? given.get(f) : defaultOf(f)));
  const instance = construct(model, values);
  for (const [name, value] of related) setLoadedRelation(instance, name, value);
  return instance;
}

/**
 * An unsaved copy of `instance`: every field but the primary key (and autoNowAdd fields, set
 * again when it is saved), JSON, binary and dates copied, loaded to-one relations kept.
 */
export function cloneInstance<M extends ModelRecord>(instance: M): M {
  const model = instance.constructor as unknown as ModelConstructor<M>;
  const meta = model.meta;
  const record = instance as unknown as Row;
  const values = meta.fields.map((f) =>
    f.name === meta.pk || f.autoNowAdd ? undefined : copyValue(record[f.name]),
  );
  const copy = construct(model, values);
  for (const relation of meta.relations)
    if (isForwardToOne(relation) && hasLoadedRelation(instance, relation.name))
      setLoadedRelation(copy, relation.name, loadedRelation(instance, relation.name));
  return copy;
}

/**
 * Sets the fields and to-one relations in `data` on `instance` (Tortoise's
 * `update_from_dict`), checked as update() data is: a plain object, known keys, values of the
 * field's kind; F() expressions are refused (there is no row to compute them from).
 */
export function updateFromDict(
  instance: ModelRecord,
  schema: SchemaLike | undefined,
  data: unknown,
): void {
  const meta = (instance.constructor as unknown as ModelConstructor).meta;
  const record = plainObject(meta.name, "updateFromDict() data", data);
  for (const [key, value] of Object.entries(record)) {
    writableField(meta, key);
    if (value instanceof Expression)
      throw new ValidationError(
        `${meta.name}.${key}: updateFromDict() takes values, not F() expressions`,
        meta.name,
        key,
      );
  }
  if (schema) checkSchema(meta.name, schema, record);
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const { relation } = writableField(meta, key);
    if (relation) setRelated(instance, key, value);
    else (instance as unknown as Row)[key] = value;
  }
}

/**
 * `book.author = ada` (the generated setter of a forward to-one relation): sets the key field
 * from a saved instance of the target (or null, when the key is nullable) and keeps the
 * instance as the loaded relation. An unsaved instance or one of another model is a
 * ValidationError at once.
 */
export function setRelated(instance: ModelRecord, relation: string, value: unknown): void {
  const meta = (instance.constructor as unknown as { meta: ModelMeta }).meta;
  const rel = relationNamed(meta, relation);
  const keyField = rel && isForwardToOne(rel) ? rel.keyField : undefined;
  const field = keyField === undefined ? undefined : fieldNamed(meta, keyField);
  if (!field)
    throw new ValidationError(
      `${meta.name}.${relation}: not a to-one relation that can be set`,
      meta.name,
      relation,
    );
  if (value === null || value === undefined) {
    if (!field.nullable)
      throw new ValidationError(`${meta.name}.${relation} may not be null`, meta.name, relation);
    (instance as unknown as Row)[field.name] = null;
    setLoadedRelation(instance, relation, null);
    return;
  }
  if (!(value instanceof Model))
    throw new ValidationError(
      `${meta.name}.${relation}: expected a ${rel!.target} instance`,
      meta.name,
      relation,
    );
  (instance as unknown as Row)[field.name] = relationKey(meta, relation, value);
  setLoadedRelation(instance, relation, value);
}
