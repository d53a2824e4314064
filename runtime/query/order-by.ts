/**
 * An expression in `orderBy()`: `orderBy(Case(…), Upper("name").desc())`. It is kept as a hidden
 * annotation (never selected, never set on rows) named `__order_<n>`, so the ordering stays a
 * list of names and everything that reads it (streaming, first(), distinct, the shape cache,
 * which skips annotated queries) works unchanged.
 */
import type { Expression } from "./f.js";

/** `expression.desc()` / `expression.asc()`. */
export class OrderBy<W = unknown> {
  declare readonly __where?: W;
  constructor(
    readonly expression: Expression<unknown>,
    readonly descending: boolean,
  ) {
    Object.freeze(this);
  }
}

/** The name a hidden ordering annotation takes (no field or annotation can have it: `__`). */
export function orderName(n: number): string {
  return `__order_${n}`;
}
