/**
 * `F("price")` references a column of the model being queried; `.add/.sub/.mul/.div` build
 * arithmetic (`.mod` and `.pow` too): `Book.filter({ id }).update({ price: F("price").add(1) })`. Usable as an update
 * value, as the value of a comparison lookup (`filter({ price__gt: F("cost") })`) and in
 * `annotate()`. Functions and aggregates (`functions.ts`) are Expressions too.
 */
import type { ExpressionOp } from "../ast/arithmetic.js";
import type { FunctionName } from "../ast/function.js";
import { OrderBy } from "./order-by.js";
import type { TermSpec } from "./term-spec.js";

export type ExpressionTerm =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "value"; readonly value: number | bigint | string }
  | {
      readonly kind: "arithmetic";
      readonly op: ExpressionOp;
      readonly left: ExpressionTerm;
      readonly right: ExpressionTerm;
    }
  | {
      readonly kind: "function";
      readonly name: FunctionName;
      readonly args: readonly ExpressionTerm[];
      readonly distinct: boolean;
      /** An aggregate's filter (a filter object or Q on the model queried): rows it keeps are aggregated. */
      readonly filter?: object | undefined;
    }
  /** Case, Subquery, Exists, OuterRef, RawSQL, Concat, Round, Cast, …: see term-spec.ts. */
  | { readonly kind: "spec"; readonly spec: TermSpec };

type Operand = Expression | number | bigint | string;

/** The filter type a Case's conditions are checked against (`never`: no conditions to check). */
type WhereOf<E> = "__where" extends keyof E
  ? E extends { readonly __where?: infer W }
    ? W
    : never
  : never;

/** A column expression; `V` is the type of its value when selected (annotate). */
export class Expression<V = unknown> {
  declare readonly __value?: V;

  constructor(readonly term: ExpressionTerm) {
    Object.freeze(this);
  }

  add(other: Operand): Expression<V> {
    return this.#op("+", other);
  }

  sub(other: Operand): Expression<V> {
    return this.#op("-", other);
  }

  mul(other: Operand): Expression<V> {
    return this.#op("*", other);
  }

  div(other: Operand): Expression<V> {
    return this.#op("/", other);
  }

  /** The remainder, with the sign of this value (as Postgres' `mod`); NULL when `other` is 0. */
  mod(other: Operand): Expression<V> {
    return this.#op("%", other);
  }

  /** This value raised to `other`, a float; NULL where undefined (`0 ** -1`, `(-8) ** 0.5`). */
  pow(other: Operand): Expression<number | null> {
    return new Expression<number | null>({
      kind: "arithmetic",
      op: "**",
      left: this.term,
      right: termOf(other),
    });
  }

  /** This expression as a descending `orderBy()` term (NULLs first, as for fields). */
  desc<E extends Expression<unknown>>(this: E): OrderBy<WhereOf<E>> {
    return new OrderBy(this, true);
  }

  /** This expression as an ascending `orderBy()` term (NULLs last); a bare expression is too. */
  asc<E extends Expression<unknown>>(this: E): OrderBy<WhereOf<E>> {
    return new OrderBy(this, false);
  }

  #op(op: ExpressionOp, other: Operand): Expression<V> {
    return new Expression<V>({ kind: "arithmetic", op, left: this.term, right: termOf(other) });
  }
}

export function termOf(operand: Operand): ExpressionTerm {
  return operand instanceof Expression ? operand.term : { kind: "value", value: operand };
}

/** A reference to field `name` (a path through to-one relations like `author__name` is allowed). */
export function F(name: string): Expression {
  return new Expression({ kind: "field", name });
}

/** The value type an expression yields. */
export type ExpressionValue<E> = E extends Expression<infer V> ? V : never;
