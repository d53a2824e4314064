/**
 * Filter keys of one field: `title`, `title__not`, `title__in`, `title__icontains`, …
 *
 * The generator writes one line per field (`TextLookups<"title", string>`); these mapped types
 * expand it into the flat set of optional keys that `filter`, `exclude` and `get` accept. Each is
 * a single key-remapping mapped type over a small interface, so the checker builds it once per
 * (name, value type) pair and excess-property checks stay cheap.
 */
import type { Expression } from "../query/f.js";
import type { SubqueryOf } from "../query/subquery.js";

/**
 * Lookups every field kind supports. `T` is the filter value; `N` is `null` on nullable fields.
 * Comparisons also take an expression: `filter({ price__gt: F("cost") })`.
 */
export interface BasicLookups<T, N extends null = never> {
  /** The bare key: `title: "Dune"`. `null` matches NULL on nullable fields. */
  exact: T | N | Expression;
  /** Keeps rows whose column is NULL (Tortoise semantics). */
  not: T | N | Expression;
  /** A list, or a query of one value: `authorId__in: Author.filter(…).valuesList("id", { flat: true })`. */
  in: readonly T[] | SubqueryOf<T | null>;
  /** Keeps rows whose column is NULL. */
  not_in: readonly T[] | SubqueryOf<T | null>;
  gt: T | Expression;
  gte: T | Expression;
  lt: T | Expression;
  lte: T | Expression;
  /** Inclusive on both ends. */
  range: readonly [T, T];
  isnull: boolean;
  not_isnull: boolean;
}

/** Substring lookups of char, text and char-enum fields; the `i` variants ignore case. */
export interface TextOnlyLookups {
  contains: string;
  icontains: string;
  startswith: string;
  istartswith: string;
  endswith: string;
  iendswith: string;
  iexact: string;
}

/** Calendar parts of date and datetime fields (datetimes at UTC). */
export interface DateOnlyLookups {
  year: number;
  month: number;
  day: number;
}

/**
 * Lookups of a relation named on its own: `author: ada`, `author__in: [1, 2]`, `editor__isnull`,
 * `tags: sf`. `T` is the related model or its key.
 */
export interface RelationOnlyLookups<T, N extends null = never> {
  exact: T | N | Expression;
  not: T | N | Expression;
  in: readonly T[] | SubqueryOf<T | null>;
  not_in: readonly T[] | SubqueryOf<T | null>;
  isnull: boolean;
  not_isnull: boolean;
}

/** `exact` is both the bare field name and `<field>__exact`; every other lookup is `<field>__<lookup>`. */
export type KeyedLookups<Name extends string, L> = {
  [K in keyof L as K extends "exact" ? Name | `${Name}__exact` : `${Name}__${K & string}`]?: L[K];
};

/** Filter keys of a numeric, boolean, uuid, time, JSON or binary field. */
export type Lookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N>
>;

/** Filter keys of a char, text or char-enum field. */
export type TextLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N> & TextOnlyLookups
>;

/** Filter keys of a relation itself: its key, or the target's pk for to-many relations. */
export type RelationLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  RelationOnlyLookups<T, N>
>;

/** Filter keys of a date or datetime field. */
export type DateLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N> & DateOnlyLookups
>;
