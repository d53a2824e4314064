/** The immutable description of a QuerySet, and the SELECT it becomes (one AST for every dialect). */
import { isDeepStrictEqual } from "node:util";
import type { ExpressionNode } from "../ast/node.js";
import { select, type SelectNode } from "../ast/select.js";
import { ValidationError, YaraError } from "../errors.js";
import type { ModelMeta } from "../model/meta.js";
import { orderTerms, whereOf } from "./build.js";
import type { ParamSlots } from "./param-slots.js";
import { Aliases, Scope } from "./scope.js";
import type { ExpressionTerm } from "./f.js";
import { resolvePath } from "./path.js";
import { isGroupAggregate } from "./expressions.js";
import { distinctOnAsked, distinctOnOrdering } from "./distinct-on.js";
import type { Cond, Leaf } from "./where.js";
import type { PrefetchItem } from "./prefetch.js";
import { condsKey } from "./cond-key.js";

/** Whether `cond` tests an aggregate of the query's own rows, so it goes in HAVING. */
export function onGroupAggregate(meta: ModelMeta, cond: Cond): boolean {
  switch (cond.kind) {
    case "leaf":
      return cond.annotation !== undefined && isGroupAggregate(meta, cond.annotation.term);
    case "not":
      return onGroupAggregate(meta, cond.item);
    default:
      return cond.items.some((c) => onGroupAggregate(meta, c));
  }
}

/**
 * A condition on an aggregate is tested per group (HAVING), where each group has one value only
 * of its aggregates and of what it is grouped by. Anything else beside an aggregate in one
 * condition (`Q.or({ n__gt: 5 }, { title: "t1" })`) is refused: SQLite would test an arbitrary
 * row of each group, Postgres and MariaDB refuse it in their own words.
 */
function checkHaving(meta: ModelMeta, state: QueryState, cond: Cond): void {
  const stray = ungroupedLeaf(meta, cond, state.groupBy);
  if (stray === undefined) return;
  const name = stray.annotation?.name ?? stray.path.key;
  throw new ValidationError(
    `${meta.name}: "${name}" is tested in one condition with an aggregate, but the rows are ` +
      `groups and "${name}" is neither an aggregate nor grouped by; filter on it in a condition ` +
      "of its own (applied to the rows before grouping) or group by it",
    meta.name,
    name,
  );
}

/** A leaf of `cond` on neither an aggregate nor something `groupBy` names. */
function ungroupedLeaf(meta: ModelMeta, cond: Cond, groupBy: readonly string[]): Leaf | undefined {
  switch (cond.kind) {
    case "leaf": {
      const annotation = cond.annotation;
      if (annotation !== undefined)
        return isGroupAggregate(meta, annotation.term) || groupBy.includes(annotation.name)
          ? undefined
          : cond;
      const key = cond.path.key;
      return groupBy.some((g) => g === key || resolvePath(meta, g, false).key === key)
        ? undefined
        : cond;
    }
    case "not":
      return ungroupedLeaf(meta, cond.item, groupBy);
    default:
      for (const item of cond.items) {
        const stray = ungroupedLeaf(meta, item, groupBy);
        if (stray !== undefined) return stray;
      }
      return undefined;
  }
}

/** An `annotate({ name: expression })` entry. */
export interface Annotation {
  readonly name: string;
  readonly term: ExpressionTerm;
  /** An expression of orderBy() (order-by.ts): ordered by, never selected. */
  readonly hidden?: boolean;
}

/**
 * How a QueryState field enters the shape key of the per-shape SQL cache (shape-key.ts):
 * - `key`: written into the key; states whose keys differ here compile to different SQL.
 * - `slots`: its structure is written into the key and its values are bound by slot
 *   (param-slots.ts); `write` gives undefined when the key cannot describe it (compiled every time).
 * - `uncached`: a state whose value is not the initial one has no key (compiled every time).
 * - `excluded`: it never changes the text of the SELECT.
 */
export type ShapeRole<V> =
  | { readonly in: "key"; readonly write: (value: V) => string }
  | { readonly in: "slots"; readonly write: (value: V) => string | undefined }
  | { readonly in: "uncached"; readonly why: string }
  | { readonly in: "excluded"; readonly why: string };

/** One field of QueryState: its value in a new query, its part in the shape key, its equality. */
export interface StateField<V> {
  readonly initial: V;
  readonly shape: ShapeRole<V>;
  readonly equal: (a: V, b: V) => boolean;
}

const field = <V>(spec: StateField<V>): StateField<V> => spec;

const sameList = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);
const sameOptionalList = (
  a: readonly unknown[] | undefined,
  b: readonly unknown[] | undefined,
): boolean => (a === undefined || b === undefined ? a === b : sameList(a, b));
const list = (names: readonly string[]): string => names.join(",");
const optionalList = (names: readonly string[] | undefined): string =>
  names === undefined ? "*" : names.join(",");

/**
 * The fields of QueryState, listed once: the type, the empty state, the shape key and
 * `sameState` are all derived from this table, so a new field cannot be left out of one.
 */
export const STATE_FIELDS = {
  /** ANDed conditions, one per filter()/exclude() call. */
  where: field<readonly Cond[]>({
    initial: [],
    shape: { in: "slots", write: condsKey },
    equal: isDeepStrictEqual,
  }),
  /** Explicit orderBy(); undefined means the model's `ordering`. */
  ordering: field<readonly string[] | undefined>({
    initial: undefined,
    shape: { in: "key", write: optionalList },
    equal: sameOptionalList,
  }),
  /** LIMIT, in the key as a number (the compiler binds it as a fixed parameter). */
  limit: field<number | undefined>({
    initial: undefined,
    shape: { in: "key", write: (n) => `${n ?? ""}` },
    equal: Object.is,
  }),
  /** OFFSET, in the key as a number like LIMIT. */
  offset: field<number | undefined>({
    initial: undefined,
    shape: { in: "key", write: (n) => `${n ?? ""}` },
    equal: Object.is,
  }),
  distinct: field<boolean>({
    initial: false,
    shape: { in: "key", write: (d) => (d ? "1" : "0") },
    equal: Object.is,
  }),
  /** distinct("field", …): the paths of `DISTINCT ON` (Postgres); `distinct` is true with them. */
  distinctOn: field<readonly string[]>({
    initial: [],
    shape: { in: "key", write: list },
    equal: sameList,
  }),
  /** selectForUpdate(). */
  lock: field<{ readonly skipLocked: boolean; readonly nowait: boolean } | undefined>({
    initial: undefined,
    shape: {
      in: "key",
      write: (lock) => (lock ? `${lock.skipLocked ? 1 : 0}${lock.nowait ? 1 : 0}` : ""),
    },
    equal: (a, b) =>
      a === undefined || b === undefined
        ? a === b
        : a.skipLocked === b.skipLocked && a.nowait === b.nowait,
  }),
  /** only(): field names to load (pk always included). */
  only: field<readonly string[] | undefined>({
    initial: undefined,
    shape: { in: "key", write: optionalList },
    equal: sameOptionalList,
  }),
  /** selectRelated(): to-one relation paths loaded by JOIN, parents before children. */
  related: field<readonly string[]>({
    initial: [],
    shape: { in: "key", write: list },
    equal: sameList,
  }),
  /** prefetchRelated(): relations (paths or Prefetch()) loaded by one extra query each after the rows. */
  prefetch: field<readonly PrefetchItem[]>({
    initial: [],
    shape: {
      in: "excluded",
      why: "loaded by queries of their own after the rows (prefetch.ts); never part of this SELECT",
    },
    equal: isDeepStrictEqual,
  }),
  /** annotate(): extra selected expressions, decoded onto rows under their names. */
  annotations: field<readonly Annotation[]>({
    initial: [],
    shape: {
      in: "uncached",
      why: "an expression may write values into the SQL text that no slot tracks",
    },
    equal: isDeepStrictEqual,
  }),
  /** groupBy(): field paths for GROUP BY (with values() and aggregates). */
  groupBy: field<readonly string[]>({
    initial: [],
    shape: { in: "key", write: list },
    equal: sameList,
  }),
  /** using(): the named connection that runs the query, over routers and the schema's. */
  using: field<string | undefined>({
    initial: undefined,
    shape: { in: "excluded", why: "it picks the connection, never the text of the SELECT" },
    equal: Object.is,
  }),
  /**
   * The first FieldError/ValidationError a builder method hit. Building never throws: the
   * error surfaces when the query is compiled or run (`await` rejects, `sql()` throws).
   */
  error: field<YaraError | undefined>({
    initial: undefined,
    shape: { in: "uncached", why: "the state never compiles: compiling throws the error" },
    equal: Object.is,
  }),
};

type ValueOf<F> = F extends StateField<infer V> ? V : never;

/** The immutable description of a QuerySet: one property per STATE_FIELDS entry. */
export type QueryState = {
  readonly [K in keyof typeof STATE_FIELDS]: ValueOf<(typeof STATE_FIELDS)[K]>;
};

/** The table as a list, for code that handles every field alike (shape-key.ts, sameState). */
export const STATE_FIELD_LIST = Object.entries(STATE_FIELDS) as unknown as readonly (readonly [
  keyof QueryState,
  StateField<unknown>,
])[];

/**
 * The state of a new query. Like every state it is not frozen (readonly by type): copying a
 * frozen object with a spread is several times slower, and that runs for every builder call.
 */
export const EMPTY_STATE: QueryState = {
  ...(Object.fromEntries(STATE_FIELD_LIST.map(([name, f]) => [name, f.initial])) as QueryState),
};

/** `state` with `patch` applied: every field copied, as the state holds every table field. */
export function patchState(state: QueryState, patch: Partial<QueryState>): QueryState {
  return { ...state, ...patch };
}

/** Whether two states describe the same query, field by field as the table compares them. */
export function sameState(a: QueryState, b: QueryState): boolean {
  return STATE_FIELD_LIST.every(([name, f]) => f.equal(a[name], b[name]));
}

export function checkCount(meta: ModelMeta, what: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ValidationError(
      `${meta.name}: ${what} expects a non-negative integer`,
      meta.name,
      undefined,
    );
  }
  return n;
}

/**
 * Whether the rows are groups rather than table rows: `groupBy()`, or an aggregate of the
 * query's own rows (`annotate({ n: Count() })`, a whole-table aggregate).
 */
export function isAggregated(meta: ModelMeta, state: QueryState): boolean {
  return state.groupBy.length > 0 || state.annotations.some((a) => isGroupAggregate(meta, a.term));
}

/**
 * selectForUpdate() locks the table rows a query returns, and distinct rows, groups and a
 * whole-table aggregate are none: Postgres refuses the SELECT ("FOR UPDATE is not allowed with
 * DISTINCT clause", "… with GROUP BY clause", "… with aggregate functions"), MariaDB would lock
 * whatever rows it read and SQLite ignores the lock. A ValidationError on every database, before
 * anything is sent: checked wherever the lock is applied (selectFor) and before the transaction
 * is (BaseQuery.lockedDriver). count() and exists() read without the lock, and so pass.
 */
export function checkLock(meta: ModelMeta, state: QueryState): void {
  if (state.lock === undefined) return;
  const refuse = (what: string, why: string): never => {
    throw new ValidationError(
      `${meta.name}: selectForUpdate() cannot lock rows of ${what}: the rows it returns are ${why}; ` +
        "lock them with a query of their own first (filter(…).selectForUpdate()), in the same transaction",
      meta.name,
      undefined,
    );
  };
  if (state.distinct) refuse("a distinct() query", "not table rows");
  if (isAggregated(meta, state))
    refuse(
      state.groupBy.length > 0 ? "a grouped query" : "an aggregate query",
      "groups, not table rows",
    );
}

/**
 * The ordering applied: the explicit orderBy(), else the model's `ordering` — except for grouped
 * and aggregate queries, whose rows are groups the model's columns cannot order (Postgres
 * refuses them outside GROUP BY), as in Django.
 */
export function effectiveOrdering(meta: ModelMeta, state: QueryState): readonly string[] {
  if (state.ordering !== undefined) return state.ordering;
  return isAggregated(meta, state) ? [] : meta.ordering;
}

export interface SelectOptions {
  /** Apply ordering (off for count/exists). */
  readonly ordered: boolean;
  /** Apply limit/offset/lock. */
  readonly sliced: boolean;
  /** Tag bound filter values with these slots (for a compiled plan, shape-cache.ts). */
  readonly slots?: ParamSlots | undefined;
  /** The FROM level to build in (a nested query's, see nested-aliases.ts); default: a new one. */
  readonly scope?: Scope | undefined;
  /** Join to-many paths (values() / valuesList(): one row per related row). */
  readonly toMany?: boolean | undefined;
}

/** A SELECT of `columns(scope)` for `state`, with the joins its filters and ordering need. */
export function selectFor(
  meta: ModelMeta,
  state: QueryState,
  columns: (scope: Scope) => readonly ExpressionNode[],
  options: SelectOptions = { ordered: true, sliced: true },
): SelectNode {
  if (state.error) throw state.error;
  // A lock applies to table rows only, on every database (checkLock).
  if (options.sliced) checkLock(meta, state);
  const scope =
    options.scope ??
    new Scope(meta, meta.table, new Aliases(meta.table), options.slots, options.toMany === true);
  const grouped = (c: Cond): boolean => onGroupAggregate(meta, c);
  const where = whereOf(
    scope,
    state.where.filter((c) => !grouped(c)),
  );
  const havingConds = state.where.filter(grouped);
  for (const c of havingConds) checkHaving(meta, state, c);
  const having = whereOf(scope, havingConds);
  // DISTINCT ON (distinct-on.ts) orders by its paths first and may order by what it does not
  // select.
  const on = state.distinct ? state.distinctOn : [];
  const ordering = effectiveOrdering(meta, state);
  // SELECT DISTINCT can only be ordered by what it selects (Postgres refuses anything else,
  // SQLite picks arbitrary rows): ordering expressions not selected are selected too, after the
  // columns the rows are decoded from, and count() counts the same rows.
  const terms =
    on.length > 0
      ? options.ordered
        ? orderTerms(scope, distinctOnOrdering(on, ordering), state.annotations)
        : []
      : options.ordered || state.distinct
        ? orderTerms(scope, ordering, state.annotations)
        : [];
  // The very expressions ORDER BY starts with (an annotation's subquery built twice would get
  // other aliases, and Postgres compares the text).
  const distinctOn =
    on.length === 0
      ? []
      : options.ordered
        ? terms.slice(0, on.length).map((t) => t.expr)
        : orderTerms(scope, on, state.annotations).map((t) => t.expr);
  const cols = columns(scope);
  const extra =
    state.distinct && on.length === 0
      ? terms.map((t) => t.expr).filter((e) => !cols.some((c) => isDeepStrictEqual(c, e)))
      : [];
  const orderBy = options.ordered ? terms : [];
  const groupBy = state.groupBy.map((g) => scope.column(resolvePath(meta, g, false)));
  return select({
    columns: extra.length > 0 ? [...cols, ...extra] : cols,
    from:
      scope.alias === meta.table
        ? { table: meta.table }
        : { table: meta.table, alias: scope.alias },
    joins: scope.joins,
    where,
    groupBy,
    having,
    orderBy,
    distinct: state.distinct,
    distinctOn,
    distinctOnAsked: on.length > 0 ? distinctOnAsked(meta, on) : undefined,
    limit: options.sliced ? state.limit : undefined,
    offset: options.sliced ? state.offset : undefined,
    // Rendered by dialects with row locks (Dialect.supports.rowLocks), nothing elsewhere.
    lock:
      options.sliced && state.lock
        ? { of: scope.joins.length > 0 ? meta.table : undefined, ...state.lock }
        : undefined,
  });
}
