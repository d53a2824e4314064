/**
 * `Case(When({ ...where }, then), …, { default })`: the value of the first `When` whose
 * condition (a filter object or `Q` on the model queried, as in `filter()`) holds, else the
 * default (else NULL). Usable in `annotate()` (and so in `orderBy` by its name), as a filter
 * value, and in `update()`.
 *
 * The conditions are typed by where the Case is used: in `annotate()` and `update()` a
 * misspelt key is a compile error, as in `filter()`. Every branch has one type (a literal of
 * another type is a compile error); literals are bound, typed for Postgres with a CAST.
 */
import { caseWhen } from "../ast/case.js";
import { cast } from "../ast/cast.js";
import { literal } from "../ast/literal.js";
import type { ExpressionNode } from "../ast/node.js";
import { param } from "../ast/param.js";
import { encodeValue } from "../dialect/encode.js";
import { ValidationError } from "../errors.js";
import type { FieldKind, FieldMeta, ModelMeta } from "../model/meta.js";
import { checkOptions } from "../options.js";
import { whereOf } from "./build.js";
import { Expression, type ExpressionTerm } from "./f.js";
import type { Q } from "./q.js";
import { standIn, type TermContext, type TermSpec } from "./term-spec.js";
import { resolveWhere } from "./where.js";

/** A literal branch value; anything else is an expression (`F("price")`, `Upper("name")`, …). */
export type CaseLiteral = string | number | bigint | boolean | null;
export type CaseValue = CaseLiteral | Expression<unknown>;
/** The value type of a branch: an expression's value, or the literal's widened type. */
export type CaseValueType<V> =
  V extends Expression<infer X>
    ? X
    : V extends string
      ? string
      : V extends number
        ? number
        : V extends bigint
          ? bigint
          : V extends boolean
            ? boolean
            : V;

/** What a default may be next to branches of type `V`: a value of their type, an expression or null. */
export type CaseDefaultFor<V> =
  (V extends Expression<infer X> ? X : CaseValueType<V>) | Expression<unknown> | null;

/** One `When(condition, then)` of a Case; `W` is the filter type of the model it is used on. */
export class WhenClause<W extends object, V> {
  declare readonly __where?: W;
  constructor(
    readonly where: object,
    readonly then: V,
  ) {
    Object.freeze(this);
  }
}

/** `{ default: value }`, the last argument of a Case. */
export interface CaseDefault<V> {
  readonly default: V;
}

/** A Case expression; `W` ties its conditions to the filter type of the model it is used on. */
export class CaseExpression<V, W extends object> extends Expression<V> {
  declare readonly __where?: W;
}

/** A condition and the value a Case takes when it holds (the first that holds wins). */
export function When<W extends object, V extends CaseValue>(
  where: NoInfer<W> | Q<NoInfer<W>>,
  then: V,
): WhenClause<W, V> {
  const bad =
    typeof where !== "object" ||
    where === null ||
    Array.isArray(where) ||
    where instanceof Expression;
  if (bad)
    throw new ValidationError(
      "When(): the condition must be a filter object or a Q",
      undefined,
      undefined,
    );
  checkBranch("When()", then);
  return new WhenClause<W, V>(where, then);
}

export function Case<W extends object, V extends CaseValue>(
  ...whens: [WhenClause<NoInfer<W>, V>, ...WhenClause<NoInfer<W>, V>[]]
): CaseExpression<CaseValueType<V> | null, W>;
export function Case<W extends object, V extends CaseValue, D extends CaseDefaultFor<V>>(
  ...args: [WhenClause<NoInfer<W>, V>, ...WhenClause<NoInfer<W>, V>[], CaseDefault<D>]
): CaseExpression<CaseValueType<V | D>, W>;
export function Case(...args: unknown[]): CaseExpression<unknown, object> {
  const last = args[args.length - 1];
  const hasDefault = last !== undefined && !(last instanceof WhenClause);
  const whens = (hasDefault ? args.slice(0, -1) : args) as WhenClause<object, CaseValue>[];
  const refuse = (why: string): never => {
    throw new ValidationError(`Case(): ${why}`, undefined, undefined);
  };
  if (whens.length === 0) refuse("needs at least one When(condition, value)");
  if (whens.some((w) => !(w instanceof WhenClause)))
    refuse("takes When(condition, value) arguments and a last { default: value }");
  let otherwise: CaseValue | undefined;
  if (hasDefault) {
    if (typeof last !== "object" || last === null || !("default" in last))
      refuse("its last argument must be a When(…) or { default: value }");
    checkOptions(undefined, "Case()", last as object, ["default"]);
    otherwise = (last as CaseDefault<CaseValue>).default;
    checkBranch("Case() default", otherwise);
  }
  return new CaseExpression({ kind: "spec", spec: new CaseSpec(whens, otherwise) });
}

function checkBranch(where: string, value: unknown): void {
  const ok =
    value === null ||
    value instanceof Expression ||
    typeof value === "string" ||
    typeof value === "bigint" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value));
  if (!ok)
    throw new ValidationError(
      `${where}: a value must be an expression, a string, a finite number, a bigint, a boolean or null`,
      undefined,
      undefined,
    );
}

/** The kind of an all-literal Case: its literals' type (integers as int, others as float). */
function literalKind(values: readonly CaseLiteral[]): FieldKind | undefined {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return undefined;
  const types = new Set(present.map((v) => typeof v));
  if (types.size > 1)
    throw new ValidationError(
      `Case(): every value must have one type (got ${[...types].join(" and ")})`,
      undefined,
      undefined,
    );
  const first = present[0];
  if (typeof first === "string") return "text";
  if (typeof first === "boolean") return "boolean";
  if (typeof first === "bigint") return "bigint";
  const ints = present.every((v) => Number.isInteger(v) && Math.abs(v as number) <= 2 ** 31 - 1);
  return ints ? "int" : "float";
}

class CaseSpec implements TermSpec {
  readonly name = "Case";
  readonly children: readonly ExpressionTerm[];
  readonly #values: readonly CaseValue[];

  constructor(
    readonly whens: readonly WhenClause<object, CaseValue>[],
    readonly otherwise: CaseValue | undefined,
  ) {
    this.#values = [...whens.map((w) => w.then), ...(otherwise === undefined ? [] : [otherwise])];
    this.children = this.#values.flatMap((v) => (v instanceof Expression ? [v.term] : []));
  }

  check(meta: ModelMeta): void {
    for (const w of this.whens) resolveWhere(meta, w.where);
  }

  resultKind(_meta: ModelMeta, kindOf: (term: ExpressionTerm) => FieldKind): FieldKind {
    const first = this.children[0];
    if (first !== undefined) return kindOf(first);
    return literalKind(this.#values as CaseLiteral[]) ?? "text";
  }

  build(ctx: TermContext): ExpressionNode {
    const { scope } = ctx;
    const kind = ctx.selected ? this.resultKind(scope.model, ctx.kindOf) : ctx.context.kind;
    // Compared with or assigned to a field: literals are that field's values (a decimal's
    // places, an enum's members); selected: values of the Case's own kind.
    const field: FieldMeta = ctx.selected ? standIn("case", kind) : ctx.context;
    const value = (v: CaseValue): ExpressionNode => {
      if (v instanceof Expression) return ctx.node(v.term, field);
      const model = scope.model.name;
      const checked = encodeValue({ dialect: undefined, model, mode: "filter" }, field, v);
      return cast(param(checked, undefined, { model, field }), kind);
    };
    const whens = this.whens.map((w) => ({
      when: whereOf(scope, [resolveWhere(scope.model, w.where)]) ?? literal(true),
      then: value(w.then),
    }));
    const otherwise = this.otherwise === undefined ? undefined : value(this.otherwise);
    return caseWhen(whens, otherwise);
  }
}
