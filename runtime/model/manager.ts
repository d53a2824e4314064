/**
 * `ModelManager<T>`: the model statics (`Book.objects.create(…)`, `Book.filter(…)`, …) and the
 * persistence behind instance methods. Generated code builds one per model:
 * `new ModelManager<BookTypes>(Book, { decode, columns, createSchema, updateSchema })`.
 */
import { type Instead, tooManyArguments } from "../argument-count.js";
import type { OnConflictClause } from "../ast/insert.js";
import type { CompiledQuery } from "../compiler/compiler.js";
import { encodeValue, type EncodeContext } from "../dialect/encode.js";
import type { Dialect } from "../dialect/dialect.js";
import type { Driver, Param, QueryOptions, Result, RowReader } from "../driver/driver.js";
import {
  DoesNotExist,
  IntegrityError,
  MultipleObjectsReturned,
  ValidationError,
} from "../errors.js";
import type { ModelSource, SchemaLike } from "../query/base.js";
import { decodeCell, needsBigints } from "../query/decode.js";
import { Expression } from "../query/f.js";
import { fieldNamed, relationNamed } from "../query/path.js";
import { plainObject } from "../query/plain-object.js";
import type { Q } from "../query/q.js";
import { QuerySet, type UniqueKey, type UpdateData } from "../query/queryset.js";
import { EMPTY_STATE, patchState, type QueryState } from "../query/state.js";
import { driverFor, writeConnection } from "../connection/routers.js";
import { construct, type ModelConstructor } from "../registry.js";
import { inTransaction } from "../transaction.js";
import { insertRow, type InsertRow } from "../query/insert.js";
import { InsertStatements } from "./insert-sql.js";
import { insertReadBack } from "./insert-read-back.js";
import { type CheckedInput, CreateInput } from "./create-input.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import { Model, type SaveOptions } from "./model.js";
import { forgetLoadedRelation, type ModelRecord, setInstanceConnection } from "./record.js";
import { deleteInstance, fetchRelated, refreshInstance, saveInstance } from "./persist.js";
import { rememberLoaded, snapshotter } from "./snapshot.js";
import type { ModelTypes } from "./types.js";
import { bulkCreate, type BulkCreateOptions } from "./bulk.js";
import { bulkUpdate, type BulkUpdateOptions } from "./bulk-update.js";
import { checkHook, type ModelEvents, ModelHooks } from "./hooks.js";
import { buildInstance, cloneInstance, updateFromDict } from "./instance-data.js";
import { checkPlaceholders, checkRawParams } from "./raw-params.js";
import { checkPrefetch, prefetchPath } from "../query/prefetch.js";

/** A statement's query options: 64-bit integers as bigints or not (allocated once, not per call). */
const BIGINTS: QueryOptions = { bigints: true };
const NUMBERS: QueryOptions = { bigints: false };
/** create()'s INSERT … RETURNING of one row (`QueryOptions.oneRow`). */
const ONE_ROW_BIGINTS: QueryOptions = { bigints: true, oneRow: true };
const ONE_ROW_NUMBERS: QueryOptions = { bigints: false, oneRow: true };

export type { BulkCreateOptions, OnConflict, WriteKey } from "./bulk.js";
export type { BulkUpdateOptions } from "./bulk-update.js";

export interface ManagerOptions<T extends ModelTypes> {
  /** The generated positional decoder (`decodeBook`). */
  readonly decode: (r: RowReader, i: number, c?: number) => T["model"];
  /** The generated column list of the plain select (`BOOK_COLUMNS`), in decoder order. */
  readonly columns: string;
  readonly createSchema?: SchemaLike;
  readonly updateSchema?: SchemaLike;
}

type Where<T extends ModelTypes> = T["where"] | Q<T["where"]>;

type Row = Record<string, unknown>;

/** A compiled `get({ field: value })`: its SQL and the parameters after the value. */
interface CachedGet {
  readonly sql: string;
  readonly rest: readonly Param[];
  readonly field: FieldMeta;
  /** How the value is encoded: the dialect the SQL was compiled for. */
  readonly encode: EncodeContext & { readonly dialect: Dialect };
}

export class ModelManager<T extends ModelTypes> implements ModelSource<T> {
  readonly decode: (r: RowReader, i: number, c?: number) => T["model"];
  readonly columnsSql: string;
  readonly createSchema: SchemaLike | undefined;
  readonly updateSchema: SchemaLike | undefined;
  #bigints: boolean | undefined;
  /** `get({ field: value })` statements by dialect and field (see `#cachedGet`). */
  readonly #getSql = new Map<Dialect, Map<FieldMeta, CachedGet>>();
  /**
   * The last `get` shape — its key's field, and its statement — checked before the maps above:
   * a run of lookups by one key (the common case) skips the field search and two map lookups.
   */
  #lastKey: string | undefined;
  #lastField: FieldMeta | undefined;
  #lastGet: CachedGet | undefined;
  #inserts: InsertStatements | undefined;
  #createInput: CreateInput | undefined;
  #hooks: ModelHooks | undefined = undefined;
  /** `using(name)`: the named connection every statement of this manager runs on. */
  readonly connection: string | undefined;
  /** The model's own manager, for a manager `using()` made (it shares the hooks). */
  readonly #root: ModelManager<T> | undefined;
  readonly #bound = new Map<string, ModelManager<T>>();
  readonly #emptyState: QueryState;

  constructor(
    readonly model: ModelConstructor<T["model"]>,
    options: ManagerOptions<T>,
    using?: { readonly connection: string; readonly root: ModelManager<T> },
  ) {
    const decode = options.decode;
    // Every decoded instance remembers its values, so save() writes only what changed.
    const remember = snapshotter(() => this.model.meta);
    const connection = using?.connection;
    // A manager on a named connection: what it reads or writes belongs to that connection.
    this.decode =
      connection === undefined
        ? (r, i, c) => remember(decode(r, i, c), r, i, c)
        : (r, i, c) => belongsTo(remember(decode(r, i, c), r, i, c), connection);
    this.columnsSql = options.columns;
    this.createSchema = options.createSchema;
    this.updateSchema = options.updateSchema;
    this.connection = using?.connection;
    this.#root = using?.root;
    this.#emptyState =
      using === undefined ? EMPTY_STATE : patchState(EMPTY_STATE, { using: using.connection });
    this.#options = options;
  }

  readonly #options: ManagerOptions<T>;

  /** The model's signals (hooks.ts); undefined until something subscribes, so writes pay one check. */
  get hooks(): ModelHooks | undefined {
    return this.#root === undefined ? this.#hooks : this.#root.hooks;
  }

  set hooks(hooks: ModelHooks | undefined) {
    if (this.#root === undefined) this.#hooks = hooks;
    else this.#root.hooks = hooks;
  }

  /**
   * This model's manager on the named connection `name` (`YaraOrm.init({ connections })`):
   * its queries and writes run there, whatever the routers and the schema's `connection` say.
   * An unknown name rejects when a statement runs.
   */
  using(name: string): ModelManager<T> {
    const root = this.#root ?? this;
    if (typeof name !== "string" || name.length === 0)
      throw new ValidationError(
        `${this.meta.name}: using() expects a connection name`,
        this.meta.name,
        undefined,
      );
    let bound = root.#bound.get(name);
    if (bound === undefined) {
      bound = new ModelManager<T>(root.model, root.#options, { connection: name, root });
      root.#bound.set(name, bound);
    }
    return bound;
  }

  /** @internal The connection this manager reads `meta`'s rows from (routers.ts). */
  readDriver(): Driver {
    return driverFor({ meta: this.meta, write: false, using: this.connection });
  }

  /** @internal The connection this manager writes to. */
  writeDriver(): Driver {
    return driverFor({ meta: this.meta, write: true, using: this.connection });
  }

  /** @internal The transaction options of a transaction around this manager's own writes. */
  writeScope(): { readonly using: string | undefined } {
    return { using: writeConnection(this.meta, this.connection) };
  }

  get meta(): ModelMeta {
    return this.model.meta;
  }

  get bigints(): boolean {
    return (this.#bigints ??= needsBigints(this.meta.fields));
  }

  all(): QuerySet<T> {
    return new QuerySet<T>(this, this.#emptyState);
  }

  /** Overloads, Q first: see `BaseQuery.filter`. */
  filter(where: Q<T["where"]>): QuerySet<T>;
  filter(where: T["where"]): QuerySet<T>;
  filter(where: Where<T>): QuerySet<T>;
  filter(where: Where<T>): QuerySet<T> {
    if (arguments.length > 1) return this.refused("filter()", arguments.length, 1, "condition");
    return this.all().filter(where);
  }

  exclude(where: Q<T["where"]>): QuerySet<T>;
  exclude(where: T["where"]): QuerySet<T>;
  exclude(where: Where<T>): QuerySet<T>;
  exclude(where: Where<T>): QuerySet<T> {
    if (arguments.length > 1) return this.refused("exclude()", arguments.length, 1, "condition");
    return this.all().exclude(where);
  }

  first(): Promise<T["model"] | null> {
    if (arguments.length > 0) return this.#tooMany("first()", arguments.length, 0, "noCondition");
    return this.all().first();
  }

  get(where: Q<T["where"]>): Promise<T["model"]>;
  get(where: T["where"]): Promise<T["model"]>;
  get(where: Where<T>): Promise<T["model"]>;
  get(where: Where<T>): Promise<T["model"]> {
    if (arguments.length > 1) return this.#tooMany("get()", arguments.length, 1, "condition");
    return this.#cachedGet(where) ?? this.all().get(where);
  }

  getOrNone(where: Q<T["where"]>): Promise<T["model"] | null>;
  getOrNone(where: T["where"]): Promise<T["model"] | null>;
  getOrNone(where: Where<T>): Promise<T["model"] | null>;
  getOrNone(where: Where<T>): Promise<T["model"] | null> {
    if (arguments.length > 1) return this.#tooMany("getOrNone()", arguments.length, 1, "condition");
    return this.all().getOrNone(where);
  }

  /**
   * @internal A query that rejects when run, for arguments a method does not take
   * (argument-count.ts): as any builder step's error, it is thrown when the query runs, not where
   * it is built. Also the related managers' (related-manager.ts).
   */
  refused(method: string, given: number, most: number, instead: Instead): QuerySet<T> {
    const error = tooManyArguments(this.meta.name, method, given, most, instead);
    return new QuerySet<T>(this, { ...this.#emptyState, error });
  }

  /** A rejection for arguments the method does not take (argument-count.ts). */
  #tooMany(method: string, given: number, most: number, instead: Instead): Promise<never> {
    return Promise.reject(tooManyArguments(this.meta.name, method, given, most, instead));
  }

  /**
   * `get({ field: value })` on one own field: the SQL is compiled once per dialect and field, and
   * only the value is encoded on later calls. Undefined for any other `where` (the caller takes
   * the general path). Not an async function: the row is decoded in the one reaction to the
   * driver's promise, so a lookup costs no further promise (measured in callgrind).
   */
  #cachedGet(where: Where<T>): Promise<T["model"]> | undefined {
    // A plain object (a Q is none); one own key naming a field; a primitive value.
    if (typeof where !== "object" || where === null) return undefined;
    if (Object.getPrototypeOf(where) !== Object.prototype) return undefined;
    const keys = Object.keys(where);
    if (keys.length !== 1) return undefined;
    const key = keys[0]!;
    let field = this.#lastField;
    if (key !== this.#lastKey || field === undefined) {
      field = fieldNamed(this.meta, key);
      if (field === undefined) return undefined;
      this.#lastKey = key;
      this.#lastField = field;
    }
    const value = (where as Row)[key];
    if (value === null || typeof value === "object" || value === undefined) return undefined;
    let driver: Driver;
    let params: Param[];
    let get: CachedGet;
    try {
      driver = this.readDriver();
      const dialect = driver.dialect;
      const last = this.#lastGet;
      if (last !== undefined && last.field === field && last.encode.dialect === dialect) {
        get = last;
      } else {
        get = this.#getStatement(where, field, dialect);
        this.#lastGet = get;
      }
      const encoded = encodeValue(get.encode, field, value);
      params = get.rest.length === 0 ? [encoded] : [encoded, ...get.rest];
    } catch (err) {
      return Promise.reject(err);
    }
    const options = this.bigints ? BIGINTS : NUMBERS;
    if (driver.querySync !== undefined) {
      // A driver that runs the statement now (SQLite outside a transaction): no promise until
      // the instance is decoded.
      try {
        const result = driver.querySync(get.sql, params, options);
        if (result !== undefined) return Promise.resolve(this.#onlyRow(result));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return driver.query(get.sql, params, options).then((result) => this.#onlyRow(result));
  }

  /** The cached `get` statement of `field` on `dialect`, compiled on first use. */
  #getStatement(where: Where<T>, field: FieldMeta, dialect: Dialect): CachedGet {
    let byField = this.#getSql.get(dialect);
    if (byField === undefined) this.#getSql.set(dialect, (byField = new Map()));
    let cached = byField.get(field);
    if (cached === undefined) {
      const compiled = this.all().getSql(where, dialect);
      // The value is the first parameter; the rest (a bound LIMIT 2, where the dialect binds
      // it) is the same on every call.
      cached = {
        sql: compiled.sql,
        rest: compiled.params.slice(1),
        field,
        encode: { dialect, model: this.meta.name, mode: "filter" },
      };
      byField.set(field, cached);
    }
    return cached;
  }

  /** The one row of a `get`'s result, decoded. */
  #onlyRow(result: Result): T["model"] {
    if (result.rowCount === 0) throw new DoesNotExist(this.meta.name);
    if (result.rowCount > 1) throw new MultipleObjectsReturned(this.meta.name);
    return this.decode(result.reader, 0);
  }

  /**
   * @internal create()'s and bulkCreate()'s check of their input: what the create schema accepts,
   * read from the meta, in one pass that keeps the checked values (model/create-input.ts).
   */
  get createInput(): CreateInput {
    return (this.#createInput ??= new CreateInput(this.meta));
  }

  /**
   * @internal create input checked by the create schema's rules, when the manager has a create
   * schema (generated code always gives one); undefined without, and insertRow checks each value.
   */
  checkCreate(input: Record<string, unknown>): CheckedInput | undefined {
    const schema = this.createSchema;
    return schema === undefined ? undefined : this.createInput.check(input, schema);
  }

  /**
   * Validates, fills defaults and autoNow/autoNowAdd, and INSERTs … RETURNING the row. Not an
   * async function: on a driver that runs the statement now (SQLite, `querySync`, inside a
   * transaction too) the row is decoded in this call and handed over in one settled promise,
   * where an async function and the driver's promise would add two more, each costing a
   * promise hook inside a transaction (driver/async-context.ts).
   */
  create(data: T["create"]): Promise<T["model"]> {
    let driver: Driver;
    let insert: CompiledQuery;
    try {
      if (arguments.length > 1)
        throw tooManyArguments(this.meta.name, "create()", arguments.length, 1, "connection");
      // As Django's and Tortoise's create(): a save, so the model's save hooks see it.
      if (this.hooks?.has("preSave", "postSave")) return this.#createSaved(data);
      const input = plainObject(this.meta.name, "create() data", data);
      const rows = [insertRow(this.meta, input, undefined, this.checkCreate(input))];
      driver = this.writeDriver();
      if (!driver.dialect.supports.insertReturning)
        return insertReadBack(this, rows, undefined).then((created) => created[0]!);
      insert = this.#compileInsert(rows, undefined, driver);
      if (driver.querySync !== undefined) {
        const result = driver.querySync(insert.sql, insert.params, this.#oneRowOptions());
        if (result !== undefined) return Promise.resolve(this.#created(result));
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return driver
      .query(insert.sql, insert.params, this.#oneRowOptions())
      .then((result) => this.#created(result));
  }

  /** create() of a model with save hooks: build, then save. */
  async #createSaved(data: T["create"]): Promise<T["model"]> {
    const instance = this.build(data);
    await this.saveInstance(instance, undefined, true);
    return instance;
  }

  /** The row an INSERT … RETURNING of one row gave, decoded. */
  #created(result: Result): T["model"] {
    return (result.rowCount > 0 ? this.decode(result.reader, 0) : undefined)!;
  }

  /** @internal INSERT … RETURNING of rows that all set the same fields, decoded. */
  async insertRows(
    rows: readonly InsertRow[],
    onConflict: OnConflictClause | undefined,
  ): Promise<T["model"][]> {
    const driver = this.writeDriver();
    if (!driver.dialect.supports.insertReturning) return insertReadBack(this, rows, onConflict);
    const result = await this.#insert(rows, onConflict, driver);
    const out = new Array<T["model"]>(result.rowCount);
    for (let i = 0; i < out.length; i++) out[i] = this.decode(result.reader, i);
    return out;
  }

  /** Sends the INSERT … RETURNING of `rows` (model/insert-sql.ts) on `driver`. */
  #insert(
    rows: readonly InsertRow[],
    onConflict: OnConflictClause | undefined,
    driver: Driver,
  ): Promise<Result> {
    const { sql, params } = this.#compileInsert(rows, onConflict, driver);
    return driver.query(sql, params, this.#queryOptions());
  }

  /** The INSERT … RETURNING of `rows` for `driver`'s dialect (model/insert-sql.ts). */
  #compileInsert(
    rows: readonly InsertRow[],
    onConflict: OnConflictClause | undefined,
    driver: Driver,
  ): CompiledQuery {
    this.#inserts ??= new InsertStatements(this.meta);
    return this.#inserts.compile(rows, driver.dialect, { onConflict, returning: this.columnsSql });
  }

  /** How this model's rows are read: 64-bit integers as bigints when a field needs them. */
  #queryOptions(): QueryOptions {
    return this.bigints ? BIGINTS : NUMBERS;
  }

  /** The same, for a statement that yields one row at most: create()'s INSERT. */
  #oneRowOptions(): QueryOptions {
    return this.bigints ? ONE_ROW_BIGINTS : ONE_ROW_NUMBERS;
  }

  /**
   * Inserts many rows with multi-row INSERTs, batched under the bind-parameter limit (all
   * batches in one transaction). Resolves to the rows written, in input order; with
   * `onConflict: { ignore: true }` skipped rows are absent.
   */
  bulkCreate(
    rows: readonly T["create"][],
    options: BulkCreateOptions<T> = {},
  ): Promise<T["model"][]> {
    if (arguments.length > 2)
      return this.#tooMany("bulkCreate()", arguments.length, 2, "connection");
    return bulkCreate(this, rows, options);
  }

  /** The row matching `where`, else one created from its plain keys plus `defaults`; `[row, created]`. */
  async getOrCreate(where: T["where"], defaults?: T["update"]): Promise<[T["model"], boolean]> {
    if (arguments.length > 2)
      throw tooManyArguments(this.meta.name, "getOrCreate()", arguments.length, 2, "connection");
    this.#checkLookupArgs("getOrCreate", where, defaults);
    return inTransaction(async () => {
      const found = await this.getOrNone(where);
      if (found) return [found, false];
      try {
        return [
          await inTransaction(
            () => this.create(this.#createData(where, defaults)),
            this.writeScope(),
          ),
          true,
        ];
      } catch (err) {
        if (err instanceof IntegrityError && err.kind === "unique")
          return [await this.get(where), false];
        throw err;
      }
    }, this.writeScope());
  }

  /** Updates the row matching `where` with `defaults` (locking it), else creates it; `[row, created]`. */
  async updateOrCreate(where: T["where"], defaults?: T["update"]): Promise<[T["model"], boolean]> {
    if (arguments.length > 2)
      throw tooManyArguments(this.meta.name, "updateOrCreate()", arguments.length, 2, "connection");
    this.#checkLookupArgs("updateOrCreate", where, defaults);
    const updateFound = async (found: T["model"]): Promise<[T["model"], boolean]> => {
      if (!defaults || !Object.values(defaults).some((v) => v !== undefined)) return [found, false];
      const values = Object.entries(defaults).filter(([, v]) => v !== undefined);
      if (
        this.hooks?.has("preSave", "postSave") &&
        !values.some(([k, v]) => v instanceof Expression || k === this.meta.pk)
      ) {
        // As Tortoise's update_or_create: update_from_dict + save, so the save hooks see it.
        updateFromDict(found, this.updateSchema, Object.fromEntries(values));
        await this.saveInstance(found, { updateFields: values.map(([k]) => k) });
        return [found, false];
      }
      const byPk = this.#byPk(found);
      await this.filter(byPk).update(defaults as UpdateData<T>);
      return [await this.get(byPk), false];
    };
    return inTransaction(async () => {
      const found = await this.filter(where).selectForUpdate().getOrNone();
      if (found) return updateFound(found);
      try {
        return [
          await inTransaction(
            () => this.create(this.#createData(where, defaults)),
            this.writeScope(),
          ),
          true,
        ];
      } catch (err) {
        if (err instanceof IntegrityError && err.kind === "unique")
          return updateFound(await this.get(where));
        throw err;
      }
    }, this.writeScope());
  }

  /** `where` and `defaults` of getOrCreate / updateOrCreate are plain objects (no Q: it has no values to create from). */
  #checkLookupArgs(method: string, where: unknown, defaults: unknown): void {
    plainObject(this.meta.name, `${method}() where`, where);
    if (defaults !== undefined) plainObject(this.meta.name, `${method}() defaults`, defaults);
  }

  #createData(where: T["where"], defaults: T["update"] | undefined): T["create"] {
    const data: Row = {};
    for (const [key, value] of Object.entries(where)) {
      const plain = key.endsWith("__exact") ? key.slice(0, -7) : key;
      const name = plain === "pk" ? this.meta.pk : plain;
      if (!name.includes("__") && (fieldNamed(this.meta, name) || relationNamed(this.meta, name)))
        data[name] = value;
    }
    for (const [key, value] of Object.entries(defaults ?? {})) {
      if (value instanceof Expression) {
        throw new ValidationError(
          `${this.meta.name}.${key}: F() expressions cannot be used to create a row`,
          this.meta.name,
          key,
        );
      }
      data[key] = value;
    }
    return data as T["create"];
  }

  #byPk(instance: T["model"]): T["where"] {
    return { [this.meta.pk]: (instance as unknown as Row)[this.meta.pk] } as T["where"];
  }

  /**
   * Map from primary key (or the unique `field`) to instance for `values` (one array parameter,
   * whatever the count). A field that is not unique is a ValidationError.
   */
  inBulk<K extends UniqueKey<T>>(
    values: readonly NonNullable<T["fields"][K]>[],
    options: { readonly field: K },
  ): Promise<Map<NonNullable<T["fields"][K]>, T["model"]>>;
  inBulk(ids: readonly T["pk"][]): Promise<Map<T["pk"], T["model"]>>;
  inBulk(
    values: readonly unknown[],
    options?: { readonly field?: string },
  ): Promise<Map<unknown, T["model"]>> {
    const all = this.all() as unknown as {
      inBulk(
        v: readonly unknown[],
        o?: { readonly field?: string },
      ): Promise<Map<unknown, T["model"]>>;
    };
    return all.inBulk(values, options);
  }

  /** An unsaved instance from create input, checked as create() checks it; save() INSERTs it. */
  build(data: T["create"]): T["model"] {
    const instance = buildInstance(this.model, this.createSchema, data);
    return this.connection === undefined ? instance : belongsTo(instance, this.connection);
  }

  /** Writes `fields` of saved instances, one UPDATE per batch; resolves to the rows changed. */
  bulkUpdate(
    instances: readonly T["model"][],
    fields: readonly T["own"][],
    options?: BulkUpdateOptions,
  ): Promise<number> {
    return bulkUpdate(this, instances, fields, options);
  }

  /**
   * Subscribes `hook` to `event` of this model (hooks.ts); resolves nothing, returns the function
   * that unsubscribes it.
   */
  on<E extends keyof ModelEvents<T>>(event: E, hook: ModelEvents<T>[E]): () => void {
    const checked = checkHook(this.meta.name, event, hook);
    this.hooks ??= new ModelHooks();
    const hooks = this.hooks;
    const off = hooks.add(checked, hook as (...args: never[]) => unknown);
    return () => {
      off();
      if (hooks.size === 0 && this.hooks === hooks) this.hooks = undefined;
    };
  }

  /**
   * Loads relation paths onto every instance of `instances` (Tortoise's `fetch_for_list`): one
   * query per level for all of them, the first level afresh, as fetchRelated does for one.
   */
  async fetchForList(instances: readonly T["model"][], paths: readonly string[]): Promise<void> {
    const meta = this.meta;
    if (!Array.isArray(instances))
      throw new ValidationError(
        `${meta.name}: fetchForList() expects an array of instances`,
        meta.name,
        undefined,
      );
    instances.forEach((instance: unknown, i) => {
      const key = instance instanceof Model ? (instance as unknown as Row)[meta.pk] : undefined;
      if (!(instance instanceof Model) || instance.constructor !== this.model || key == null)
        throw new ValidationError(
          `${meta.name}: fetchForList() instance ${i} is not a saved ${meta.name}`,
          meta.name,
          undefined,
        );
    });
    checkPrefetch(meta, paths);
    if (instances.length === 0) return;
    for (const path of paths) {
      const first = path.split("__")[0]!;
      for (const instance of instances) forgetLoadedRelation(instance, first);
      await prefetchPath(meta, instances, path, this.connection);
    }
  }

  /** Runs `sql` with bound `params` and maps each row to an instance by column (or field) name. */
  async raw(sql: string, params: readonly Param[] = []): Promise<T["model"][]> {
    const bound = checkRawParams(this.meta.name, sql, params);
    const driver = this.readDriver();
    checkPlaceholders(`${this.meta.name}.raw`, this.meta.name, driver.dialect, sql, bound);
    const result = await driver.query(sql, bound, { bigints: true });
    const fields = this.meta.fields;
    const index = fields.map((f) => {
      const c = result.columns.indexOf(f.column);
      return c >= 0 ? c : result.columns.indexOf(f.name);
    });
    const out = new Array<T["model"]>(result.rowCount);
    for (let i = 0; i < out.length; i++) {
      const values = fields.map((f, k) =>
        index[k]! < 0 ? undefined : decodeCell(result.reader, index[k]!, i, f.kind),
      );
      const instance = rememberLoaded(this.meta, construct(this.model, values));
      out[i] = this.connection === undefined ? instance : belongsTo(instance, this.connection);
    }
    return out;
  }

  // ---- instance persistence (Model.save / delete / refreshFromDb / fetchRelated), in persist.ts ----

  /** save(): the write alone without save hooks (one property check), else between them in a transaction. */
  saveInstance(
    instance: ModelRecord,
    options?: SaveOptions,
    forceInsert = false,
  ): Promise<unknown> {
    const self = this as unknown as ModelManager<ModelTypes>;
    const hooks = this.hooks;
    const saved =
      hooks === undefined || !hooks.has("preSave", "postSave")
        ? saveInstance(self, instance, options, forceInsert)
        : inTransaction(async () => {
            const updateFields = options?.updateFields?.slice();
            await hooks.emit("preSave", instance, { updateFields });
            const created = await saveInstance(self, instance, options, forceInsert);
            await hooks.emit("postSave", instance, { created, updateFields });
          }, this.writeScope());
    const connection = this.connection;
    return connection === undefined ? saved : saved.then(() => belongsTo(instance, connection));
  }

  /** delete(): the DELETE alone without delete hooks, else between them in a transaction. */
  deleteInstance(instance: ModelRecord): Promise<void> {
    const self = this as unknown as ModelManager<ModelTypes>;
    const hooks = this.hooks;
    if (hooks === undefined || !hooks.has("preDelete", "postDelete"))
      return deleteInstance(self, instance);
    return inTransaction(async () => {
      await hooks.emit("preDelete", instance);
      await deleteInstance(self, instance);
      await hooks.emit("postDelete", instance);
    }, this.writeScope());
  }

  cloneInstance<M extends ModelRecord>(instance: M): M {
    const copy = cloneInstance(instance);
    return this.connection === undefined ? copy : belongsTo(copy, this.connection);
  }

  updateInstance(instance: ModelRecord, data: unknown): void {
    updateFromDict(instance, this.updateSchema, data);
  }

  refreshInstance(instance: ModelRecord, fields?: readonly string[]): Promise<void> {
    return refreshInstance(this as unknown as ModelManager<ModelTypes>, instance, fields);
  }

  fetchRelated(instance: ModelRecord, names: readonly string[]): Promise<void> {
    return fetchRelated(this as unknown as ModelManager<ModelTypes>, instance, names);
  }
}

/** Records that `instance` belongs to the named connection `connection` (record.ts); returns it. */
function belongsTo<M extends ModelRecord>(instance: M, connection: string): M {
  setInstanceConnection(instance, connection);
  return instance;
}
