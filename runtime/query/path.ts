/**
 * Resolves a key such as `author__name__icontains` against a model: the relations it walks
 * through, the field it ends on and the segments left over (lookups). Every name is checked
 * against ModelMeta; anything unknown is a `FieldError` naming the model and the key.
 */
import { closestName } from "../../schema/naming.js";
import { FieldError } from "../errors.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import { modelByName } from "../registry.js";

export interface Step {
  readonly relation: RelationMeta;
  readonly from: ModelMeta;
  readonly to: ModelMeta;
}

export interface FieldPath {
  /** The key as written, for messages. */
  readonly key: string;
  /** Relations walked, in order. */
  readonly steps: readonly Step[];
  /** The model owning `field`. */
  readonly model: ModelMeta;
  readonly field: FieldMeta;
  /** Segments after the field: the lookup (and a date part). */
  readonly rest: readonly string[];
  /** Set when the key named a relation: values may be instances of this model (their pk is used). */
  readonly instanceOf: ModelMeta | undefined;
}

export function isToMany(relation: RelationMeta): boolean {
  return (
    relation.kind === "reverseForeignKey" ||
    relation.kind === "manyToMany" ||
    relation.kind === "reverseManyToMany"
  );
}

export function isForwardToOne(relation: RelationMeta): boolean {
  return relation.kind === "foreignKey" || relation.kind === "oneToOne";
}

export function metaOf(modelName: string): ModelMeta {
  return modelByName(modelName).meta;
}

export function pkField(meta: ModelMeta): FieldMeta {
  const pk = meta.fields.find((f) => f.name === meta.pk);
  if (!pk)
    throw new FieldError(`${meta.name} has no primary-key field ${meta.pk}`, meta.name, meta.pk);
  return pk;
}

export function fieldNamed(meta: ModelMeta, name: string): FieldMeta | undefined {
  if (name === "pk") return pkField(meta);
  return meta.fields.find((f) => f.name === name);
}

export function relationNamed(meta: ModelMeta, name: string): RelationMeta | undefined {
  return meta.relations.find((r) => r.name === name);
}

function hasMember(meta: ModelMeta, name: string | undefined): boolean {
  return (
    name !== undefined &&
    (fieldNamed(meta, name) !== undefined || relationNamed(meta, name) !== undefined)
  );
}

/** `; did you mean "email"?` when `name` is a typo of a field or relation of `meta`, else "". */
export function didYouMean(meta: ModelMeta, name: string): string {
  const close = closestName(name, [
    ...meta.fields.map((f) => f.name),
    ...meta.relations.map((r) => r.name),
  ]);
  return close === undefined ? "" : `; did you mean "${close}"?`;
}

/** `; did you mean "author"?` when `name` is a typo of a relation of `meta` that `keep`s, else "". */
export function relationHint(
  meta: ModelMeta,
  name: string,
  keep: (relation: RelationMeta) => boolean = () => true,
): string {
  const close = closestName(
    name,
    meta.relations.filter(keep).map((r) => r.name),
  );
  return close === undefined ? "" : `; did you mean "${close}"?`;
}

/**
 * `author__emial`: the key went through relation `author` into `model`, which has no member
 * `name` (so it is not a lookup on the relation's key either).
 */
export function noMemberError(
  root: ModelMeta,
  model: ModelMeta,
  name: string,
  key: string,
): FieldError {
  return new FieldError(
    `${model.name} has no field "${name}" (in "${key}")${didYouMean(model, name)}`,
    root.name,
    key,
  );
}

function keyFieldOf(meta: ModelMeta, relation: RelationMeta, key: string): FieldMeta {
  const field = relation.keyField === undefined ? undefined : fieldNamed(meta, relation.keyField);
  if (!field)
    throw new FieldError(`${meta.name}.${relation.name} has no key field`, meta.name, key);
  return field;
}

/** Most resolved keys remembered per model (paths can be long: `books__author__books__…`). */
const PATHS_PER_MODEL = 1000;
/** Per model: resolved paths by `allowRest` and key. Resolution depends only on the schema. */
const resolved = new WeakMap<ModelMeta, Map<string, FieldPath>>();

/**
 * Resolves `key` from `root`. With `allowRest: false` (orderBy, values, only) nothing may follow
 * the field. A relation named last stands for its key (forward) or its target's pk (to-many).
 * Paths are frozen and remembered per model; a key that fails is resolved (and fails) again.
 */
export function resolvePath(root: ModelMeta, key: string, allowRest: boolean): FieldPath {
  if (typeof key !== "string")
    throw new FieldError(
      `${root.name}: a field path is a string such as "title" or "author__name", not ${key === null ? "null" : typeof key}`,
      root.name,
      String(key),
    );
  let paths = resolved.get(root);
  if (paths === undefined) resolved.set(root, (paths = new Map()));
  const memo = `${allowRest ? "+" : "-"}${key}`;
  let path = paths.get(memo);
  if (path === undefined) {
    path = resolveUncached(root, key, allowRest);
    Object.freeze(path.steps);
    Object.freeze(path.rest);
    Object.freeze(path);
    if (paths.size < PATHS_PER_MODEL) paths.set(memo, path);
  }
  return path;
}

function resolveUncached(root: ModelMeta, key: string, allowRest: boolean): FieldPath {
  const segments = key.split("__");
  const steps: Step[] = [];
  let model = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const field = segment === "" ? undefined : fieldNamed(model, segment);
    const done = (
      f: FieldMeta,
      owner: ModelMeta,
      restFrom: number,
      instanceOf?: ModelMeta,
    ): FieldPath => {
      const rest = segments.slice(restFrom);
      if (!allowRest && rest.length > 0) {
        if (instanceOf) throw noMemberError(root, instanceOf, rest[0]!, key);
        throw new FieldError(
          `${root.name} has no field "${key}" (lookups are not allowed here)`,
          root.name,
          key,
        );
      }
      return { key, steps, model: owner, field: f, rest, instanceOf };
    };
    if (field) return done(field, model, i + 1);
    const relation = segment === "" ? undefined : relationNamed(model, segment);
    if (!relation) {
      throw new FieldError(
        `${model.name} has no field or relation "${segment}" (in "${key}")${didYouMean(model, segment)}`,
        root.name,
        key,
      );
    }
    const target = metaOf(relation.target);
    const next = segments[i + 1];
    const forward = isForwardToOne(relation);
    if (!hasMember(target, next)) {
      if (forward) return done(keyFieldOf(model, relation, key), model, i + 1, target);
      steps.push({ relation, from: model, to: target });
      return done(pkField(target), target, i + 1, target);
    }
    if (forward && (next === "pk" || next === target.pk)) {
      return done(keyFieldOf(model, relation, key), model, i + 2);
    }
    steps.push({ relation, from: model, to: target });
    model = target;
  }
  throw new FieldError(`${root.name} has no field "${key}"`, root.name, key);
}

/**
 * The name of the own field `key` names (a forward relation such as `author` names its key
 * field `authorId`); a path into another model is a FieldError naming `what` refused it.
 */
export function ownFieldName(meta: ModelMeta, key: string, what: string): string {
  const path = resolvePath(meta, key, false);
  if (path.steps.length > 0)
    throw new FieldError(`${meta.name}: ${what} takes own fields (in "${key}")`, meta.name, key);
  return path.field.name;
}

/** The to-one relations walked by `path` (`author`, `author__profile`), for selectRelated. */
export function toOneSteps(root: ModelMeta, path: string): Step[] {
  const steps: Step[] = [];
  let model = root;
  for (const segment of path.split("__")) {
    const relation = relationNamed(model, segment);
    if (!relation || isToMany(relation)) {
      // A to-many relation cannot be joined into one row per instance: say what loads it.
      const hint = relation
        ? `; "${segment}" is a to-many relation: load it with prefetchRelated("${path}")`
        : relationHint(model, segment, (r) => !isToMany(r));
      throw new FieldError(
        `${model.name} has no to-one relation "${segment}" (in "${path}")${hint}`,
        root.name,
        path,
      );
    }
    const to = metaOf(relation.target);
    steps.push({ relation, from: model, to });
    model = to;
  }
  return steps;
}
