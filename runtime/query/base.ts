/**
 * What QuerySet, ValuesQuerySet and ValuesListQuerySet share: immutable chaining (every method
 * returns a new object), filtering, ordering, slicing, counting, `await` and `for await`.
 * Subclasses say which columns they select and how a result becomes rows.
 */
import { dialectNamed } from "../dialect/registry.js";
import { call } from "../ast/function.js";
import { literal } from "../ast/literal.js";
import type { ExpressionNode } from "../ast/node.js";
import { select, type SelectNode } from "../ast/select.js";
import type { CompiledQuery } from "../compiler/compiler.js";
import { DoesNotExist, TransactionError, ValidationError, YaraError } from "../errors.js";
import { type Instead, tooManyArguments } from "../argument-count.js";
import { inTransactionOn } from "../transaction.js";
import type { Result, RowReader } from "../driver/driver.js";
import type { Dialect, DialectName } from "../dialect/dialect.js";
import { UnregisteredValidator } from "../model/custom-validators.js";
import type { ModelMeta } from "../model/meta.js";
import type { ModelTypes } from "../model/types.js";
import type { ModelConstructor } from "../registry.js";
import { driverFor } from "../connection/routers.js";
import type { Driver } from "../driver/driver.js";
import type { FieldKind } from "../model/meta.js";
import { firstColumnOf, namedApart } from "./derived-table.js";
import { NestedAliases } from "./nested-aliases.js";
import { columnOf, Scope } from "./scope.js";
import { explainPlan } from "./explain.js";
import { pkField, resolvePath } from "./path.js";
import type { Q } from "./q.js";
import { runCompiled, runQuery } from "./run.js";
import {
  checkCount,
  checkLock,
  effectiveOrdering,
  patchState,
  type QueryState,
  selectFor,
  type SelectOptions,
} from "./state.js";
import { type Cond, isEmpty, resolveWhere } from "./where.js";
import { checkAnnotations } from "./expressions.js";
import { Expression } from "./f.js";
import { OrderBy, orderName } from "./order-by.js";

/** An expression whose conditions (a Case's) are checked against filter type `W`. */
export type ScopedExpression<W> = Expression<unknown> & { readonly __where?: W };

/** A zod-like schema: only `safeParse` is used. */
export interface SchemaLike {
  safeParse(data: unknown):
    | { success: true }
    | {
        success: false;
        error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
      };
}

/** Runs a zod-like schema; the first issue becomes a ValidationError naming its field. */
export function checkSchema(model: string, schema: SchemaLike, data: unknown): void {
  let result: ReturnType<SchemaLike["safeParse"]>;
  try {
    result = schema.safeParse(data);
  } catch (err) {
    // zod recurses: a JSON value nested thousands of levels deep overflows the stack.
    if (err instanceof RangeError) {
      throw new ValidationError(`${model}: input nested too deeply to validate`, model, undefined);
    }
    // A custom validator the schema names was never registered (runtime/types/inputs.ts).
    if (err instanceof UnregisteredValidator) throw err.error(model);
    throw err;
  }
  if (result.success) return;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? String(issue.path[0]) : undefined;
  const why = issue?.message ?? "invalid input";
  throw new ValidationError(`${model}${field ? `.${field}` : ""}: ${why}`, model, field);
}

/** What a query set calls of its model's signals (ModelHooks, model/hooks.ts, provides it). */
export interface QueryHooks {
  has(...events: ("queryUpdate" | "queryDelete")[]): boolean;
  emit(event: "queryUpdate" | "queryDelete", ...args: unknown[]): Promise<void>;
}

/** What a query needs to know about its model (the ModelManager provides it). */
export interface ModelSource<T extends ModelTypes> {
  readonly meta: ModelMeta;
  readonly model: ModelConstructor<T["model"]>;
  /** The generated column list of the plain select, in decoder order. */
  readonly columnsSql: string;
  readonly decode: (r: RowReader, i: number, c?: number) => T["model"];
  /** Whether the model has a bigint field. */
  readonly bigints: boolean;
  readonly updateSchema: SchemaLike | undefined;
  /** The model's signals, once something subscribed (model/hooks.ts). */
  readonly hooks?: QueryHooks | undefined;
}

/** A field path usable in orderBy/values/only. */
export type FieldKey<T extends ModelTypes> = keyof T["fields"] & string;
/** `"field"` or `"-field"`. */
export type OrderKey<T extends ModelTypes> = FieldKey<T> | `-${FieldKey<T>}`;

const CHUNK = 1000;

export abstract class BaseQuery<T extends ModelTypes, R>
  implements PromiseLike<R[]>, AsyncIterable<R>
{
  constructor(
    readonly source: ModelSource<T>,
    readonly state: QueryState,
  ) {}

  protected abstract columns(scope: Scope): readonly ExpressionNode[];
  protected abstract decodeRows(result: Result): R[];
  protected abstract get bigints(): boolean;
  /** The primary key of a row, when rows carry it (enables keyset streaming). */
  protected keyOf(_row: R): unknown {
    return undefined;
  }

  protected derive(patch: Partial<QueryState>): this {
    return this.withState(patchState(this.state, patch));
  }

  /** This query over `state` instead (a frozen copy; QuerySet constructs one directly). */
  protected withState(state: QueryState): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this, { state });
    return Object.freeze(copy);
  }

  /**
   * Runs a builder step; a YaraError it throws is kept in the state and thrown when the query
   * is compiled or run, so building never throws and `await` always rejects instead.
   */
  protected step(fn: () => this): this {
    if (this.state.error) return this;
    try {
      return fn();
    } catch (error) {
      if (error instanceof YaraError) return this.derive({ error });
      throw error;
    }
  }

  /**
   * This query on the named connection `name` (`YaraOrm.init({ connections })`), whatever the
   * routers and the model's schema `connection` say; an unknown name rejects when run.
   */
  using(name: string): this {
    return this.step(() => {
      if (typeof name !== "string" || name.length === 0)
        throw new ValidationError(
          `${this.source.meta.name}: using() expects a connection name`,
          this.source.meta.name,
          undefined,
        );
      return this.derive({ using: name });
    });
  }

  /** The connection this query's statement runs on (routers.ts); `write` for UPDATE/DELETE. */
  protected driver(write = false): Driver {
    return driverFor({
      meta: this.source.meta,
      write,
      using: this.state.using,
      forUpdate: this.state.lock !== undefined,
    });
  }

  /** The error for arguments the method does not take (argument-count.ts). */
  protected tooMany(method: string, given: number, most: number, instead: Instead): YaraError {
    return tooManyArguments(this.source.meta.name, method, given, most, instead);
  }

  /** Throws the error a builder step recorded, if any. */
  protected throwIfFailed(): void {
    if (this.state.error) throw this.state.error;
  }

  protected withCondition(cond: Cond): this {
    return this.derive({ where: [...this.state.where, cond] });
  }

  /**
   * Rows matching `where` (a filter object or a Q) as well. Overloads, Q first, rather than one
   * union parameter: an object literal is then checked against the filter type alone, and the
   * editor offers the model's keys inside `filter({ })` with no Q member among them.
   */
  filter(where: Q<T["where"]>): this;
  filter(where: T["where"]): this;
  filter(where: T["where"] | Q<T["where"]>): this;
  filter(where: T["where"] | Q<T["where"]>): this {
    const given = arguments.length;
    return this.step(() => {
      if (given > 1) throw this.tooMany("filter()", given, 1, "condition");
      const cond = resolveWhere(this.source.meta, where, this.state.annotations);
      return isEmpty(cond) ? this : this.withCondition(cond);
    });
  }

  /** Rows NOT matching `where` (rows where it is NULL count as not matching, so they stay). */
  exclude(where: Q<T["where"]>): this;
  exclude(where: T["where"]): this;
  exclude(where: T["where"] | Q<T["where"]>): this;
  exclude(where: T["where"] | Q<T["where"]>): this {
    const given = arguments.length;
    return this.step(() => {
      if (given > 1) throw this.tooMany("exclude()", given, 1, "condition");
      const cond = resolveWhere(this.source.meta, where, this.state.annotations);
      return isEmpty(cond) ? this : this.withCondition({ kind: "not", item: cond });
    });
  }

  /**
   * Replaces the ordering; `"-field"` is descending; paths may go through to-one relations;
   * an expression orders by its value (`Case(…)`, `Lower("name").desc()`).
   */
  orderBy(...fields: (OrderKey<T> | ScopedExpression<T["where"]> | OrderBy<T["where"]>)[]): this {
    return this.step(() => {
      const annotations = this.state.annotations.filter((a) => !a.hidden);
      const ordering: string[] = [];
      for (const f of fields) {
        if (f instanceof Expression || f instanceof OrderBy) {
          const expression = f instanceof OrderBy ? f.expression : f;
          const name = orderName(annotations.length);
          const [checked] = checkAnnotations(this.source.meta, Object.prototype, {
            [name]: expression,
          });
          annotations.push({ ...checked!, hidden: true });
          ordering.push(f instanceof OrderBy && f.descending ? `-${name}` : name);
          continue;
        }
        const name = typeof f === "string" && f.startsWith("-") ? f.slice(1) : f;
        if (!annotations.some((a) => a.name === name)) {
          resolvePath(this.source.meta, name, false);
        }
        ordering.push(f);
      }
      return this.derive({ ordering, annotations });
    });
  }

  limit(n: number): this {
    return this.step(() => this.derive({ limit: checkCount(this.source.meta, "limit", n) }));
  }

  offset(n: number): this {
    return this.step(() => this.derive({ offset: checkCount(this.source.meta, "offset", n) }));
  }

  /**
   * Distinct rows; with field paths, one row per distinct value of those paths (Postgres
   * `DISTINCT ON`, ordered by them first: distinct-on.ts), a NotSupportedError on SQLite.
   */
  distinct(...fields: FieldKey<T>[]): this {
    return this.step(() => {
      for (const f of fields)
        if (!this.state.annotations.some((a) => a.name === f))
          resolvePath(this.source.meta, f, false);
      return this.derive({ distinct: true, distinctOn: [...new Set(fields)] });
    });
  }

  /** The SELECT this query would send, without running it (for the current connection's dialect by default). */
  sql(dialect: Dialect | DialectName = this.driver().dialect): CompiledQuery {
    const to = typeof dialect === "string" ? dialectNamed(dialect) : dialect;
    return to.compiler.compile(this.selectNode());
  }

  /** The SELECT's AST: the same for every dialect, which renders it when compiling. */
  protected selectNode(options?: SelectOptions): SelectNode {
    return selectFor(this.source.meta, this.state, (scope) => this.columns(scope), options);
  }

  /**
   * @internal This query nested in a statement whose FROM level is `outer`: as a value
   * (`Subquery`: its one column, the first row in its ordering), as a list (`field__in`: its
   * one column) or as a test (`Exists`). A query of instances stands for its primary key.
   *
   * Unsliced, its ordering cannot change which rows there are and is left out (as Django
   * clears it), the model's `ordering` too, which a distinct query would otherwise select
   * beside its one value; `distinct(fields)` keeps it, since it picks each group's row.
   * DISTINCT is left out where it cannot change the answer: the first row (a slice of one row
   * at most), or whether there is a row (`Exists`, unless past an offset). A distinct query
   * still selecting its ordering beside its value (an `orderBy` on something not selected),
   * and an `Exists` of distinct rows past an offset (SQLite and MariaDB drop DISTINCT inside
   * EXISTS), are read through a derived table (derived-table.ts), as Django wraps them.
   */
  subqueryNode(outer: Scope, purpose: "value" | "in" | "exists"): SelectNode {
    this.throwIfFailed();
    const meta = this.source.meta;
    const query =
      purpose === "value" && this.state.limit === undefined ? this.derive({ limit: 1 }) : this;
    const aliases = new NestedAliases(outer);
    const scope = new Scope(meta, aliases.next(), aliases);
    const { distinct, distinctOn, limit, offset } = query.state;
    const sliced = limit !== undefined || offset !== undefined;
    const picked = distinct && distinctOn.length > 0;
    const past = offset !== undefined && offset > 0;
    // Whether DISTINCT can change the answer: which rows there are past an offset (Exists),
    // which values there are beyond the first (a value or a list).
    const matters = purpose === "exists" ? past : past || limit === undefined || limit > 1;
    const state: QueryState = {
      ...query.state,
      lock: undefined,
      ordering: sliced || picked ? query.state.ordering : [],
      distinct: picked || (distinct && matters),
    };
    const options = { ordered: sliced || picked, sliced: true, scope };
    if (purpose === "exists") {
      if (state.distinct && !picked)
        return firstColumnOf(
          selectFor(meta, state, (s) => query.rowColumns(s), options),
          query.subqueryKind(),
        );
      const node = selectFor(meta, state, () => [literal(1)], options);
      return select({ ...node, columns: [literal(1)] });
    }
    const node = selectFor(meta, state, (s) => [query.oneColumn(s)], options);
    return node.columns.length > 1 ? firstColumnOf(node, query.subqueryKind()) : node;
  }

  /** @internal The kind of the one value subqueryNode() selects. */
  subqueryKind(): FieldKind {
    return pkField(this.source.meta).kind;
  }

  /** The one column a nested query selects (the primary key; values queries: their one value). */
  protected oneColumn(scope: Scope): ExpressionNode {
    return columnOf(scope.alias, pkField(this.source.meta));
  }

  /**
   * The columns that tell a nested query's distinct rows apart (the primary key; values
   * queries: their values), where `Exists` tests them past an offset.
   */
  protected rowColumns(scope: Scope): readonly ExpressionNode[] {
    return [this.oneColumn(scope)];
  }

  /** The SELECT that loading rows sends, compiled for `dialect`. */
  protected compileSelect(dialect: Dialect): CompiledQuery {
    return dialect.compiler.compile(this.selectNode());
  }

  /**
   * The database's plan for the SELECT that loading rows sends, as one string: Postgres'
   * `EXPLAIN`, SQLite's `EXPLAIN QUERY PLAN` drawn as a tree (explain.ts). Prefetch queries are
   * not part of it.
   */
  async explain(): Promise<string> {
    this.throwIfFailed();
    return explainPlan((d) => this.compileSelect(d), this.driver());
  }

  protected async load(): Promise<R[]> {
    this.throwIfFailed();
    const driver = this.lockedDriver();
    const result = await runCompiled(
      (d) => this.compileSelect(d),
      { bigints: this.bigints },
      driver,
    );
    return this.decodeRows(result);
  }

  /**
   * The connection rows are read from; with selectForUpdate(), a ValidationError when the rows
   * are not table rows (checkLock), else a TransactionError unless it is a transaction's:
   * outside one the lock would end with the statement and protect nothing (as Django refuses
   * select_for_update outside a transaction), on every database alike.
   */
  protected lockedDriver(): Driver {
    // A lock the query's rows cannot take is refused first, in or out of a transaction.
    checkLock(this.source.meta, this.state);
    const driver = this.driver();
    if (this.state.lock !== undefined && !inTransactionOn(driver)) {
      const name = this.source.meta.name;
      throw new TransactionError(
        `${name}: selectForUpdate() locks rows until the transaction ends, and this query runs ` +
          "outside any transaction (the lock would end with the statement): run it inside inTransaction(…)",
      );
    }
    return driver;
  }

  then<A = R[], B = never>(
    onfulfilled?: ((rows: R[]) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.load().then(onfulfilled, onrejected);
  }

  /** The first row under the ordering (the model's, else the primary key), or null. */
  async first(): Promise<R | null> {
    if (arguments.length > 0) throw this.tooMany("first()", arguments.length, 0, "noCondition");
    const ordering = effectiveOrdering(this.source.meta, this.state);
    const query = ordering.length > 0 ? this : this.derive({ ordering: [this.source.meta.pk] });
    // A limit already set still applies: limit(0).first() is null, as qs[:0][:1] in Django.
    const rows = await query.derive({ limit: Math.min(1, this.state.limit ?? 1) }).load();
    return rows[0] ?? null;
  }

  /**
   * The last row under the ordering, or null: the ordering reversed (the model's when none is
   * set), else by the primary key descending. A sliced query cannot be reversed (as in Django).
   */
  async last(): Promise<R | null> {
    if (arguments.length > 0) throw this.tooMany("last()", arguments.length, 0, "noCondition");
    this.throwIfFailed();
    this.#refuseSliced("last()");
    const ordering = effectiveOrdering(this.source.meta, this.state);
    const reversed =
      ordering.length > 0
        ? ordering.map((f) => (f.startsWith("-") ? f.slice(1) : `-${f}`))
        : [`-${this.source.meta.pk}`];
    const rows = await this.derive({ ordering: reversed, limit: 1 }).load();
    return rows[0] ?? null;
  }

  /** The first row ordered by `fields` (Django's `earliest`); DoesNotExist when there is none. */
  earliest(...fields: OrderKey<T>[]): Promise<R> {
    return this.#edge("earliest", fields, false);
  }

  /** The first row ordered by `fields` descending (Django's `latest`); DoesNotExist when there is none. */
  latest(...fields: OrderKey<T>[]): Promise<R> {
    return this.#edge("latest", fields, true);
  }

  async #edge(what: string, fields: readonly string[], reverse: boolean): Promise<R> {
    this.throwIfFailed();
    const meta = this.source.meta;
    if (fields.length === 0)
      throw new ValidationError(
        `${meta.name}: ${what}() needs at least one field to order by`,
        meta.name,
        undefined,
      );
    this.#refuseSliced(`${what}()`);
    const ordering = reverse
      ? fields.map((f) => (f.startsWith("-") ? f.slice(1) : `-${f}`))
      : [...fields];
    const rows = await this.orderBy(...(ordering as OrderKey<T>[]))
      .derive({ limit: 1 })
      .load();
    if (rows.length === 0) throw new DoesNotExist(meta.name);
    return rows[0]!;
  }

  #refuseSliced(what: string): void {
    if (this.state.limit !== undefined || this.state.offset !== undefined)
      throw new ValidationError(
        `${this.source.meta.name}: ${what} cannot follow limit() or offset()`,
        this.source.meta.name,
        undefined,
      );
  }

  async count(): Promise<number> {
    if (arguments.length > 0) throw this.tooMany("count()", arguments.length, 0, "noCondition");
    this.throwIfFailed();
    const { state } = this;
    const wrap =
      state.distinct ||
      state.groupBy.length > 0 ||
      state.limit !== undefined ||
      state.offset !== undefined;
    const result = await runQuery(
      () => {
        if (!wrap)
          return select({
            ...this.selectNode({ ordered: false, sliced: false }),
            columns: [call("count")],
          });
        // Counted without the lock (as exists()): the count of a distinct or grouped query
        // works where its rows could not be locked (checkLock).
        const inner = this.derive({ lock: undefined }).selectNode({
          ordered: false,
          sliced: true,
        });
        return select({
          columns: [call("count")],
          from: { query: namedApart(inner), alias: "sub" },
        });
      },
      undefined,
      this.driver(),
    );
    return result.reader.int(0, 0);
  }

  async exists(): Promise<boolean> {
    if (arguments.length > 0) throw this.tooMany("exists()", arguments.length, 0, "noCondition");
    this.throwIfFailed();
    const result = await runQuery(
      () => {
        const limit = Math.min(1, this.state.limit ?? 1);
        const node = this.derive({ limit, lock: undefined }).selectNode({
          ordered: false,
          sliced: true,
        });
        // Past an offset, how many distinct rows there are decides: they are read as they are.
        const distinct = this.state.distinct && this.state.distinctOn.length === 0;
        if (distinct && (this.state.offset ?? 0) > 0) return node;
        return select({ ...node, columns: [literal(1)], distinct: false });
      },
      undefined,
      this.driver(),
    );
    return result.rowCount > 0;
  }

  /** A total order for streaming: the query's ordering, then the primary key. */
  protected streamOrdering(): string[] {
    const meta = this.source.meta;
    const ordering = [...effectiveOrdering(meta, this.state)];
    const pkTerms = new Set([meta.pk, `-${meta.pk}`, "pk", "-pk"]);
    return ordering.some((o) => pkTerms.has(o)) ? ordering : [...ordering, meta.pk];
  }

  /**
   * The rows of `this` (the query under its stream ordering), `chunk` at a time, when they
   * cannot be paged by keyset: a QuerySet reads its keys first (key-stream.ts). Undefined here:
   * values() and valuesList() rows need not carry their key (they may not select it, a to-many
   * path repeats it, distinct or grouped rows have none), so they page by offset.
   */
  protected streamByKeys(_chunk: number): AsyncIterable<R> | undefined {
    return undefined;
  }

  /**
   * Streams rows in chunks of 1000. A QuerySet ordered by the primary key alone pages by keyset
   * (`pk > last`), holding one chunk. Otherwise it reads the keys of every row first (one query
   * with the filters, ordering, distinct, limit and offset) and then the instances 1000 keys at a
   * time (`pk IN (…)`, in the keys' order), holding the keys and one chunk: writes in the loop
   * cannot make it skip or repeat a row; each row that matched when the stream started is
   * visited once, with its values when its chunk is read, rows inserted meanwhile are not, rows
   * deleted before their chunk is read are skipped. values() and valuesList() rows page by
   * offset (they need not carry the key), so writes to the table during the loop may make them
   * skip or repeat rows.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    const meta = this.source.meta;
    const ordering = this.streamOrdering();
    const byPk = new Set([meta.pk, `-${meta.pk}`, "pk", "-pk"]).has(ordering[0] ?? "");
    let keyset =
      byPk &&
      ordering.length === 1 &&
      this.state.offset === undefined &&
      this.state.lock === undefined &&
      this.state.distinctOn.length === 0;
    const descending = ordering[0]?.startsWith("-") === true;
    let remaining = this.state.limit ?? Infinity;
    let offset = this.state.offset ?? 0;
    let query = this.derive({ ordering });
    const byKeys = keyset ? undefined : query.streamByKeys(CHUNK);
    if (byKeys !== undefined) {
      yield* byKeys;
      return;
    }
    for (;;) {
      const size = Math.min(CHUNK, remaining);
      if (size <= 0) return;
      const rows = await query.derive({ limit: size, offset: keyset ? undefined : offset }).load();
      yield* rows;
      if (rows.length < size) return;
      remaining -= rows.length;
      offset += rows.length;
      const last = keyset ? this.keyOf(rows[rows.length - 1]!) : undefined;
      if (last === undefined) keyset = false;
      else
        query = this.derive({ ordering }).withCondition(
          resolveWhere(meta, { [`${meta.pk}__${descending ? "lt" : "gt"}`]: last }),
        );
    }
  }
}
