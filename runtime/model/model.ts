/**
 * The base class of every generated model. Instances are plain data objects (one own property
 * per field, assigned by the generated constructor); loaded relations and the loaded values live
 * in ModelRecord (record.ts). Persistence methods delegate to the model's ModelManager: its
 * class's `objects`, the one place a model's manager is found.
 */
import { ConfigurationError } from "../errors.js";
import { checkOptions } from "../options.js";
import { tooManyArguments } from "../argument-count.js";
import { instanceJson } from "./json.js";
import type { ModelTypes } from "./types.js";
import type { ModelMeta } from "./meta.js";
import { instanceConnection, ModelRecord } from "./record.js";
import type { ModelManager } from "./manager.js";
import type { BulkUpdateOptions } from "./bulk-update.js";
import type { ModelEvents } from "./hooks.js";
import type { InstanceData } from "./instance-data.js";
import type { OrderKey } from "../query/base.js";
import type { UniqueKey } from "../query/queryset.js";

/**
 * What the statics below see through `this`: a generated model class (`Book`) and its manager,
 * from whose type parameter every argument and result is typed (`Book.build` takes `BookCreate`
 * and returns `Book`). Declaring them once here keeps the generated classes small.
 */
export interface ModelStatics<T extends ModelTypes> {
  readonly objects: ModelManager<T>;
}

/**
 * What `refreshFromDb` reloads: field names (`["title"]`), or `{ fields }` as Django and
 * Tortoise spell it; every field when omitted.
 */
export type RefreshFields<T extends ModelTypes = ModelTypes> =
  readonly T["own"][] | { readonly fields?: readonly T["own"][] };

function refreshFields(
  instance: Model,
  fields: RefreshFields | undefined,
): readonly string[] | undefined {
  if (fields === undefined || Array.isArray(fields)) return fields as readonly string[] | undefined;
  const model = (instance.constructor as { meta?: ModelMeta }).meta?.name ?? "Model";
  checkOptions(model, "refreshFromDb()", fields, ["fields"]);
  return (fields as { readonly fields?: readonly string[] }).fields;
}

/** Options of `save()`. */
export interface SaveOptions<T extends ModelTypes = ModelTypes> {
  /**
   * Write exactly these fields (a to-one relation name stands for its key field), as Tortoise's
   * `update_fields`: an UPDATE of an existing row, never an INSERT.
   */
  readonly updateFields?: readonly T["own"][];
  /**
   * The named connection to write to (Django's `save(using=…)`, Tortoise's `using_db`); the
   * instance belongs to it afterwards. Default: the connection it was read from or last saved to
   * by name, else where the routers and the schema send the model's writes.
   */
  readonly using?: string;
}

export abstract class Model extends ModelRecord {
  /**
   * INSERT when the primary key is unset (filling it in), else UPDATE the fields changed since
   * the instance was loaded or saved (snapshot.ts; INSERT if no row had the key), or exactly
   * `updateFields` (DoesNotExist if no row has the key).
   */
  async save(options?: SaveOptions): Promise<void> {
    const using = options?.using;
    const manager = using === undefined ? instanceManager(this) : rootManager(this).using(using);
    await manager.saveInstance(this, options);
  }

  /**
   * The instance as plain JSON-safe data, for `JSON.stringify`: fields and annotations, bigints
   * as strings, binary as base64, dates as ISO-8601 text (json.ts); not loaded relations, nor
   * fields an only() query left out.
   */
  toJSON(): Record<string, unknown> {
    return instanceJson(this);
  }

  /**
   * An unsaved copy of this instance: every field but the primary key (and autoNowAdd fields),
   * JSON, binary and dates copied; `save()` INSERTs it as a new row.
   */
  clone<M extends Model>(this: M): M {
    return instanceManager(this).cloneInstance(this);
  }

  /**
   * Sets these fields and to-one relations on the instance (Tortoise's `update_from_dict`),
   * checked as update() data is; nothing is written until `save()`. Returns the instance.
   */
  updateFromDict<M extends Model>(this: M, data: InstanceData<M>): M {
    instanceManager(this).updateInstance(this, data);
    return this;
  }

  /** DELETE this row by primary key. */
  async delete(): Promise<void> {
    await instanceManager(this).deleteInstance(this);
  }

  /** Reloads `fields` (every field when omitted) from the database (DoesNotExist if the row is gone). */
  async refreshFromDb(fields?: RefreshFields): Promise<void> {
    await instanceManager(this).refreshInstance(this, refreshFields(this, fields));
  }

  /**
   * Loads the named relation paths (`"author"`, `"books__tags"`), one query per level, the
   * first level afresh: to-one relations become readable (`book.author`), to-many ones
   * `author.books.loaded`. Generated classes narrow `relations` to the model's paths.
   */
  async fetchRelated(...relations: string[]): Promise<void> {
    await instanceManager(this).fetchRelated(this, relations);
  }

  // ---- model statics shared by every generated class, typed through `this` ----

  /**
   * An unsaved instance from create input (Django's `Book(title=…)`), checked as `create()`
   * checks it, defaults filled; `save()` INSERTs it.
   */
  static build<T extends ModelTypes>(this: ModelStatics<T>, data: T["create"]): T["model"] {
    return this.objects.build(data);
  }

  /**
   * The model's manager on the named connection `name` (`YaraOrm.init({ connections })`):
   * `Book.using("analytics").filter(…)`, `.create(…)`. Over routers and the schema's
   * `connection`; an unknown name rejects when a statement runs, naming the known ones.
   */
  static using<T extends ModelTypes>(this: ModelStatics<T>, name: string): ModelManager<T> {
    return this.objects.using(name);
  }

  /**
   * Writes `fields` of saved instances in one UPDATE per batch (Django's `bulk_update`);
   * resolves to the number of rows changed. Fires no per-row hooks.
   */
  static bulkUpdate<T extends ModelTypes>(
    this: ModelStatics<T>,
    instances: readonly T["model"][],
    fields: readonly T["own"][],
    options?: BulkUpdateOptions,
  ): Promise<number> {
    return this.objects.bulkUpdate(instances, fields, options);
  }

  /** Loads relation paths onto every instance, one query per level (Tortoise's `fetch_for_list`). */
  static fetchForList<T extends ModelTypes>(
    this: ModelStatics<T>,
    instances: readonly T["model"][],
    ...relations: T["prefetch"][]
  ): Promise<void> {
    return this.objects.fetchForList(instances, relations);
  }

  /** Subscribes `hook` to `event` (model/hooks.ts); returns the function that unsubscribes it. */
  static on<T extends ModelTypes, E extends keyof ModelEvents<T>>(
    this: ModelStatics<T>,
    event: E,
    hook: ModelEvents<T>[E],
  ): () => void {
    return this.objects.on(event, hook);
  }

  /** The last row by the model's ordering reversed, else by primary key descending; or null. */
  static last<T extends ModelTypes>(this: ModelStatics<T>): Promise<T["model"] | null> {
    if (arguments.length > 0) {
      const { name } = this.objects.meta;
      return Promise.reject(tooManyArguments(name, "last()", arguments.length, 0, "noCondition"));
    }
    return this.objects.all().last();
  }

  /** The first row ordered by `fields`; DoesNotExist when the table is empty. */
  static earliest<T extends ModelTypes>(
    this: ModelStatics<T>,
    ...fields: OrderKey<T>[]
  ): Promise<T["model"]> {
    return this.objects.all().earliest(...fields);
  }

  /** The first row ordered by `fields` descending; DoesNotExist when the table is empty. */
  static latest<T extends ModelTypes>(
    this: ModelStatics<T>,
    ...fields: OrderKey<T>[]
  ): Promise<T["model"]> {
    return this.objects.all().latest(...fields);
  }

  /** Map from primary key (or the unique `field`) to instance (see `QuerySet.inBulk`). */
  static inBulk<T extends ModelTypes, K extends UniqueKey<T>>(
    this: ModelStatics<T>,
    values: readonly NonNullable<T["fields"][K]>[],
    options: { readonly field: K },
  ): Promise<Map<NonNullable<T["fields"][K]>, T["model"]>>;
  static inBulk<T extends ModelTypes>(
    this: ModelStatics<T>,
    ids: readonly T["pk"][],
  ): Promise<Map<T["pk"], T["model"]>>;
  static inBulk<T extends ModelTypes>(
    this: ModelStatics<T>,
    values: readonly unknown[],
    options?: { readonly field?: string },
  ): Promise<Map<unknown, T["model"]>> {
    const objects = this.objects as unknown as {
      inBulk(
        v: readonly unknown[],
        o?: { readonly field?: string },
      ): Promise<Map<unknown, T["model"]>>;
    };
    return objects.inBulk(values, options);
  }
}

/** The ModelManager of `instance`'s class (`Book.objects`). */
function rootManager(instance: Model): ModelManager<ModelTypes> {
  const model = instance.constructor as Partial<ModelStatics<ModelTypes>> & { name: string };
  if (model.objects === undefined)
    throw new ConfigurationError(`Model ${model.name} has no ModelManager`);
  return model.objects;
}

/** The model's manager on the connection the instance belongs to (record.ts), else its own. */
function instanceManager(instance: Model): ModelManager<ModelTypes> {
  const manager = rootManager(instance);
  const connection = instanceConnection(instance);
  return connection === undefined ? manager : manager.using(connection);
}
