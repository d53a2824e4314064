/**
 * `Subquery(query)`, `Exists(query)` and `OuterRef("field")`: a query nested in another,
 * correlated with it through `OuterRef`, which names a field of the outer query's model:
 *
 *   Author.annotate({
 *     latest: Subquery(Book.filter({ authorId: OuterRef("id") }).orderBy("-id").valuesList("title", { flat: true })),
 *     hasDrafts: Exists(Book.filter({ authorId: OuterRef("id"), published: false })),
 *   })
 *
 * A Subquery selects one value: a `values()` / `valuesList()` query of one field, or a query of
 * instances (its primary key). It is the first row in the query's ordering — an implicit
 * `LIMIT 1` when the query has none, so both databases give the same answer where Postgres
 * would otherwise refuse a second row — and NULL when there is none. `field__in: query` takes
 * the same one-value queries (where.ts).
 */
import { exists } from "../ast/exists.js";
import type { ExpressionNode } from "../ast/node.js";
import { subquery } from "../ast/subquery.js";
import { ValidationError } from "../errors.js";
import type { FieldKind } from "../model/meta.js";
import type { BaseQuery } from "./base.js";
import { Expression, type ExpressionTerm } from "./f.js";
import { outerScopeOf } from "./nested-aliases.js";
import { resolvePath } from "./path.js";
import type { TermContext, TermSpec } from "./term-spec.js";

/** A query usable as a subquery whose one value has type `V` (see `__subqueryValue` on the query classes). */
export interface SubqueryOf<V> {
  readonly __subqueryValue: V;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQuery = BaseQuery<any, unknown>;

function queryOf(name: string, value: unknown): AnyQuery {
  const ok =
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AnyQuery>).subqueryNode === "function";
  if (!ok)
    throw new ValidationError(
      `${name}(): expects a query (Model.filter(…), values(), valuesList())`,
      undefined,
      undefined,
    );
  return value as AnyQuery;
}

class SubquerySpec implements TermSpec {
  readonly children: readonly ExpressionTerm[] = [];
  constructor(
    readonly name: "Subquery" | "Exists" | "in",
    readonly query: AnyQuery,
  ) {}

  resultKind(): FieldKind {
    return this.name === "Exists" ? "boolean" : this.query.subqueryKind();
  }

  build(ctx: TermContext): ExpressionNode {
    const purpose = this.name === "Exists" ? "exists" : this.name === "in" ? "in" : "value";
    const node = this.query.subqueryNode(ctx.scope, purpose);
    return purpose === "exists" ? exists(node) : subquery(node);
  }
}

/** The one value of `query` (its first row in its ordering), or NULL when it has no row. */
export function Subquery<V>(query: SubqueryOf<V>): Expression<V | null> {
  return new Expression({
    kind: "spec",
    spec: new SubquerySpec("Subquery", queryOf("Subquery", query)),
  });
}

/** Whether `query` has a row: `EXISTS (…)`, a boolean. */
export function Exists(query: SubqueryOf<unknown>): Expression<boolean> {
  return new Expression({
    kind: "spec",
    spec: new SubquerySpec("Exists", queryOf("Exists", query)),
  });
}

/** @internal `field__in: query` as a term (build.ts turns it into `IN (SELECT …)`). */
export function inSubquery(query: unknown): Expression<unknown> {
  return new Expression({ kind: "spec", spec: new SubquerySpec("in", queryOf("in", query)) });
}

class OuterRefSpec implements TermSpec {
  readonly name = "OuterRef";
  readonly children: readonly ExpressionTerm[] = [];
  constructor(readonly field: string) {}

  resultKind(): FieldKind {
    // Its model is only known where the query is nested; as a value it compares with a field.
    return "text";
  }

  build(ctx: TermContext): ExpressionNode {
    const outer = outerScopeOf(ctx.scope);
    if (outer === undefined)
      throw new ValidationError(
        `OuterRef("${this.field}") is only meaningful in a query inside Subquery(), Exists() or a field__in`,
        ctx.scope.model.name,
        this.field,
      );
    return outer.column(resolvePath(outer.model, this.field, false));
  }
}

/** A field of the query this one is nested in (Subquery, Exists, `field__in`). */
export function OuterRef(field: string): Expression<unknown> {
  if (typeof field !== "string")
    throw new ValidationError("OuterRef(): expects a field path as a string", undefined, undefined);
  return new Expression({ kind: "spec", spec: new OuterRefSpec(field) });
}
