/**
 * F() expressions, functions and aggregates → AST, and the field kind of their result (how a
 * selected annotation is decoded). Aggregates over a to-many path become correlated subqueries.
 */
import { arithmetic } from "../ast/arithmetic.js";
import { builtin } from "../ast/builtin.js";
import { call } from "../ast/function.js";
import type { ExpressionNode } from "../ast/node.js";
import { param } from "../ast/param.js";
import { subquery } from "../ast/subquery.js";
import { canonicalDecimal } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import { FieldError, ValidationError } from "../errors.js";
import type { FieldKind, FieldMeta, ModelMeta } from "../model/meta.js";
import { hopColumn } from "./many-hops.js";
import { correlated, type Scope } from "./scope.js";
import { Expression, type ExpressionTerm } from "./f.js";
import { whereOf } from "./build.js";
import {
  type FieldPath,
  fieldNamed,
  isToMany,
  pkField,
  relationNamed,
  resolvePath,
} from "./path.js";
import { type Cond, resolveWhere } from "./where.js";

const AGGREGATES = new Set(["count", "sum", "avg", "min", "max", "string_agg", "array_agg"]);

/**
 * An expression term as AST; literals are encoded next to `context` (the field they combine
 * with). `selected` says the expression is selected or ordered by rather than assigned or
 * compared, so `context` is only a stand-in.
 */
export function expressionNode(
  scope: Scope,
  term: ExpressionTerm,
  context: FieldMeta,
  selected = false,
): ExpressionNode {
  switch (term.kind) {
    case "field":
      return scope.column(resolvePath(scope.model, term.name, false));
    case "value":
      return param(literalValue(scope, term.value, context));
    case "spec":
      return term.spec.build({
        scope,
        context,
        selected,
        node: (t, c) => expressionNode(scope, t, c ?? context, selected),
        kindOf: (t) => resultKind(scope.model, t),
      });
    case "arithmetic": {
      // A literal beside a decimal field is that field's kind of value ("0.01" is a decimal).
      const left = expressionNode(
        scope,
        term.left,
        besideField(scope, term.right, context),
        selected,
      );
      const right = expressionNode(
        scope,
        term.right,
        besideField(scope, term.left, context),
        selected,
      );
      if (term.op === "**") return builtin("power", [left, right], { float: true });
      if (term.op === "%") {
        const kind = resultKind(scope.model, term);
        const scale = kind === "decimal" ? decimalScale(scope.model, term) : undefined;
        return builtin("mod", [left, right], { float: kind === "float", scale });
      }
      return arithmetic(term.op, left, right);
    }
    case "function": {
      const first = term.args[0];
      const path =
        first?.kind === "field" ? resolvePath(scope.model, first.name, false) : undefined;
      const scale =
        path?.field.kind === "decimal" && term.name !== "count"
          ? path.field.decimalPlaces
          : undefined;
      const manyAt = path ? path.steps.findIndex((s) => isToMany(s.relation)) : -1;
      if (term.name === "string_agg" || term.name === "array_agg")
        checkListed(scope.model, term.name, path);
      if (!AGGREGATES.has(term.name) || !path || manyAt < 0) {
        const filter =
          term.filter === undefined
            ? undefined
            : whereOf(scope, [resolveWhere(scope.model, term.filter)]);
        return call(
          term.name,
          term.args.map((a) => expressionNode(scope, a, path?.field ?? context, selected)),
          term.distinct,
          scale,
          filter,
        );
      }
      const filter =
        term.filter === undefined ? undefined : relatedFilter(scope.model, term, path, manyAt);
      const query = correlated(scope, path.steps, manyAt, (sub) => ({
        columns: [
          call(
            term.name,
            [
              hopColumn(sub, path.steps.slice(manyAt + 1), path.field),
              ...term.args.slice(1).map((a) => expressionNode(sub, a, path.field)),
            ],
            term.distinct,
            scale,
          ),
        ],
        where: filter === undefined ? undefined : whereOf(sub, [filter]),
      }));
      return subquery(query);
    }
  }
}

/** Kinds StringAgg / ArrayAgg read back the same from both databases. */
const LISTED: Record<"string_agg" | "array_agg", ReadonlySet<FieldKind>> = {
  string_agg: new Set(["char", "text", "charEnum"]),
  array_agg: new Set(["int", "smallint", "intEnum", "float", "char", "text", "charEnum", "uuid"]),
};

function checkListed(
  meta: ModelMeta,
  name: "string_agg" | "array_agg",
  path: FieldPath | undefined,
): void {
  const kind = path?.field.kind;
  if (kind === undefined || !LISTED[name].has(kind))
    throw new ValidationError(
      `${meta.name}: ${name === "string_agg" ? "StringAgg" : "ArrayAgg"}() does not take a ${kind ?? "computed"} value (it would read back differently on each database)`,
      meta.name,
      path?.key,
    );
}

/**
 * The filter of an aggregate over the to-many step `manyAt` of `path`, as a condition on that
 * relation's rows (the subquery's own WHERE): every key must go through the same relation
 * (`Count("books", { filter: { books__published: true } })`).
 */
function relatedFilter(
  meta: ModelMeta,
  term: Extract<ExpressionTerm, { kind: "function" }>,
  path: FieldPath,
  manyAt: number,
): Cond {
  const through = path.steps.slice(0, manyAt + 1);
  const prefix = through.map((s) => s.relation.name).join("__");
  const crossesMore = path.steps.slice(manyAt + 1).some((s) => isToMany(s.relation));
  const strip = (cond: Cond): Cond => {
    switch (cond.kind) {
      case "leaf": {
        const steps = cond.path.steps;
        const under =
          cond.annotation === undefined &&
          steps.length > manyAt &&
          through.every((s, i) => steps[i]?.relation === s.relation);
        if (!under)
          throw new FieldError(
            `${meta.name}: the filter of ${term.name}("${path.key}") may only name paths through "${prefix}" (such as "${prefix}__…"), not "${cond.path.key}"`,
            meta.name,
            cond.path.key,
          );
        const rest = steps.slice(manyAt + 1);
        if (crossesMore && rest.some((s) => isToMany(s.relation)))
          // Its rows are join rows there: an EXISTS per related row would mean something else.
          throw new FieldError(
            `${meta.name}: the filter of ${term.name}("${path.key}"), which crosses several to-many relations, may not go through a further to-many relation ("${cond.path.key}")`,
            meta.name,
            cond.path.key,
          );
        return { ...cond, path: { ...cond.path, steps: rest } };
      }
      case "not":
        return { kind: "not", item: strip(cond.item) };
      default:
        return { kind: cond.kind, items: cond.items.map(strip) };
    }
  };
  return strip(resolveWhere(meta, term.filter!));
}

/** The context of an operand beside `other`: `other`'s field when it is a decimal field. */
function besideField(scope: Scope, other: ExpressionTerm, context: FieldMeta): FieldMeta {
  if (other.kind !== "field") return context;
  const field = resolvePath(scope.model, other.name, false).field;
  return field.kind === "decimal" ? field : context;
}

function literalValue(scope: Scope, value: unknown, context: FieldMeta): Param {
  const model = scope.model.name;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && context.kind === "decimal") {
    return canonicalDecimal(
      { dialect: undefined, model, mode: "filter" },
      { ...context, maxDigits: undefined, decimalPlaces: undefined },
      value,
    );
  }
  if (typeof value === "string" && (context.kind === "char" || context.kind === "text"))
    return value;
  throw new ValidationError(
    `${model}.${context.name}: expression operands must be finite numbers`,
    model,
    context.name,
  );
}

/**
 * An annotation as selected: decimal arithmetic, and the Sum, Min or Max of it, is rounded to the
 * scale of the decimal field it starts from, so every database returns the same canonical text
 * ("5.00", not "5" on SQLite, "0.250" on Postgres or 30 more places on MariaDB, which computes
 * with its bound values at 30 places; `Sum(F("price").mul(3))` summed as SQLite's doubles is
 * 299999999.99999994 before rounding, 300000000.00 after).
 */
export function selectedExpression(
  scope: Scope,
  term: ExpressionTerm,
  context: FieldMeta,
): ExpressionNode {
  const node = expressionNode(scope, term, context, true);
  const arithmetic =
    term.kind === "function" && ROUNDED_AGGREGATES.has(term.name) ? term.args[0] : term;
  const decimal =
    arithmetic?.kind === "arithmetic" && resultKind(scope.model, arithmetic) === "decimal";
  const scale = decimal ? decimalScale(scope.model, arithmetic) : undefined;
  return scale === undefined ? node : call("round", [node], false, scale);
}

/** Aggregates whose value is of their argument's kind: of decimal arithmetic, a decimal. */
const ROUNDED_AGGREGATES = new Set(["sum", "min", "max"]);

/** The places of the first decimal field an arithmetic term reads, if any. */
function decimalScale(meta: ModelMeta, term: ExpressionTerm): number | undefined {
  if (term.kind === "field") {
    const field = resolvePath(meta, term.name, false).field;
    return field.kind === "decimal" ? field.decimalPlaces : undefined;
  }
  if (term.kind !== "arithmetic") return undefined;
  return decimalScale(meta, term.left) ?? decimalScale(meta, term.right);
}

/**
 * Whether `term` aggregates the rows of the query itself (`Count()`, `Max("price")`), as opposed
 * to one value per row (a field, a function, an aggregate over a to-many relation, which is a
 * correlated subquery). A condition on such a term belongs in HAVING.
 */
export function isGroupAggregate(meta: ModelMeta, term: ExpressionTerm): boolean {
  switch (term.kind) {
    case "field":
    case "value":
      return false;
    case "spec":
      return term.spec.children.some((t) => isGroupAggregate(meta, t));
    case "arithmetic":
      return isGroupAggregate(meta, term.left) || isGroupAggregate(meta, term.right);
    case "function": {
      const first = term.args[0];
      if (!AGGREGATES.has(term.name)) return term.args.some((a) => isGroupAggregate(meta, a));
      if (first?.kind !== "field") return true;
      return !resolvePath(meta, first.name, false).steps.some((s) => isToMany(s.relation));
    }
  }
}

/**
 * Checks `annotate()` input: expressions only, names clear of fields, relations and the members
 * of an instance (`prototype`: the model's; an annotation named `save` would replace the method,
 * one named `__proto__` would vanish), known field paths.
 */
export function checkAnnotations(
  meta: ModelMeta,
  prototype: object,
  annotations: Record<string, unknown>,
): { name: string; term: ExpressionTerm }[] {
  return Object.entries(annotations).map(([name, expression]) => {
    const why = !(expression instanceof Expression)
      ? "is not an expression"
      : fieldNamed(meta, name) || relationNamed(meta, name)
        ? "conflicts with a field or relation"
        : name in prototype
          ? `conflicts with the instance member "${name}" (choose another name)`
          : undefined;
    if (why || !(expression instanceof Expression))
      throw new ValidationError(`${meta.name}: annotation "${name}" ${why}`, meta.name, name);
    checkTerm(meta, expression.term);
    return { name, term: expression.term };
  });
}

/** Checks every field path in `term` against `meta` (FieldError early, before any SQL). */
function checkTerm(meta: ModelMeta, term: ExpressionTerm): void {
  if (term.kind === "field") resolvePath(meta, term.name, false);
  else if (term.kind === "arithmetic") [term.left, term.right].forEach((t) => checkTerm(meta, t));
  else if (term.kind === "spec") {
    term.spec.children.forEach((t) => checkTerm(meta, t));
    term.spec.check?.(meta);
  } else if (term.kind === "function") {
    term.args.forEach((t) => checkTerm(meta, t));
    if (term.filter !== undefined) checkFilter(meta, term);
  }
}

/** Resolves an aggregate's filter once, so a bad key is a FieldError before any SQL. */
function checkFilter(meta: ModelMeta, term: Extract<ExpressionTerm, { kind: "function" }>): void {
  if (!AGGREGATES.has(term.name))
    throw new ValidationError(`${meta.name}: only aggregates take a filter`, meta.name, undefined);
  const first = term.args[0];
  const path = first?.kind === "field" ? resolvePath(meta, first.name, false) : undefined;
  const manyAt = path ? path.steps.findIndex((s) => isToMany(s.relation)) : -1;
  if (path && manyAt >= 0) relatedFilter(meta, term, path, manyAt);
  else resolveWhere(meta, term.filter!);
}

/** The field kind a selected expression decodes as. */
export function resultKind(meta: ModelMeta, term: ExpressionTerm): FieldKind {
  switch (term.kind) {
    case "field":
      return resolvePath(meta, term.name, false).field.kind;
    case "value":
      return typeof term.value === "string"
        ? "text"
        : typeof term.value === "bigint"
          ? "bigint"
          : "float";
    case "spec":
      return term.spec.resultKind(meta, (t) => resultKind(meta, t));
    case "arithmetic": {
      if (term.op === "**") return "float";
      const left = resultKind(meta, term.left);
      if (left !== "int" && left !== "smallint" && left !== "bigint") return left;
      // An integer with a decimal is a decimal, with a float a float, as Postgres computes them.
      const right = resultKind(meta, term.right);
      if (right === "float" || right === "decimal") return right;
      return left === "bigint" ? "bigint" : "int";
    }
    case "function":
      if (term.name === "count" || term.name === "length") return "int";
      if (term.name === "avg") return "float";
      if (term.name === "lower" || term.name === "upper" || term.name === "trim") return "text";
      if (term.name === "string_agg") return "text";
      if (term.name === "array_agg") return "json";
      return term.args[0] ? resultKind(meta, term.args[0]) : "int";
  }
}
