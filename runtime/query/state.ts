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
import type { Cond } from "./where.js";
import type { PrefetchItem } from "./prefetch.js";

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

/** An `annotate({ name: expression })` entry. */
export interface Annotation {
  readonly name: string;
  readonly term: ExpressionTerm;
  /** An expression of orderBy() (order-by.ts): ordered by, never selected. */
  readonly hidden?: boolean;
}

export interface QueryState {
  /** ANDed conditions, one per filter()/exclude() call. */
  readonly where: readonly Cond[];
  /** Explicit orderBy(); undefined means the model's `ordering`. */
  readonly ordering: readonly string[] | undefined;
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly distinct: boolean;
  /** distinct("field", …): the paths of `DISTINCT ON` (Postgres); `distinct` is true with them. */
  readonly distinctOn: readonly string[];
  readonly lock: { readonly skipLocked: boolean; readonly nowait: boolean } | undefined;
  /** only(): field names to load (pk always included). */
  readonly only: readonly string[] | undefined;
  /** selectRelated(): to-one relation paths loaded by JOIN, parents before children. */
  readonly related: readonly string[];
  /** prefetchRelated(): relations (paths or Prefetch()) loaded by one extra query each after the rows. */
  readonly prefetch: readonly PrefetchItem[];
  /** annotate(): extra selected expressions, decoded onto rows under their names. */
  readonly annotations: readonly Annotation[];
  /** groupBy(): field paths for GROUP BY (with values() and aggregates). */
  readonly groupBy: readonly string[];
  /**
   * The first FieldError/ValidationError a builder method hit. Building never throws: the
   * error surfaces when the query is compiled or run (`await` rejects, `sql()` throws).
   */
  readonly error: YaraError | undefined;
}

export const EMPTY_STATE: QueryState = Object.freeze({
  where: [],
  ordering: undefined,
  limit: undefined,
  offset: undefined,
  distinct: false,
  distinctOn: [],
  lock: undefined,
  only: undefined,
  related: [],
  prefetch: [],
  annotations: [],
  groupBy: [],
  error: undefined,
});

/**
 * `state` with `patch` applied, frozen. Every field is written out: spreading a frozen object
 * is several times slower, and this runs for every builder call.
 */
export function patchState(state: QueryState, patch: Partial<QueryState>): QueryState {
  return Object.freeze({
    where: state.where,
    ordering: state.ordering,
    limit: state.limit,
    offset: state.offset,
    distinct: state.distinct,
    distinctOn: state.distinctOn,
    lock: state.lock,
    only: state.only,
    related: state.related,
    prefetch: state.prefetch,
    annotations: state.annotations,
    groupBy: state.groupBy,
    error: state.error,
    ...patch,
  });
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
  const scope =
    options.scope ??
    new Scope(meta, meta.table, new Aliases(meta.table), options.slots, options.toMany === true);
  const grouped = (c: Cond): boolean => onGroupAggregate(meta, c);
  const where = whereOf(
    scope,
    state.where.filter((c) => !grouped(c)),
  );
  const having = whereOf(scope, state.where.filter(grouped));
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
