/**
 * `yara-orm/schema`: what a schema file imports. Everything here is an identity helper that
 * gives the editor types to check; the generator reads the file statically and never runs it,
 * so this module stays free of the generator's dependencies.
 *
 * ```ts
 * import { defineSchema, model, fields } from "yara-orm/schema";
 * export default defineSchema({
 *   Author: { name: fields.CharField({ maxLength: 100 }) },
 *   Book: model(
 *     { title: fields.CharField({ maxLength: 200 }), author: fields.ForeignKeyField("Author") },
 *     { table: "books", ordering: ["-id"] },
 *   ),
 * });
 * ```
 */
import type { FieldSpec, RelationSpec } from "./fields.js";

export * from "./fields.js";

/** A model's fields: property name → what a field constructor returned. */
export type FieldsSpec = { readonly [name: string]: FieldSpec };

type ToOneNames<F> = {
  [K in keyof F & string]: F[K] extends RelationSpec<"ForeignKeyField" | "OneToOneField">
    ? K
    : never;
}[keyof F & string];
type ManyToManyNames<F> = {
  [K in keyof F & string]: F[K] extends RelationSpec<"ManyToManyField"> ? K : never;
}[keyof F & string];

/**
 * A name `ordering`, `uniqueTogether` and `indexes` may use: a field, the implicit `id`, a
 * to-one relation (standing for its key) or its key field (`authorId`).
 */
export type FieldRef<F> =
  Exclude<keyof F & string, ManyToManyNames<F>> | "id" | `${ToOneNames<F>}Id`;

export interface ModelOptions<F> {
  /** Table name; default: snake_case of the model name. */
  readonly table?: string;
  /** Default order of queries; `-` prefix for descending: `["-id"]`. */
  readonly ordering?: readonly (FieldRef<F> | `-${FieldRef<F>}`)[];
  readonly uniqueTogether?: readonly (readonly FieldRef<F>[])[];
  readonly indexes?: readonly (readonly FieldRef<F>[])[];
  readonly description?: string;
  /**
   * The named connection the model lives on (a key of `YaraOrm.init({ connections })`): an app
   * with two databases. Default: the enclosing transaction's connection, else "default".
   */
  readonly connection?: string;
}

/** Tells a `model(...)` result from a plain object of fields. */
const modelBrand: unique symbol = Symbol("yara-orm.model");

/** What `model(fields, options)` returns; the options were checked against `F` at the call. */
export interface ModelSpec<F extends FieldsSpec = FieldsSpec> {
  readonly [modelBrand]: true;
  readonly fields: F;
  readonly options: StoredModelOptions;
}

/** `ModelOptions` once its names no longer need checking. */
export interface StoredModelOptions {
  readonly table?: string;
  readonly ordering?: readonly string[];
  readonly uniqueTogether?: readonly (readonly string[])[];
  readonly indexes?: readonly (readonly string[])[];
  readonly description?: string;
  readonly connection?: string;
}

/** Model name → a plain object of fields, or `model(fields, options)`. */
export type SchemaSpec = { readonly [model: string]: FieldsSpec | ModelSpec };

/** A model with table options: `model({ ...fields }, { table: "books", ordering: ["-id"] })`. */
export function model<const F extends FieldsSpec>(
  fields: F,
  options: ModelOptions<NoInfer<F>> = {},
): ModelSpec<F> {
  return { [modelBrand]: true, fields, options };
}

type RelationTargets<F> = {
  [K in keyof F]: F[K] extends RelationSpec<string, infer T> ? T : never;
}[keyof F];
type TargetsOf<M> = M extends ModelSpec<infer F> ? RelationTargets<F> : RelationTargets<M>;
/** Relation targets that name no model of `S`. */
type UnknownTargets<S> = Exclude<{ [M in keyof S]: TargetsOf<S[M]> }[keyof S], keyof S>;
/** Makes a relation to an unknown model a compile error that names the model. */
type KnownTargets<S> = [UnknownTargets<S>] extends [never]
  ? unknown
  : { readonly "relation targets that are not models of this schema": UnknownTargets<S> };

/**
 * Fields shared by several models (an abstract model, a mixin), declared once as a `const` of
 * the schema file and spread into each model: `Book: { ...Timestamped, title: … }`. It has no
 * table of its own; each model gets its own copy of the fields.
 */
export function abstract<const F extends FieldsSpec>(fields: F): F {
  return fields;
}

/** The schema: `export default defineSchema({ Author: {...}, Book: model({...}, {...}) })`. */
export function defineSchema<const S extends SchemaSpec>(schema: S & KnownTargets<S>): S {
  return schema;
}
