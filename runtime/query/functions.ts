/**
 * Aggregates (`Count`, `Sum`, `Avg`, `Min`, `Max`) and functions (`Lower`, `Upper`, `Length`,
 * `Coalesce`, `Trim`) for `annotate()`, `update()` and filter values. A field argument is a
 * field path; an aggregate over a to-many relation (`Count("books")`, `Sum("books__price")`)
 * becomes a correlated subquery, so annotated rows are never duplicated.
 */
import type { FunctionName } from "../ast/function.js";
import { Expression, type ExpressionTerm, termOf } from "./f.js";

type Arg = string | Expression;

function fieldTerm(arg: Arg): ExpressionTerm {
  return typeof arg === "string" ? { kind: "field", name: arg } : arg.term;
}

function fn<V>(
  name: FunctionName,
  args: readonly ExpressionTerm[],
  distinct = false,
): Expression<V> {
  return new Expression<V>({ kind: "function", name, args, distinct });
}

/** Number of rows (no argument), or of non-null values of a field path / related rows. */
export function Count(field?: Arg, options: { distinct?: boolean } = {}): Expression<number> {
  return fn("count", field === undefined ? [] : [fieldTerm(field)], options.distinct === true);
}

export function Sum(field: Arg): Expression<number | string | null> {
  return fn("sum", [fieldTerm(field)]);
}

export function Avg(field: Arg): Expression<number | null> {
  return fn("avg", [fieldTerm(field)]);
}

export function Min(field: Arg): Expression<unknown> {
  return fn("min", [fieldTerm(field)]);
}

export function Max(field: Arg): Expression<unknown> {
  return fn("max", [fieldTerm(field)]);
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
export function Coalesce(
  field: Arg,
  ...rest: (Expression | number | string | bigint)[]
): Expression<unknown> {
  return fn("coalesce", [fieldTerm(field), ...rest.map(termOf)]);
}
