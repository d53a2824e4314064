/**
 * `Prefetch("books", { queryset, toAttr })` (Django's and Tortoise's `Prefetch`): a
 * prefetchRelated path whose last level is loaded through `queryset` — filtered, ordered,
 * annotated, with its own selectRelated / prefetchRelated — and stored as the relation's loaded
 * value, or under `toAttr` as a list, leaving the relation itself unloaded.
 *
 * What needs no model is checked here, at once (options, a values() query set, the name); the
 * rest when prefetchRelated() gets it (prefetch.ts `checkPrefetch`: the path, the queryset's
 * model, a toAttr clashing with a member).
 */
import { ValidationError } from "../errors.js";
import type { ModelRecord } from "../model/record.js";
import type { ModelTypes } from "../model/types.js";
import { checkOptions } from "../options.js";
import { BaseQuery } from "./base.js";
import { QuerySet } from "./queryset.js";

/** A prefetchRelated path with the query set of its last level; `M` is that query's instance type. */
export class PrefetchLookup<
  P extends string = string,
  M = unknown,
  A extends string | undefined = string | undefined,
> {
  /** Type only: the instances the queryset loads (what `toAttr` holds a list of). */
  declare readonly instance?: M;

  constructor(
    readonly path: P,
    readonly queryset: QuerySet<ModelTypes>,
    readonly toAttr: A,
  ) {
    Object.freeze(this);
  }
}

/** Options of `Prefetch()`. */
export interface PrefetchOptions<U extends ModelTypes, A extends string | undefined> {
  /** The query set the related rows are loaded through (a QuerySet of the relation's target). */
  readonly queryset: QuerySet<U>;
  /** Store the rows as a list under this name instead of as the relation (to-many relations). */
  readonly toAttr?: A;
}

const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A prefetchRelated path loaded through `queryset`: `Prefetch("books", { queryset:
 * Book.filter({ published: true }).orderBy("title"), toAttr: "published" })`.
 */
export function Prefetch<
  const P extends string,
  U extends ModelTypes,
  const A extends string | undefined = undefined,
>(path: P, options: PrefetchOptions<U, A>): PrefetchLookup<P, U["model"], A> {
  const what = `Prefetch(${JSON.stringify(path)})`;
  const refuse = (why: string): never => {
    throw new ValidationError(`${what}: ${why}`, undefined, undefined);
  };
  if (typeof path !== "string" || path === "")
    refuse('the path must be a relation path such as "books"');
  checkOptions(undefined, what, options, ["queryset", "toAttr"]);
  if (options === undefined) refuse("needs { queryset }");
  const queryset: unknown = options.queryset;
  if (!(queryset instanceof QuerySet))
    refuse(
      queryset instanceof BaseQuery
        ? "the queryset is a values() / valuesList() query, whose rows are plain objects; prefetch needs instances: pass the QuerySet itself"
        : "option queryset must be a QuerySet of the relation's target (Book.filter(…))",
    );
  const toAttr: unknown = options.toAttr;
  if (toAttr !== undefined && (typeof toAttr !== "string" || !NAME.test(toAttr)))
    refuse('option toAttr must be a property name such as "publishedBooks"');
  return new PrefetchLookup(path, queryset as QuerySet<ModelTypes>, toAttr as A);
}
