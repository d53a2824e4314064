/**
 * `F("price")` references a column of the model being queried; `.add/.sub/.mul/.div` build
 * arithmetic: `Book.filter({ id }).update({ price: F("price").add(1) })`. Usable as an update
 * value and as the value of a comparison lookup (`filter({ price__gt: F("cost") })`).
 */

export type ExpressionTerm =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "value"; readonly value: number | bigint | string }
  | { readonly kind: "arithmetic"; readonly op: "+" | "-" | "*" | "/"; readonly left: ExpressionTerm; readonly right: ExpressionTerm };

type Operand = Expression | number | bigint | string;

export class Expression {
  constructor(readonly term: ExpressionTerm) {
    Object.freeze(this);
  }

  add(other: Operand): Expression {
    return this.#op("+", other);
  }

  sub(other: Operand): Expression {
    return this.#op("-", other);
  }

  mul(other: Operand): Expression {
    return this.#op("*", other);
  }

  div(other: Operand): Expression {
    return this.#op("/", other);
  }

  #op(op: "+" | "-" | "*" | "/", other: Operand): Expression {
    const right: ExpressionTerm = other instanceof Expression ? other.term : { kind: "value", value: other };
    return new Expression({ kind: "arithmetic", op, left: this.term, right });
  }
}

/** A reference to field `name` (a field path like `author__id` is allowed in filters). */
export function F(name: string): Expression {
  return new Expression({ kind: "field", name });
}
