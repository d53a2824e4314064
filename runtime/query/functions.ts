/**
 * Aggregates (`Count`, `Sum`, `Avg`, `Min`, `Max`) and functions (`Lower`, `Upper`, `Length`,
 * `Coalesce`, `Trim`) for `annotate()`, `update()` and filter values. A field argument is a
 * field path; an aggregate over a to-many relation (`Count("books")`, `Sum("books__price")`)
 * becomes a correlated subquery, so annotated rows are never duplicated.
 *
 * Result types: `Count` and `Length` are `number`, `Avg` is `number | null`, `Lower`/`Upper`/
 * `Trim` are `string`. `Sum`, `Min`, `Max` and `Coalesce` of a field path depend on that
 * field, so they return a `PathExpression` that `annotate()` resolves against the model's
 * field types: `Sum("books__price")` of a decimal is `string | null`, of an integer
 * `number | null`; `Max("createdAt")` is `Date | null`; `Coalesce("email", "")` is `string`.
 */
import type { FunctionName } from "../ast/function.js";
import { ValidationError } from "../errors.js";
import { checkOptions } from "../options.js";
import { Expression, type ExpressionTerm, termOf } from "./f.js";

/** Functions whose result type is that of the field path they read. */
export type PathFunction = "sum" | "min" | "max" | "coalesce";

/** `Sum("books__price")`: an expression whose value type comes from the field at path `P`. */
export class PathExpression<F extends PathFunction, P extends string> extends Expression<unknown> {
  declare readonly __path: { readonly fn: F; readonly path: P };
}

/**
 * The value of `F` applied to a field of type `V`: a sum of decimals stays a decimal string (of
 * bigints a bigint), Min/Max keep the type, Coalesce drops `null`; each aggregate is `null` over
 * no rows.
 */
export type PathFunctionValue<F extends PathFunction, V> = F extends "sum"
  ? [NonNullable<V>] extends [string]
    ? string | null
    : [NonNullable<V>] extends [bigint]
      ? bigint | null
      : [NonNullable<V>] extends [number]
        ? number | null
        : number | string | null
  : F extends "coalesce"
    ? NonNullable<V>
    : NonNullable<V> | null;

type Arg = string | Expression;

/**
 * Options of an aggregate: `distinct` aggregates each value once; `filter` (a filter object or
 * `Q` on the model queried, as in `filter()`) aggregates only the rows it matches —
 * `Count("books", { filter: { books__published: true } })`. Over a to-many relation its keys
 * go through that relation.
 */
export interface AggregateOptions {
  readonly distinct?: boolean;
  readonly filter?: object;
}

/** Checks aggregate options: an unknown or mistyped option is a ValidationError, never ignored. */
function aggregateOptions(name: string, options: AggregateOptions | undefined): AggregateOptions {
  checkOptions(undefined, `${name}()`, options, ["distinct", "filter"]);
  if (options === undefined) return {};
  const refuse = (why: string): never => {
    throw new ValidationError(`${name}(): ${why}`, undefined, undefined);
  };
  if (options.distinct !== undefined && typeof options.distinct !== "boolean")
    refuse("option distinct must be true or false");
  const filter: unknown = options.filter;
  if (
    filter !== undefined &&
    (typeof filter !== "object" || filter === null || Array.isArray(filter))
  )
    refuse("option filter must be a filter object or a Q");
  return options;
}

function fieldTerm(arg: Arg): ExpressionTerm {
  return typeof arg === "string" ? { kind: "field", name: arg } : arg.term;
}

function fn<V>(
  name: FunctionName,
  args: readonly ExpressionTerm[],
  options: AggregateOptions = {},
): Expression<V> {
  return new Expression<V>({
    kind: "function",
    name,
    args,
    distinct: options.distinct === true,
    filter: options.filter,
  });
}

function pathFn(
  name: PathFunction,
  args: readonly ExpressionTerm[],
  options: AggregateOptions = {},
): Expression<unknown> {
  return new PathExpression({
    kind: "function",
    name,
    args,
    distinct: options.distinct === true,
    filter: options.filter,
  });
}

/** Number of rows (no argument), or of non-null values of a field path / related rows. */
export function Count(field?: Arg, options?: AggregateOptions): Expression<number> {
  return fn(
    "count",
    field === undefined ? [] : [fieldTerm(field)],
    aggregateOptions("Count", options),
  );
}

export function Sum<P extends string>(
  field: P,
  options?: AggregateOptions,
): PathExpression<"sum", P>;
export function Sum(
  field: Expression,
  options?: AggregateOptions,
): Expression<number | string | null>;
export function Sum(field: Arg, options?: AggregateOptions): Expression<unknown> {
  return pathFn("sum", [fieldTerm(field)], aggregateOptions("Sum", options));
}

export function Avg(field: Arg, options?: AggregateOptions): Expression<number | null> {
  return fn("avg", [fieldTerm(field)], aggregateOptions("Avg", options));
}

export function Min<P extends string>(
  field: P,
  options?: AggregateOptions,
): PathExpression<"min", P>;
export function Min(field: Expression, options?: AggregateOptions): Expression<unknown>;
export function Min(field: Arg, options?: AggregateOptions): Expression<unknown> {
  return pathFn("min", [fieldTerm(field)], aggregateOptions("Min", options));
}

export function Max<P extends string>(
  field: P,
  options?: AggregateOptions,
): PathExpression<"max", P>;
export function Max(field: Expression, options?: AggregateOptions): Expression<unknown>;
export function Max(field: Arg, options?: AggregateOptions): Expression<unknown> {
  return pathFn("max", [fieldTerm(field)], aggregateOptions("Max", options));
}

export function Lower(field: Arg): Expression<string> {
  return fn("lower", [fieldTerm(field)]);
}

export function Upper(field: Arg): Expression<string> {
  return fn("upper", [fieldTerm(field)]);
}

export function Trim(field: Arg): Expression<string> {
  return fn("trim", [fieldTerm(field)]);
}

export function Length(field: Arg): Expression<number> {
  return fn("length", [fieldTerm(field)]);
}

/** The first non-null of a field path and further fields, expressions or literal values. */
export function Coalesce<P extends string>(
  field: P,
  ...rest: (Expression | number | string | bigint)[]
): PathExpression<"coalesce", P>;
export function Coalesce(
  field: Expression,
  ...rest: (Expression | number | string | bigint)[]
): Expression<unknown>;
export function Coalesce(
  field: Arg,
  ...rest: (Expression | number | string | bigint)[]
): Expression<unknown> {
  return pathFn("coalesce", [fieldTerm(field), ...rest.map(termOf)]);
}

/**
 * The text values of a field path joined by `separator`, in ascending order (NULLs skipped),
 * NULL over no rows: Postgres `string_agg`, SQLite `group_concat`. Over a to-many relation it
 * is one value per row (`StringAgg("books__title", ", ")`). Text fields only; takes `filter`.
 */
export function StringAgg(
  field: string,
  separator: string,
  options?: { readonly filter?: object },
): Expression<string | null> {
  if (typeof field !== "string" || typeof separator !== "string")
    throw new ValidationError(
      "StringAgg(): expects a field path and a separator string",
      undefined,
      undefined,
    );
  checkOptions(undefined, "StringAgg()", options, ["filter"]);
  const opts = aggregateOptions("StringAgg", options);
  return fn("string_agg", [fieldTerm(field), { kind: "value", value: separator }], opts);
}

/**
 * The values of a field path as an array in ascending order (NULLs last), `[]` over no rows:
 * JSON on both databases (`json_agg` / `json_group_array`), so both return the same array.
 * Integer, float, text and UUID fields only (decimals, booleans and dates would read back
 * differently); takes `distinct` and `filter`.
 */
export function ArrayAgg<V = unknown>(field: string, options?: AggregateOptions): Expression<V[]> {
  if (typeof field !== "string")
    throw new ValidationError("ArrayAgg(): expects a field path", undefined, undefined);
  return fn("array_agg", [fieldTerm(field)], aggregateOptions("ArrayAgg", options));
}
