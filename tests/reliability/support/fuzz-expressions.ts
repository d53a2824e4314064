/**
 * The differential fuzzer's expressions (kept apart from fuzz-case.ts so its lookups and these
 * grow independently): each case may annotate its rows with arithmetic (`add`, `sub`, `mul`,
 * `%`, `**`) over Item's integer fields and literals, and `Case(When(cond, …), …, { default })`
 * whose conditions are the fuzzer's own filter conditions. `annotateCase` adds them to the
 * QuerySet; `evaluateExpressions` is the in-memory reference (NULL in, NULL out; `%` by zero and
 * undefined powers are NULL; `%` has the sign of the dividend).
 */
import fc from "fast-check";
import { Case, F, When, type Expression } from "../../features/generated/index.js";

/** An integer-valued expression; `pow` makes a float. */
export type Expr =
  | { readonly field: "id" | "level" }
  | { readonly int: number }
  | { readonly op: "add" | "sub" | "mul" | "mod"; readonly left: Expr; readonly right: Expr }
  | { readonly pow: Expr; readonly exponent: 0 | 1 | 2 }
  | {
      readonly whens: readonly { readonly cond: unknown; readonly then: Expr }[];
      readonly otherwise: Expr | null;
    };

interface Row {
  readonly id: number;
  readonly level: number | null;
}

const int = fc.constantFrom(-7, -1, 0, 1, 3, 100);
const leaf: fc.Arbitrary<Expr> = fc.oneof(
  // Not the SmallIntField: Postgres computes smallint * smallint in 16 bits.
  fc.constantFrom<Expr>({ field: "id" }, { field: "level" }),
  int.map((n) => ({ int: n })),
);
/** Two levels of integer arithmetic at most: values stay far inside 32 bits. */
const arith: fc.Arbitrary<Expr> = fc.oneof(
  leaf,
  fc.record({
    op: fc.constantFrom<"add" | "sub" | "mul" | "mod">("add", "sub", "mul", "mod", "mod"),
    left: leaf,
    right: leaf,
  }),
);

/** An annotation: arithmetic, a power of it, or a Case over `cond` (the fuzzer's conditions). */
export function arbitraryExpressions(cond: fc.Arbitrary<unknown>): fc.Arbitrary<Expr[]> {
  const caseExpr: fc.Arbitrary<Expr> = fc.record({
    whens: fc.array(fc.record({ cond, then: arith }), { minLength: 1, maxLength: 2 }),
    otherwise: fc.option(arith, { nil: null }),
  });
  const power: fc.Arbitrary<Expr> = fc.record({
    pow: leaf,
    exponent: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
  });
  return fc.array(fc.oneof(arith, power, caseExpr), { maxLength: 2 });
}

function toExpression(e: Expr, toWhere: (cond: unknown) => object): Expression<unknown> {
  if ("field" in e) return F(e.field);
  if ("int" in e) return F("id").mul(0).add(e.int);
  if ("pow" in e) return toExpression(e.pow, toWhere).pow(e.exponent);
  if ("op" in e) {
    const left = toExpression(e.left, toWhere);
    const right = "int" in e.right ? e.right.int : toExpression(e.right, toWhere);
    return left[e.op](right);
  }
  const whens = e.whens.map((w) => When(toWhere(w.cond) as never, toExpression(w.then, toWhere)));
  return e.otherwise === null
    ? Case(whens[0]!, ...whens.slice(1))
    : Case(whens[0]!, ...whens.slice(1), { default: toExpression(e.otherwise, toWhere) });
}

/** `{ e0: …, e1: … }` for QuerySet.annotate(). */
export function annotationsOf(
  exprs: readonly Expr[],
  toWhere: (cond: unknown) => object,
): Record<string, Expression<unknown>> {
  return Object.fromEntries(exprs.map((e, i) => [`e${i}`, toExpression(e, toWhere)]));
}

/** The reference value of `e` on `row`; `matches` decides a When's condition. */
export function evaluateExpression(
  e: Expr,
  row: Row,
  matches: (cond: unknown) => boolean,
): number | null {
  if ("field" in e) return row[e.field];
  if ("int" in e) return e.int;
  if ("pow" in e) {
    const x = evaluateExpression(e.pow, row, matches);
    return x === null ? null : x === 0 && e.exponent < 0 ? null : x ** e.exponent;
  }
  if ("op" in e) {
    const x = evaluateExpression(e.left, row, matches);
    const y = evaluateExpression(e.right, row, matches);
    if (x === null || y === null) return null;
    switch (e.op) {
      case "add":
        return x + y;
      case "sub":
        return x - y;
      case "mul":
        return x * y;
      case "mod":
        return y === 0 ? null : (x % y) + 0; // + 0: no -0
    }
  }
  const hit = e.whens.find((w) => matches(w.cond));
  if (hit) return evaluateExpression(hit.then, row, matches);
  return e.otherwise === null ? null : evaluateExpression(e.otherwise, row, matches);
}
