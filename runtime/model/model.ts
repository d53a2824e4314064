/**
 * The base class of every generated model. Instances are plain data objects (one own property
 * per field, assigned by the generated constructor); loaded relations live in a private map so
 * they are neither enumerable nor serialised. Persistence methods delegate to the model's
 * ModelManager.
 */
import { RelationNotLoadedError } from "../errors.js";
import type { ModelMeta } from "./meta.js";
import { instanceManager } from "./managers.js";

let store: (instance: Model, relation: string, value: unknown) => void;

export abstract class Model {
  readonly #relations = new Map<string, unknown>();

  static {
    store = (instance, relation, value) => instance.#relations.set(relation, value);
  }

  /** The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. */
  protected loaded<T>(relation: string): T {
    if (!this.#relations.has(relation))
      throw new RelationNotLoadedError(modelNameOf(this), relation);
    return this.#relations.get(relation) as T;
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
   * Loads the named relations: to-one relations become readable (`book.author`), to-many
   * relations are stored as arrays of instances.
   */
  async fetchRelated(...relations: string[]): Promise<void> {
    await instanceManager(this).fetchRelated(this, relations);
  }
}

/** Records `value` as the loaded `relation` of `instance` (used by fetchRelated and friends). */
export function setLoadedRelation(instance: Model, relation: string, value: unknown): void {
  store(instance, relation, value);
}

function modelNameOf(instance: Model): string {
  return (instance.constructor as { meta?: ModelMeta }).meta?.name ?? instance.constructor.name;
}
