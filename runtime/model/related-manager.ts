/**
 * `author.books`, `book.tags`, `tag.books`: the manager of one saved instance's to-many relation
 * (a reverse foreign key or either side of a many-to-many). `all`, `filter`, `exclude`, `count`
 * and `exists` query the related rows of the target model; `add`, `remove` and `clear` change
 * which rows are related — the key column of a reverse foreign key, the join-table rows of a
 * many-to-many (adding a pair twice is harmless; through a model, `throughDefaults` fills the
 * other columns of the new rows); `loaded` is what prefetchRelated or fetchRelated loaded.
 * Generated model classes return one from a getter per relation.
 */
import { FieldError, ValidationError } from "../errors.js";
import { fieldNamed, isToMany, metaOf, relationNamed } from "../query/path.js";
import type { Q } from "../query/q.js";
import { QuerySet, type UpdateData } from "../query/queryset.js";
import { runExecute } from "../query/run.js";
import { EMPTY_STATE } from "../query/state.js";
import type { Instead } from "../argument-count.js";
import { deletePairs, insertPairs, joinTableOf, pairRows } from "../query/through.js";
import { checkOptions } from "../options.js";
import { modelByName } from "../registry.js";
import { inTransaction } from "../transaction.js";
import { driverFor, writeConnection } from "../connection/routers.js";
import type { Driver } from "../driver/driver.js";
import { isPlainObject, plainObject } from "../query/plain-object.js";
import type { ModelManager } from "./manager.js";
import type { ModelMeta, RelationMeta } from "./meta.js";
import { Model } from "./model.js";
import { forgetLoadedRelation, instanceConnection, loadedRelation } from "./record.js";
import type { ModelTypes } from "./types.js";

type Row = Record<string, unknown>;

/** A related row given to add()/remove(): a saved instance or its primary key. */
export type RelatedItem<T extends ModelTypes> = T["model"] | T["pk"];

/**
 * What `create()` on a related manager takes: the target's create input without `K`, the key
 * the manager fills in (`author.books.create({ title })` needs no `author`).
 */
export type RelatedCreate<T extends ModelTypes, K extends string> = [K] extends [never]
  ? T["create"]
  : T["create"] extends infer C
    ? C extends object
      ? Omit<C, K>
      : never
    : never;

/**
 * What a many-to-many relation through a model may set on the join rows it adds: the through
 * model's create input without `K`, its two keys (`"book" | "bookId" | "tag" | "tagId"`).
 */
export type ThroughDefaults<T extends ModelTypes, K extends string> = RelatedCreate<T, K>;

/** The options add(), create() and getOrCreate() of a many-to-many relation through a model take. */
export interface ThroughOptions<D> {
  /** Values of the through model's other fields for each join row added (Django's through_defaults). */
  readonly throughDefaults?: D;
}

/**
 * add()'s arguments: the items, then — through a model — the options, required when the
 * through model has fields that need a value.
 */
export type AddArguments<T extends ModelTypes, D> = [D] extends [never]
  ? RelatedItem<T>[]
  : {} extends D
    ? RelatedItem<T>[] | [...RelatedItem<T>[], ThroughOptions<D>]
    : [...RelatedItem<T>[], ThroughOptions<D> & { readonly throughDefaults: D }];

/**
 * `T` is the target's types; `K`, for a reverse foreign key, names the target's relation and key
 * field pointing back here (`"author" | "authorId"`), which `create()` fills in; `D`, for a
 * many-to-many relation through a model, what `throughDefaults` may set on its join rows.
 */
export class RelatedManager<T extends ModelTypes, K extends string = never, D = never> {
  constructor(
    /** The instance whose relation this is. */
    readonly instance: Model,
    /** The relation's name on the instance's model (`books`). */
    readonly relation: string,
  ) {}

  /** Every related row (a query set of the target model). */
  all(): QuerySet<T> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#ownKey(meta);
    if (own === undefined)
      return new QuerySet<T>(target, { ...EMPTY_STATE, error: this.#unsaved(meta) });
    const where =
      relation.kind === "reverseForeignKey"
        ? { [relation.keyField ?? ""]: own }
        : { [relation.inverse]: own };
    return target.filter(where as T["where"]);
  }

  /** The related rows matching `where` as well. */
  filter(where: Q<T["where"]>): QuerySet<T>;
  filter(where: T["where"]): QuerySet<T>;
  filter(where: T["where"] | Q<T["where"]>): QuerySet<T>;
  filter(where: T["where"] | Q<T["where"]>): QuerySet<T> {
    if (arguments.length > 1) return this.#refused("filter()", arguments.length, 1, "condition");
    return this.all().filter(where);
  }

  /** The related rows not matching `where`. */
  exclude(where: Q<T["where"]>): QuerySet<T>;
  exclude(where: T["where"]): QuerySet<T>;
  exclude(where: T["where"] | Q<T["where"]>): QuerySet<T>;
  exclude(where: T["where"] | Q<T["where"]>): QuerySet<T> {
    if (arguments.length > 1) return this.#refused("exclude()", arguments.length, 1, "condition");
    return this.all().exclude(where);
  }

  count(): Promise<number> {
    if (arguments.length > 0)
      return this.#refused("count()", arguments.length, 0, "noCondition").count();
    return this.all().count();
  }

  exists(): Promise<boolean> {
    if (arguments.length > 0)
      return this.#refused("exists()", arguments.length, 0, "noCondition").exists();
    return this.all().exists();
  }

  /** A query of the target model refused for arguments the method does not take (manager.ts). */
  #refused(method: string, given: number, most: number, instead: Instead): QuerySet<T> {
    return this.#resolve().target.refused(method, given, most, instead);
  }

  /**
   * Creates a target row related to the instance: with its key set (reverse foreign key, one
   * INSERT), or INSERTed and then paired in the join table (many-to-many), in one transaction.
   */
  async create(data: RelatedCreate<T, K>, options?: ThroughOptions<D>): Promise<T["model"]> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#requireOwnKey(meta);
    plainObject(target.meta.name, "create() data", data);
    const throughDefaults = this.#throughDefaults(meta, relation, options);
    forgetLoadedRelation(this.instance, this.relation);
    if (relation.kind === "reverseForeignKey")
      return target.create(this.#withKey(relation, data, own) as T["create"]);
    // The join row is checked before the target row is written.
    const join = joinTableOf(meta, relation);
    pairRows(join, this.relation, own, [], throughDefaults);
    return inTransaction(
      async () => {
        const created = await target.create(data as T["create"]);
        await this.#addKeys(
          meta,
          relation,
          own,
          this.#keys(target.meta, [created]),
          throughDefaults,
        );
        return created;
      },
      joinScope(meta, this.instance),
    );
  }

  /**
   * The related row matching `where`, else one created and related from its plain keys plus
   * `defaults` (as the model's getOrCreate); resolves to `[row, created]`.
   */
  async getOrCreate(
    where: T["where"],
    defaults?: T["update"],
    options?: ThroughOptions<D>,
  ): Promise<[T["model"], boolean]> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#requireOwnKey(meta);
    plainObject(target.meta.name, "getOrCreate() where", where);
    const throughDefaults = this.#throughDefaults(meta, relation, options);
    if (relation.kind === "reverseForeignKey") {
      const [row, created] = await target.getOrCreate(
        this.#withKey(relation, where, own) as T["where"],
        defaults,
      );
      if (created) forgetLoadedRelation(this.instance, this.relation);
      return [row, created];
    }
    const join = joinTableOf(meta, relation);
    pairRows(join, this.relation, own, [], throughDefaults);
    return inTransaction(
      async () => {
        const found = await this.filter(where).getOrNone();
        if (found) return [found, false] as [T["model"], boolean];
        const [row] = await target.getOrCreate(where, defaults);
        await this.#addKeys(meta, relation, own, this.#keys(target.meta, [row]), throughDefaults);
        return [row, true] as [T["model"], boolean];
      },
      joinScope(meta, this.instance),
    );
  }

  /** `data` with the reverse foreign key set to the owner; giving that key as well is a ValidationError. */
  #withKey(relation: RelationMeta, data: object, own: unknown): object {
    const keyField = relation.keyField ?? "";
    for (const key of [
      relation.inverse,
      keyField,
      `${relation.inverse}__exact`,
      `${keyField}__exact`,
    ])
      if (Object.prototype.hasOwnProperty.call(data, key))
        throw new ValidationError(
          `${relation.target}.${key}: ${this.relation} sets it; leave it out`,
          relation.target,
          key,
        );
    return { ...data, [keyField]: own };
  }

  /**
   * The related rows loaded by prefetchRelated or fetchRelated; a RelationNotLoadedError before.
   * add(), remove() and clear() drop it, since the rows it lists changed.
   */
  get loaded(): T["model"][] {
    return loadedRelation(this.instance, this.relation) as T["model"][];
  }

  /**
   * Relates `items` to the instance: sets their foreign key (reverse relation, one UPDATE) or
   * inserts the missing join-table pairs (many-to-many, pairs already there are kept). A last
   * plain-object argument is the options: `throughDefaults` for the new rows of a through model.
   */
  async add(...args: AddArguments<T, D>): Promise<void> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#requireOwnKey(meta);
    const last: unknown = args.at(-1);
    const options = isPlainObject(last) ? (last as ThroughOptions<D>) : undefined;
    const items = (options === undefined ? args : args.slice(0, -1)) as RelatedItem<T>[];
    const throughDefaults = this.#throughDefaults(meta, relation, options);
    const keys = this.#keys(target.meta, items);
    if (relation.kind === "reverseForeignKey") {
      if (keys.length === 0) return;
      forgetLoadedRelation(this.instance, this.relation);
      const keyField = relation.keyField ?? "";
      await this.#byKeys(target, keys).update({ [keyField]: own } as UpdateData<T>);
      for (const item of items) if (item instanceof Model) (item as unknown as Row)[keyField] = own;
      return;
    }
    await this.#addKeys(meta, relation, own, keys, throughDefaults);
  }

  /** Inserts the missing join rows pairing `own` with `keys` (checked before any SQL). */
  async #addKeys(
    meta: ModelMeta,
    relation: RelationMeta,
    own: unknown,
    keys: readonly unknown[],
    throughDefaults: unknown,
  ): Promise<void> {
    const join = joinTableOf(meta, relation);
    const rows = pairRows(join, this.relation, own, keys, throughDefaults);
    if (rows.length === 0) return;
    forgetLoadedRelation(this.instance, this.relation);
    const width = rows[0]!.fields.length;
    const size = Math.floor(joinWriter(meta, this.instance).maxParams / width);
    const chunks: (typeof rows)[] = [];
    for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
    const send = async (): Promise<void> => {
      for (const chunk of chunks)
        await runExecute(() => insertPairs(join, chunk), joinWriter(meta, this.instance));
    };
    await (chunks.length > 1 ? inTransaction(send, joinScope(meta, this.instance)) : send());
  }

  /**
   * `options.throughDefaults`, once `options` is checked; a reverse foreign key has no join rows
   * to give them to (the auto join table is refused by pairRows).
   */
  #throughDefaults(
    meta: ModelMeta,
    relation: RelationMeta,
    options: ThroughOptions<D> | undefined,
  ): unknown {
    checkOptions(meta.name, `${this.relation}`, options, ["throughDefaults"]);
    const throughDefaults = options?.throughDefaults;
    if (throughDefaults !== undefined && relation.kind === "reverseForeignKey")
      throw new ValidationError(
        `${meta.name}.${this.relation}: throughDefaults is for a many-to-many relation through a model`,
        meta.name,
        this.relation,
      );
    return throughDefaults;
  }

  /**
   * Unrelates `items`: sets their foreign key to NULL (a reverse relation whose key is nullable;
   * otherwise a ValidationError — delete the rows instead) or deletes the join-table pairs.
   */
  async remove(...items: RelatedItem<T>[]): Promise<void> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#requireOwnKey(meta);
    const keys = this.#keys(target.meta, items);
    if (keys.length === 0) return;
    forgetLoadedRelation(this.instance, this.relation);
    if (relation.kind === "reverseForeignKey") {
      const keyField = this.#nullableKey(meta, relation, "remove");
      await this.#byKeys(target, keys)
        .filter({ [keyField]: own } as T["where"])
        .update({ [keyField]: null } as UpdateData<T>);
      for (const item of items) {
        const row = item as unknown as Row;
        if (item instanceof Model && row[keyField] === own) row[keyField] = null;
      }
      return;
    }
    const join = joinTableOf(meta, relation);
    await runExecute(() => deletePairs(join, own, keys), joinWriter(meta, this.instance));
  }

  /** Unrelates every related row (see remove()). */
  async clear(): Promise<void> {
    const { meta, relation, target } = this.#resolve();
    const own = this.#requireOwnKey(meta);
    forgetLoadedRelation(this.instance, this.relation);
    if (relation.kind === "reverseForeignKey") {
      const keyField = this.#nullableKey(meta, relation, "clear");
      await target
        .filter({ [keyField]: own } as T["where"])
        .update({ [keyField]: null } as UpdateData<T>);
      return;
    }
    const join = joinTableOf(meta, relation);
    await runExecute(() => deletePairs(join, own, undefined), joinWriter(meta, this.instance));
  }

  #resolve(): { meta: ModelMeta; relation: RelationMeta; target: ModelManager<T> } {
    const meta = (this.instance.constructor as unknown as { meta: ModelMeta }).meta;
    const relation = relationNamed(meta, this.relation);
    if (!relation || !isToMany(relation))
      throw new FieldError(
        `${meta.name} has no to-many relation "${this.relation}"`,
        meta.name,
        this.relation,
      );
    const objects = modelByName(relation.target).objects as unknown as ModelManager<T>;
    // The related rows of an instance from a named connection are on that connection.
    const connection = instanceConnection(this.instance);
    const target = connection === undefined ? objects : objects.using(connection);
    return { meta, relation, target };
  }

  #ownKey(meta: ModelMeta): unknown {
    const key = (this.instance as unknown as Row)[meta.pk];
    return key === null ? undefined : key;
  }

  #requireOwnKey(meta: ModelMeta): unknown {
    const key = this.#ownKey(meta);
    if (key === undefined) throw this.#unsaved(meta);
    return key;
  }

  #unsaved(meta: ModelMeta): ValidationError {
    return new ValidationError(
      `${meta.name}.${this.relation}: the ${meta.name} instance has no primary key (save it first)`,
      meta.name,
      this.relation,
    );
  }

  /** Primary keys of `items`; an unsaved instance or one of another model is a ValidationError. */
  #keys(target: ModelMeta, items: readonly RelatedItem<T>[]): unknown[] {
    return items.map((item) => {
      if (!(item instanceof Model)) return item;
      const model = (item.constructor as unknown as { meta: ModelMeta }).meta;
      const key = (item as unknown as Row)[target.pk];
      if (model.name !== target.name || key === undefined || key === null)
        throw new ValidationError(
          `${this.relation}: expects saved ${target.name} instances or their keys`,
          target.name,
          undefined,
        );
      return key;
    });
  }

  #byKeys(target: ModelManager<T>, keys: readonly unknown[]): QuerySet<T> {
    return target.filter({ [`${target.meta.pk}__in`]: keys } as T["where"]).orderBy();
  }

  /** The key field of a reverse relation, which remove() and clear() may set to NULL only when nullable. */
  #nullableKey(meta: ModelMeta, relation: RelationMeta, what: string): string {
    const keyField = relation.keyField ?? "";
    if (fieldNamed(metaOf(relation.target), keyField)?.nullable !== true)
      throw new ValidationError(
        `${meta.name}.${relation.name}.${what}(): ${relation.target}.${relation.inverse} may not be null; delete the rows instead`,
        relation.target,
        keyField,
      );
    return keyField;
  }
}

/**
 * The connection join-table rows of `meta`'s relations are written to: the one `instance`
 * belongs to, else the model's own.
 */
function joinWriter(meta: ModelMeta, instance: Model): Driver {
  return driverFor({ meta, write: true, using: instanceConnection(instance) });
}

function joinScope(meta: ModelMeta, instance: Model): { readonly using: string | undefined } {
  return { using: writeConnection(meta, instanceConnection(instance)) };
}
