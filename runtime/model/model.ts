/**
 * The base class of every generated model. Instances are plain data objects (one own property
 * per field, assigned by the generated constructor); loaded relations live in a private map so
 * they are neither enumerable nor serialised. Persistence methods delegate to the model's
 * ModelManager.
 */
import { RelationNotLoadedError } from "../errors.js";
import { instanceJson } from "./json.js";
import type { Snapshot } from "./snapshot.js";
import type { ModelTypes } from "./types.js";
import type { ModelMeta } from "./meta.js";
import { instanceManager } from "./managers.js";

/** Options of `save()`. */
export interface SaveOptions<T extends ModelTypes = ModelTypes> {
  /**
   * Write exactly these fields (a to-one relation name stands for its key field), as Tortoise's
   * `update_fields`: an UPDATE of an existing row, never an INSERT.
   */
  readonly updateFields?: readonly T["own"][];
}

let relationsOf: (instance: Model) => Map<string, unknown>;
let getSnapshot: (instance: Model) => Snapshot | undefined;
let setSnapshot: (instance: Model, snapshot: Snapshot | undefined) => void;

export abstract class Model {
  readonly #relations = new Map<string, unknown>();
  /** The field values as last loaded or saved (snapshot.ts), to write only what changed. */
  #snapshot: Snapshot | undefined = undefined;

  static {
    relationsOf = (instance) => instance.#relations;
    getSnapshot = (instance) => instance.#snapshot;
    setSnapshot = (instance, snapshot) => {
      instance.#snapshot = snapshot;
    };
  }

  /**
   * The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. Named
   * with `_` so that `loaded` stays free for a field.
   */
  protected _loaded<T>(relation: string): T {
    return loadedRelation(this, relation) as T;
  }

  /**
   * INSERT when the primary key is unset (filling it in), else UPDATE the fields changed since
   * the instance was loaded or saved (snapshot.ts; INSERT if no row had the key), or exactly
   * `updateFields` (DoesNotExist if no row has the key).
   */
  async save(options?: SaveOptions): Promise<void> {
    await instanceManager(this).saveInstance(this, options);
  }

  /**
   * The instance as plain JSON-safe data, for `JSON.stringify`: fields and annotations, bigints
   * as strings, binary as base64, dates as ISO-8601 text (json.ts); not loaded relations, nor
   * fields an only() query left out.
   */
  toJSON(): Record<string, unknown> {
    return instanceJson(this);
  }

  /** DELETE this row by primary key. */
  async delete(): Promise<void> {
    await instanceManager(this).deleteInstance(this);
  }

  /** Reloads `fields` (every field when omitted) from the database (DoesNotExist if the row is gone). */
  async refreshFromDb(fields?: readonly string[]): Promise<void> {
    await instanceManager(this).refreshInstance(this, fields);
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

/** The values `instance` was loaded or last saved with, if it was. */
export function loadedSnapshot(instance: Model): Snapshot | undefined {
  return getSnapshot(instance);
}

/** Records what `instance` holds now as its loaded values. */
export function setLoadedSnapshot(instance: Model, snapshot: Snapshot | undefined): void {
  setSnapshot(instance, snapshot);
}

function modelNameOf(instance: Model): string {
  return (instance.constructor as { meta?: ModelMeta }).meta?.name ?? instance.constructor.name;
}
