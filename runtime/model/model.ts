/**
 * The base class of every generated model. Instances are plain data objects (one own property
 * per field, assigned by the generated constructor); loaded relations live in a private map so
 * they are neither enumerable nor serialised. Persistence methods delegate to the model's
 * ModelManager.
 */
import { RelationNotLoadedError } from "../errors.js";
import type { ModelMeta } from "./meta.js";
import { instanceManager } from "./managers.js";

let relationsOf: (instance: Model) => Map<string, unknown>;

export abstract class Model {
  readonly #relations = new Map<string, unknown>();

  static {
    relationsOf = (instance) => instance.#relations;
  }

  /**
   * The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. Named
   * with `_` so that `loaded` stays free for a field.
   */
  protected _loaded<T>(relation: string): T {
    return loadedRelation(this, relation) as T;
  }

  /** INSERT when the primary key is unset (filling it in), else UPDATE every field (INSERT if no row had it). */
  async save(): Promise<void> {
    await instanceManager(this).saveInstance(this);
  }

  /** DELETE this row by primary key. */
  async delete(): Promise<void> {
    await instanceManager(this).deleteInstance(this);
  }

  /** Reloads every field from the database (DoesNotExist if the row is gone). */
  async refreshFromDb(): Promise<void> {
    await instanceManager(this).refreshInstance(this);
  }

  /**
   * Loads the named relation paths (`"author"`, `"books__tags"`), one query per level, the
   * first level afresh: to-one relations become readable (`book.author`), to-many ones
   * `author.books.loaded`. Generated classes narrow `relations` to the model's paths.
   */
  async fetchRelated(...relations: string[]): Promise<void> {
    await instanceManager(this).fetchRelated(this, relations);
  }
}

/** Records `value` as the loaded `relation` of `instance` (used by fetchRelated and friends). */
export function setLoadedRelation(instance: Model, relation: string, value: unknown): void {
  relationsOf(instance).set(relation, value);
}

/** Whether `relation` of `instance` was loaded (prefetchRelated skips what is already there). */
export function hasLoadedRelation(instance: Model, relation: string): boolean {
  return relationsOf(instance).has(relation);
}

/** The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. */
export function loadedRelation(instance: Model, relation: string): unknown {
  const relations = relationsOf(instance);
  if (!relations.has(relation)) {
    const meta = (instance.constructor as { meta?: ModelMeta }).meta;
    const kind = meta?.relations.find((r) => r.name === relation)?.kind;
    const toMany =
      kind === "reverseForeignKey" || kind === "manyToMany" || kind === "reverseManyToMany";
    throw new RelationNotLoadedError(modelNameOf(instance), relation, toMany);
  }
  return relations.get(relation);
}

/** Drops the loaded value of `relation` (a relation manager changed it in the database). */
export function forgetLoadedRelation(instance: Model, relation: string): void {
  relationsOf(instance).delete(relation);
}

function modelNameOf(instance: Model): string {
  return (instance.constructor as { meta?: ModelMeta }).meta?.name ?? instance.constructor.name;
}
