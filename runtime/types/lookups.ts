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
import type { JsonValue } from "./json.js";

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

/**
 * Substring lookups of char, text and char-enum fields; the `i` variants ignore case.
 * `regex` / `iregex` take a pattern of the subset every database reads alike, `search` words.
 */
export interface TextOnlyLookups {
  contains: string;
  icontains: string;
  startswith: string;
  istartswith: string;
  endswith: string;
  iendswith: string;
  iexact: string;
  regex: string;
  iregex: string;
  search: string;
}

/**
 * Calendar parts of date and datetime fields (datetimes at UTC): `published__year`. `week` is
 * the ISO week (1–53), `week_day` 1 = Sunday … 7 = Saturday, `iso_week_day` 1 = Monday … 7.
 */
export type CalendarPart =
  "year" | "quarter" | "month" | "week" | "week_day" | "iso_week_day" | "day";

/** Clock parts of time and datetime fields (datetimes at UTC): `at__hour__gte`. */
export type ClockPart = "hour" | "minute" | "second";

/** The parts of a date field, all integers (kept for code written against it). */
export type DateOnlyLookups = { [P in CalendarPart]: number };

/** What a date part is compared with: `at__hour__gte: 9`, `at__year__in: [2023, 2024]`. */
export interface PartLookups<T> {
  exact: T;
  not: T;
  in: readonly T[];
  not_in: readonly T[];
  gt: T;
  gte: T;
  lt: T;
  lte: T;
  range: readonly [T, T];
}

/**
 * Lookups on a JSON document: containment both ways (`@>` / `<@`) and top-level keys.
 */
export interface JsonOnlyLookups {
  contains: JsonValue;
  contained_by: JsonValue;
  has_key: string;
  has_keys: readonly string[];
  has_any_keys: readonly string[];
}

/**
 * Paths into a JSON document (`data__a__b`, `data__tags__0`, `data__score__gte`): any key,
 * typed `unknown` (what a path holds is not known statically); the value is checked at run
 * time (a JSON scalar, or a boolean for `__isnull`).
 */
export type JsonPathKeys<Name extends string> = {
  [K in `${Name}__${string}`]?: unknown;
};

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

/** Filter keys of a date field: its own and its calendar parts' (`day__week: 53`). */
export type DateLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N>
> &
  KeyedLookups<`${Name}__${CalendarPart}`, PartLookups<number>>;

/**
 * Filter keys of a datetime field: its own, its calendar and clock parts' at UTC, and its
 * `date` and `time` (`at__date: "2024-05-06"`, `at__time__gte: "09:00"`).
 */
export type DatetimeLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N>
> &
  KeyedLookups<`${Name}__${CalendarPart | ClockPart}`, PartLookups<number>> &
  KeyedLookups<`${Name}__date`, PartLookups<string | Date>> &
  KeyedLookups<`${Name}__time`, PartLookups<string>>;

/** Filter keys of a time field: its own and its clock parts' (`clock__hour__lt: 12`). */
export type TimeLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N>
> &
  KeyedLookups<`${Name}__${ClockPart}`, PartLookups<number>>;

/** Filter keys of a JSON field: the document's lookups and paths into it. */
export type JsonLookups<Name extends string, T, N extends null = never> = KeyedLookups<
  Name,
  BasicLookups<T, N> & JsonOnlyLookups
> &
  JsonPathKeys<Name>;
