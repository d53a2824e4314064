/**
 * `QuerySet<T>`: a lazy, immutable query over one model. Nothing runs until it is awaited,
 * iterated, or a terminal method (`get`, `count`, `update`, …) is called.
 */
import type { ExpressionNode } from "../ast/node.js";
import { raw } from "../ast/raw.js";
import type { CompiledQuery } from "../compiler/compiler.js";
import type { Result } from "../driver/driver.js";
import type { Dialect, DialectName } from "../dialect/dialect.js";
import { DoesNotExist, MultipleObjectsReturned, ValidationError, YaraError } from "../errors.js";
import { keyMatch } from "../model/key-identity.js";
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import type { ModelTypes, WithInstance } from "../model/types.js";
import { belongToConnection } from "../model/record.js";
import { rememberLoaded } from "../model/snapshot.js";
import { checkOptions } from "../options.js";
import { construct } from "../registry.js";
import { BaseQuery, checkSchema, type FieldKey, type ScopedExpression } from "./base.js";
import { ownColumns } from "./own-columns.js";
import { columnOf, type Scope } from "./scope.js";
import { decodeCell } from "./decode.js";
import { buildDelete, buildUpdate, writableField } from "./mutate.js";
import { checkAnnotations, resultKind, selectedExpression } from "./expressions.js";
import { Expression, type ExpressionValue } from "./f.js";
import type { PathExpression, PathFunctionValue } from "./functions.js";
import { ownFieldName, pkField, resolvePath } from "./path.js";
import { checkPrefetch, prefetchPath } from "./prefetch.js";
import type { PrefetchLookup } from "./prefetch-lookup.js";
import type { Deferred } from "./deferred.js";
import {
  attachRelated,
  relatedColumns,
  relatedNeedBigints,
  relatedPaths,
  relatedReads,
} from "./related.js";
import { plainObject } from "./plain-object.js";
import type { Q } from "./q.js";
import { runExecute, runQuery } from "./run.js";
import { writeConnection } from "../connection/routers.js";
import { inTransaction } from "../transaction.js";
import { compileShape } from "./shape-cache.js";
import { isAggregated, type QueryState, selectFor } from "./state.js";
import { streamByKeys } from "./key-stream.js";
import { resolveWhere } from "./where.js";
import {
  type ValueEntry,
  type ValueKey,
  type ValueOf,
  type ValuesArg,
  type ValuesOf,
  ValuesListQuerySet,
  ValuesQuerySet,
  valueEntries,
} from "./values.js";

export { ValuesListQuerySet, ValuesQuerySet } from "./values.js";

type Fields<T extends ModelTypes> = T["fields"];

/** A field `inBulk(values, { field })` may key by: an own field (the runtime checks it is unique). */
export type UniqueKey<T extends ModelTypes> = T["own"] & keyof T["fields"] & string;

/** The value type of annotation `E` on a model of types `T` (field-typed for `Sum("books__price")`). */
export type AnnotationValue<T extends ModelTypes, E> =
  E extends PathExpression<infer F, infer P>
    ? PathFunctionValue<
        F,
        P extends keyof T["fields"]
          ? T["fields"][P]
          : P extends keyof T["many"]
            ? T["many"][P]
            : unknown
      >
    : ExpressionValue<E>;

/** Filter keys on annotation values `V`: `n`, `n__gte`, `n__in`, `n__isnull`, … */
export type AnnotationWhere<V> = {
  [K in keyof V & string as K | `${K}__${"not" | "gt" | "gte" | "lt" | "lte"}`]?: V[K] | Expression;
} & { [K in keyof V & string as `${K}__in`]?: readonly NonNullable<V[K]>[] } & {
  [K in keyof V & string as `${K}__isnull` | `${K}__not_isnull`]?: boolean;
};

/** The values of annotations `A` on a model of types `T`. */
export type AnnotationValues<T extends ModelTypes, A> = {
  -readonly [K in keyof A]: AnnotationValue<T, A[K]>;
};

/**
 * `T` with annotation values added to its instances, to the fields usable in values/orderBy and
 * to the filter keys (`filter({ n__gte: 2 })`).
 */
export interface Annotated<
  T extends ModelTypes,
  A extends Record<string, Expression<unknown>>,
> extends ModelTypes {
  readonly model: T["model"] & AnnotationValues<T, A>;
  readonly where: T["where"] & AnnotationWhere<AnnotationValues<T, A>>;
  readonly fields: T["fields"] & AnnotationValues<T, A>;
  readonly many: T["many"];
  readonly create: T["create"];
  readonly update: T["update"];
  readonly pk: T["pk"];
  readonly own: T["own"];
  readonly related: T["related"];
  readonly prefetch: T["prefetch"];
}
/** `update()` data of `T`: its expressions' conditions are checked against `T["where"]`. */
export type UpdateData<T extends ModelTypes> = {
  [K in keyof T["update"]]: T["update"][K] extends infer X
    ? X extends Expression<unknown>
      ? X & { readonly __where?: T["where"] }
      : X
    : never;
};

/** The properties `Prefetch(…, { toAttr })` items of `L` add: `{ [toAttr]: Target[] }`. */
type ToAttrs<L> = L extends readonly (infer E)[]
  ? UnionToIntersection<
      E extends PrefetchLookup<string, infer M, infer A>
        ? A extends string
          ? { [K in A]: M[] }
          : object
        : object
    >
  : object;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (
  i: infer I,
) => void
  ? I
  : never;

/** What prefetchRelated(...L) returns: `QuerySet<T>`, with the toAttr lists when `L` has some. */
export type Prefetched<T extends ModelTypes, L> = L extends readonly (infer E)[]
  ? [Extract<E, PrefetchLookup<string, unknown, string>>] extends [never]
    ? QuerySet<T>
    : QuerySet<WithPrefetched<T, L>>
  : QuerySet<T>;

/** `T` whose instances carry the lists prefetchRelated items `L` store under a `toAttr`. */
export type WithPrefetched<T extends ModelTypes, L> = WithInstance<T, T["model"] & ToAttrs<L>>;

/** Values read under aliases `A` (`{ authorName: "author__name" }`). */
export type AliasedValues<T extends ModelTypes, A> = {
  -readonly [N in keyof A]: ValueOf<T, A[N]>;
};
/** An intersection written out as one object type (readable in editors and type tests). */
type Flat<X> = { [P in keyof X]: X[P] };
type Tuple<T extends ModelTypes, K extends readonly ValueKey<T>[]> = {
  -readonly [I in keyof K]: ValueOf<T, K[I]>;
};

export class QuerySet<T extends ModelTypes> extends BaseQuery<T, T["model"]> {
  /** Type only: the value this query stands for as a subquery or in list (its primary key). */
  declare readonly __subqueryValue: T["pk"];

  protected columns(scope: Scope): readonly ExpressionNode[] {
    const only = this.onlyFields();
    const own = only
      ? only.map((f) => columnOf(scope.alias, f))
      : [raw(this.source.columnsSql, ownColumns(this.source.meta))];
    const pk = pkField(this.source.meta);
    const annotations = this.state.annotations
      .filter((a) => !a.hidden)
      .map((a) => selectedExpression(scope, a.term, pk));
    return [...own, ...relatedColumns(scope, this.state.related), ...annotations];
  }

  /** A QuerySet has no fields but its source and state: constructing is cheaper than copying. */
  protected override withState(state: QueryState): this {
    return Object.freeze(new QuerySet<T>(this.source, state)) as this;
  }

  /** Through the per-shape cache: the columns depend only on state the shape key covers. */
  protected override compileSelect(dialect: Dialect): CompiledQuery {
    this.#refuseGroups();
    return compileShape(this.source, this.state, dialect, (slots) =>
      this.selectNode({ ordered: true, sliced: true, slots }),
    );
  }

  override sql(dialect?: Dialect | DialectName): CompiledQuery {
    this.#refuseGroups();
    return super.sql(dialect);
  }

  /**
   * A grouped or aggregate query yields groups, not rows of the model: read as instances,
   * Postgres refuses it and SQLite returns one arbitrary row per group, so it is refused on both.
   */
  #refuseGroups(): void {
    const meta = this.source.meta;
    if (isAggregated(meta, this.state) && !this.state.groupBy.includes(meta.pk))
      throw new ValidationError(
        `${meta.name}: a grouped or aggregate query yields groups, not ${meta.name} rows; ` +
          "read them with values() or valuesList() (or group by the primary key)",
        meta.name,
        undefined,
      );
  }

  protected get bigints(): boolean {
    return this.source.bigints || relatedNeedBigints(this.source.meta, this.state.related);
  }

  protected override keyOf(row: T["model"]): unknown {
    return (row as unknown as Record<string, unknown>)[this.source.meta.pk];
  }

  /**
   * Streams by a snapshot of keys (key-stream.ts): first the primary keys of the rows this query
   * selects (its filters, ordering, distinct, limit, offset and lock: the same rows in the same
   * order), then the instances `chunk` keys at a time by `pk IN (…)` alone, with everything that
   * shapes an instance (selectRelated, prefetchRelated, only/defer, annotations, using, lock). Not
   * by the filters: a row the loop changed so that it no longer matches is still visited, as
   * Django's `iterator()` on a server-side cursor reads a snapshot. Holds the keys and one chunk.
   */
  protected override streamByKeys(chunk: number): AsyncIterable<T["model"]> {
    return streamByKeys<T["model"]>(
      {
        keys: () => this.#keys(),
        load: (keys) => this.#byKeys(keys).load(),
        keyOf: (row) => this.keyOf(row),
      },
      chunk,
    );
  }

  /** The primary keys of the rows this query selects, in its order. */
  async #keys(): Promise<unknown[]> {
    this.throwIfFailed();
    this.#refuseGroups();
    const meta = this.source.meta;
    const pk = pkField(meta);
    const result = await runQuery(
      () => selectFor(meta, this.state, (scope) => [columnOf(scope.alias, pk)]),
      { bigints: pk.kind === "bigint" },
      this.lockedDriver(),
    );
    const keys = new Array<unknown>(result.rowCount);
    for (let i = 0; i < keys.length; i++) keys[i] = decodeCell(result.reader, 0, i, pk.kind);
    return keys;
  }

  /**
   * The instances with these keys, shaped as this query's: its filters, ordering, slice and
   * distinct are left to the keys query (`#keys`); its grouping stays, since an aggregate of the
   * row's own group (`groupBy("id")` with `Count()`) is one of its values.
   */
  #byKeys(keys: readonly unknown[]): QuerySet<T> {
    const meta = this.source.meta;
    return this.derive({
      where: [resolveWhere(meta, { [`${meta.pk}__in`]: keys })],
      ordering: [],
      limit: undefined,
      offset: undefined,
      distinct: false,
      distinctOn: [],
      // orderBy() expressions: nothing to order here.
      annotations: this.state.annotations.filter((a) => !a.hidden),
    });
  }

  /** Fields loaded by only() (pk first), in meta order; undefined when loading whole rows. */
  private onlyFields(): FieldMeta[] | undefined {
    const only = this.state.only;
    if (!only) return undefined;
    const meta = this.source.meta;
    return meta.fields.filter((f) => f.name === meta.pk || only.includes(f.name));
  }

  protected decodeRows(result: Result): T["model"][] {
    // Sized once: growing it by push() would leave a trail of discarded backing stores (about
    // 20 bytes a row of garbage on a 5 000-row fetch, bench/memory.ts).
    const rows = new Array<T["model"]>(result.rowCount);
    const { reader } = result;
    const { state } = this;
    const plain = state.annotations.every((a) => a.hidden);
    if (!state.only && state.related.length === 0 && plain) {
      // Whole rows and nothing else: the generated decoder alone.
      const decode = this.source.decode;
      for (let i = 0; i < rows.length; i++) rows[i] = decode(reader, i);
      return rows;
    }
    const only = this.onlyFields();
    const meta = this.source.meta;
    // Resolved once per result, not per row: only() columns (-1 when not loaded), related reads,
    // annotation kinds.
    const at = only ? meta.fields.map((f) => only.indexOf(f)) : [];
    const related = relatedReads(meta, this.state.related);
    const annotations = this.state.annotations
      .filter((a) => !a.hidden)
      .map((a) => [a.name, resultKind(meta, a.term)] as const);
    for (let i = 0; i < result.rowCount; i++) {
      const row = only
        ? rememberLoaded(
            meta,
            construct(
              this.source.model,
              meta.fields.map((f, k) =>
                at[k]! < 0 ? undefined : decodeCell(reader, at[k]!, i, f.kind),
              ),
            ),
          )
        : this.source.decode(reader, i);
      let c = only ? only.length : meta.fields.length;
      if (related.length > 0) c = attachRelated(row, related, reader, i, c);
      for (const [name, kind] of annotations)
        (row as unknown as Record<string, unknown>)[name] = decodeCell(reader, c++, i, kind);
      rows[i] = row;
    }
    return rows;
  }

  /** The one row matching (DoesNotExist / MultipleObjectsReturned otherwise); fetches at most 2 rows. */
  get(where: Q<T["where"]>): Promise<T["model"]>;
  get(where?: T["where"]): Promise<T["model"]>;
  get(where?: T["where"] | Q<T["where"]>): Promise<T["model"]>;
  async get(where?: T["where"] | Q<T["where"]>): Promise<T["model"]> {
    if (arguments.length > 1) throw this.tooMany("get()", arguments.length, 1, "condition");
    return this.exactlyOne(await this.getQuery(where).load());
  }

  /** Like get(), but null when no row matches. */
  getOrNone(where: Q<T["where"]>): Promise<T["model"] | null>;
  getOrNone(where?: T["where"]): Promise<T["model"] | null>;
  getOrNone(where?: T["where"] | Q<T["where"]>): Promise<T["model"] | null>;
  async getOrNone(where?: T["where"] | Q<T["where"]>): Promise<T["model"] | null> {
    if (arguments.length > 1) throw this.tooMany("getOrNone()", arguments.length, 1, "condition");
    const rows = await this.getQuery(where).load();
    if (rows.length > 1) throw new MultipleObjectsReturned(this.source.meta.name);
    return rows[0] ?? null;
  }

  /** The query get() runs: no default ordering, at most 2 rows. */
  private getQuery(where: T["where"] | Q<T["where"]> | undefined): QuerySet<T> {
    const query = where === undefined ? this : this.filter(where);
    return query.derive({
      ordering: this.state.ordering ?? [],
      limit: Math.min(2, this.state.limit ?? 2),
    });
  }

  /** @internal The SQL of `get(where)`, for the manager's per-shape cache. */
  getSql(where: T["where"] | Q<T["where"]>, dialect: Dialect): CompiledQuery {
    return this.getQuery(where).sql(dialect);
  }

  private exactlyOne(rows: readonly T["model"][]): T["model"] {
    if (rows.length === 0) throw new DoesNotExist(this.source.meta.name);
    if (rows.length > 1) throw new MultipleObjectsReturned(this.source.meta.name);
    return rows[0]!;
  }

  /**
   * Plain objects with the given field paths and annotations (every own field and annotation
   * when none are given); a last `{ alias: "path" }` argument adds values under other names
   * (Tortoise's `values(alias="path")`): `values("id", { authorName: "author__name" })`.
   */
  values<K extends ValueKey<T>>(...fields: K[]): ValuesQuerySet<T, ValuesOf<T, K>>;
  values<K extends ValueKey<T>, const A extends Readonly<Record<string, ValueKey<T>>>>(
    ...args: [...fields: K[], aliases: A]
  ): ValuesQuerySet<T, Flat<ValuesOf<T, K> & AliasedValues<T, A>>>;
  values(...args: ValuesArg[]): ValuesQuerySet<T, unknown> {
    const [state, entries] = this.entriesFor(args);
    return new ValuesQuerySet<T, unknown>(this.source, state, entries);
  }

  /** The value entries for `fields`, or no entries and the error in the state. */
  private entriesFor(fields: readonly ValuesArg[]): [QueryState, ValueEntry[]] {
    if (this.state.error) return [this.state, []];
    if (this.state.prefetch.length > 0)
      // Ignoring it would load nothing where the caller asked for something.
      return this.failed(
        new ValidationError(
          `${this.source.meta.name}: values() and valuesList() rows are plain objects, with nothing to prefetch onto; drop prefetchRelated(), or read related values by path (values("books__title"))`,
          this.source.meta.name,
          undefined,
        ),
      );
    try {
      return [this.state, valueEntries(this.source.meta, this.state, fields)];
    } catch (error) {
      if (error instanceof YaraError) return this.failed(error);
      throw error;
    }
  }

  private failed(error: YaraError): [QueryState, ValueEntry[]] {
    return [{ ...this.state, error: this.state.error ?? error }, []];
  }

  /**
   * Adds computed values to every row: `annotate({ books: Count("books") })`. Aggregates over a
   * to-many relation are correlated subqueries (one value per row); with `groupBy()` and
   * `values()` aggregates over own fields group rows. Annotation names work in `orderBy`,
   * `values` and `valuesList`.
   */
  annotate<A extends Record<string, ScopedExpression<T["where"]>>>(
    annotations: A,
  ): QuerySet<Annotated<T, A>> {
    const run = (): this => {
      plainObject(this.source.meta.name, "annotate()", annotations);
      const added = checkAnnotations(this.source.meta, this.source.model.prototype, annotations);
      const kept = this.state.annotations.filter((a) => !(a.name in annotations));
      return this.derive({ annotations: [...kept, ...added] });
    };
    return this.step(run) as unknown as QuerySet<Annotated<T, A>>;
  }

  /** GROUP BY these field paths (use with values()/valuesList() and aggregate annotations). */
  groupBy(...fields: FieldKey<T>[]): QuerySet<T> {
    return this.step(() => {
      for (const f of fields) resolvePath(this.source.meta, f, false);
      return this.derive({ groupBy: [...fields] });
    });
  }

  /** Tuples of the given field paths, or bare values with `{ flat: true }` and one field. */
  valuesList<K extends ValueKey<T>>(
    field: K,
    options: { flat: true },
  ): ValuesListQuerySet<T, ValueOf<T, K>>;
  valuesList<const K extends readonly ValueKey<T>[]>(
    ...fields: K
  ): ValuesListQuerySet<T, Tuple<T, K>>;
  valuesList(...args: unknown[]): ValuesListQuerySet<T, unknown> {
    const meta = this.source.meta;
    const last = args[args.length - 1];
    const options =
      typeof last === "object" && last !== null ? (last as { flat?: unknown }) : undefined;
    const fields = (options ? args.slice(0, -1) : args) as string[];
    const flat = options?.flat === true;
    const refuse = (why: string) =>
      this.failed(new ValidationError(`${meta.name}: valuesList() ${why}`, meta.name, undefined));
    const unknown = options ? Object.keys(options).find((k) => k !== "flat") : undefined;
    const [state, entries] =
      unknown !== undefined
        ? refuse(`has no option "${unknown}" (its one option is { flat: true })`)
        : options && typeof options.flat !== "boolean"
          ? refuse("option flat must be true or false")
          : fields.some((f) => typeof f !== "string")
            ? refuse("takes field paths and annotation names")
            : flat && fields.length !== 1
              ? refuse("with { flat: true } needs exactly one field")
              : this.entriesFor(fields);
    return new ValuesListQuerySet(this.source, state, entries, flat);
  }

  /** Instances with only these fields loaded (the primary key always is); the others read as undefined. */
  only(...fields: T["own"][]): QuerySet<T> {
    const meta = this.source.meta;
    return this.step(() => {
      const names = fields.map((f) => ownFieldName(meta, f, "only()"));
      return this.derive({ only: names });
    });
  }

  /**
   * Loads the named to-one relations (`"author"`, `"author__profile"`) in the same query with
   * LEFT JOINs, so `book.author` is readable without another round trip (null when the key is).
   */
  selectRelated(...relations: T["related"][]): QuerySet<T> {
    return this.step(() =>
      this.derive({ related: relatedPaths(this.source.meta, this.state.related, relations) }),
    );
  }

  /**
   * Loads the named relation paths (`"books"`, `"books__tags"`, `"author"`) of every row with one
   * extra query per level (two for a many-to-many level), keys bound as one array parameter:
   * to-one relations become readable instances, to-many ones `instance.books.loaded`. A
   * `Prefetch(path, { queryset, toAttr })` loads the last level through its query set.
   */
  prefetchRelated<const L extends readonly (T["prefetch"] | PrefetchLookup<T["prefetch"]>)[]>(
    ...relations: L
  ): Prefetched<T, L> {
    return this.step(() => {
      checkPrefetch(this.source.meta, relations);
      const added = relations.filter((r) => !this.state.prefetch.includes(r));
      return this.derive({ prefetch: [...this.state.prefetch, ...added] });
    }) as unknown as Prefetched<T, L>;
  }

  /**
   * Instances without these fields: the query does not read them and the instance type does not
   * have them (a compile error to read one; at run time one reads `undefined`, as with only()).
   * A to-one relation name stands for its key field. The primary key is always loaded.
   */
  defer<K extends T["own"]>(...fields: K[]): QuerySet<Deferred<T, K>> {
    const meta = this.source.meta;
    return this.step(() => {
      const names = fields.map((f) => ownFieldName(meta, f, "defer()"));
      if (names.includes(meta.pk))
        throw new ValidationError(
          `${meta.name}: defer() cannot leave out the primary key "${meta.pk}" (it is always loaded)`,
          meta.name,
          meta.pk,
        );
      const loaded = this.state.only ?? meta.fields.map((f) => f.name);
      return this.derive({ only: loaded.filter((n) => !names.includes(n)) });
    }) as unknown as QuerySet<Deferred<T, K>>;
  }

  protected override async load(): Promise<T["model"][]> {
    const rows = await super.load();
    const using = this.state.using;
    // Rows read from a named connection belong to it, and so do the rows joined to them.
    if (using !== undefined) belongToConnection(rows, this.state.related, using);
    for (const path of this.state.prefetch) await prefetchPath(this.source.meta, rows, path, using);
    return rows;
  }

  /**
   * Locks the selected rows until the transaction ends (`FOR UPDATE OF`, optionally SKIP
   * LOCKED / NOWAIT). Postgres and MariaDB; on SQLite it is a no-op, since SQLite locks the
   * whole database for the writing transaction. Reading such a query outside a transaction is a
   * TransactionError on every database (lockedDriver).
   */
  selectForUpdate(options: { skipLocked?: boolean; nowait?: boolean } = {}): QuerySet<T> {
    return this.step(() => {
      const meta = this.source.meta;
      checkOptions(meta.name, "selectForUpdate()", options, ["skipLocked", "nowait"]);
      if (options.skipLocked === true && options.nowait === true)
        throw new ValidationError(
          `${meta.name}: selectForUpdate() takes skipLocked or nowait, not both`,
          meta.name,
          undefined,
        );
      return this.derive({
        lock: { skipLocked: options.skipLocked === true, nowait: options.nowait === true },
      });
    });
  }

  /**
   * Sets fields on every matching row (values or F expressions); resolves to the number of rows.
   * Fires no per-row hooks; a `queryUpdate` hook sees it (model/hooks.ts).
   */
  async update(data: UpdateData<T>): Promise<number> {
    if (arguments.length > 1) throw this.tooMany("update()", arguments.length, 1, "connection");
    this.throwIfFailed();
    const meta = this.source.meta;
    plainObject(meta.name, "update() data", data);
    for (const key of Object.keys(data)) writableField(meta, key);
    const schema = this.source.updateSchema;
    if (schema) checkSchema(meta.name, schema, data);
    if (!Object.values(data).some((v) => v !== undefined)) return 0;
    const run = (): Promise<number> =>
      runExecute(() => {
        const node = buildUpdate(meta, this.state, data);
        if (!node)
          throw new ValidationError(
            `${meta.name}: update() needs at least one field`,
            meta.name,
            undefined,
          );
        return node;
      }, this.driver(true));
    const hooks = this.source.hooks;
    if (!hooks?.has("queryUpdate")) return run();
    return inTransaction(
      async () => {
        const count = await run();
        await hooks.emit("queryUpdate", { query: this, data, count });
        return count;
      },
      { using: writeConnection(this.source.meta, this.state.using) },
    );
  }

  /**
   * Deletes every matching row; resolves to the number of rows. Fires no per-row hooks; a
   * `queryDelete` hook sees it (model/hooks.ts).
   */
  async delete(): Promise<number> {
    if (arguments.length > 0) throw this.tooMany("delete()", arguments.length, 0, "noCondition");
    this.throwIfFailed();
    const run = (): Promise<number> =>
      runExecute(() => buildDelete(this.source.meta, this.state), this.driver(true));
    const hooks = this.source.hooks;
    if (!hooks?.has("queryDelete")) return run();
    return inTransaction(
      async () => {
        const count = await run();
        await hooks.emit("queryDelete", { query: this, count });
        return count;
      },
      { using: writeConnection(this.source.meta, this.state.using) },
    );
  }

  /**
   * Map from primary key to instance for `ids`, or from the unique `field` to instance for
   * `values` (Django's `in_bulk(field_name=…)`); one array parameter, whatever the count. A
   * field that is not unique is a ValidationError (two rows could share a key). The map's keys
   * are the given values that name a row, as given and in their order, each matched as the
   * database compares it (model/key-identity.ts): `get(5n)` after `inBulk([5n])` finds the row
   * read back as 5, an upper-case UUID the row read back in lower case; a row given in two
   * spellings is under both.
   */
  inBulk<K extends UniqueKey<T>>(
    values: readonly NonNullable<T["fields"][K]>[],
    options: { readonly field: K },
  ): Promise<Map<NonNullable<T["fields"][K]>, T["model"]>>;
  inBulk(ids: readonly T["pk"][]): Promise<Map<T["pk"], T["model"]>>;
  async inBulk(
    values: readonly unknown[],
    options?: { readonly field?: string },
  ): Promise<Map<unknown, T["model"]>> {
    this.throwIfFailed();
    const meta = this.source.meta;
    checkOptions(meta.name, "inBulk()", options, ["field"]);
    const name =
      options?.field === undefined ? meta.pk : ownFieldName(meta, options.field, "inBulk()");
    const field = meta.fields.find((f) => f.name === name)!;
    const single = meta.uniqueTogether.some((u) => u.length === 1 && u[0] === field.name);
    if (field.name !== meta.pk && !field.unique && !single)
      throw new ValidationError(
        `${meta.name}: inBulk() field must be unique, and ${field.name} is not`,
        meta.name,
        field.name,
      );
    if (!Array.isArray(values))
      throw new ValidationError(
        `${meta.name}: inBulk() expects an array of values`,
        meta.name,
        field.name,
      );
    const map = new Map<unknown, T["model"]>();
    if (values.length === 0) return map;
    const rows = await this.filter({ [`${field.name}__in`]: values } as T["where"]).orderBy();
    // Keyed by the values given, not as read back: 5 and 5n, or a UUID in upper and in lower
    // case, name one row, which the caller looks up as it spelled it.
    const match = keyMatch(meta.name, field);
    const byKey = new Map<unknown, T["model"]>();
    for (const row of rows)
      byKey.set(match((row as unknown as Record<string, unknown>)[name]), row);
    for (const value of values) {
      const row = byKey.get(match(value));
      if (row !== undefined) map.set(value, row);
    }
    return map;
  }
}
