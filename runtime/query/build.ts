/**
 * Resolved conditions and orderings → AST for one dialect. To-one relations become LEFT JOINs
 * (see scope.ts); to-many relations become `EXISTS (…)` subqueries, one per group of conditions
 * on the same relation, so each row is returned once and conditions in one filter() call apply
 * to the same related row.
 */
import { and } from "../ast/and.js";
import { column } from "../ast/column.js";
import { call } from "../ast/function.js";
import { comparison, type ComparisonOp } from "../ast/comparison.js";
import { exists } from "../ast/exists.js";
import { extract } from "../ast/extract.js";
import { inList } from "../ast/in.js";
import { inQuery } from "../ast/in-query.js";
import { isNull } from "../ast/is-null.js";
import { json, type JsonNode } from "../ast/json.js";
import { literal } from "../ast/literal.js";
import { match } from "../ast/match.js";
import type { ExpressionNode } from "../ast/node.js";
import { not } from "../ast/not.js";
import { or } from "../ast/or.js";
import { order, type OrderNode } from "../ast/order.js";
import { select } from "../ast/select.js";
import { param, type StoredAs } from "../ast/param.js";
import type { Param } from "../driver/driver.js";
import { expressionNode } from "./expressions.js";
import { Expression } from "./f.js";
import { isJsonTest, leafField, leafParams } from "./param-slots.js";
import { isToMany, pkField, resolvePath } from "./path.js";
import { columnOf, correlated, type Scope } from "./scope.js";
import { joinTableOf } from "./through.js";
import type { Annotation } from "./state.js";
import type { Cond, Leaf } from "./where.js";

interface Built {
  readonly expr: ExpressionNode;
  /** Whether the expression may evaluate to NULL (then NOT needs COALESCE to stay a complement). */
  readonly nullable: boolean;
}

/** The WHERE (or HAVING) expression of `conds` (ANDed), or undefined when there are none. */
export function whereOf(scope: Scope, conds: readonly Cond[]): ExpressionNode | undefined {
  if (conds.length === 0) return undefined;
  // Each filter() call is built on its own: conditions on a to-many relation made in separate
  // calls may match different related rows (one EXISTS per call), as in Django.
  const parts = conds.map((c) => build(scope, c).expr);
  return parts.length === 1 ? parts[0] : and(parts);
}

function build(scope: Scope, cond: Cond): Built {
  switch (cond.kind) {
    case "leaf":
      return buildAnd(scope, [cond]);
    case "and":
      return buildAnd(scope, cond.items);
    case "or": {
      const items = cond.items.map((c) => build(scope, c));
      return { expr: or(items.map((i) => i.expr)), nullable: items.some((i) => i.nullable) };
    }
    case "not": {
      const inner = build(scope, cond.item);
      const operand = inner.nullable ? call("coalesce", [inner.expr, literal(false)]) : inner.expr;
      return { expr: not(operand), nullable: false };
    }
  }
}

function firstToMany(leaf: Leaf): number {
  return leaf.path.steps.findIndex((s) => isToMany(s.relation));
}

function buildAnd(scope: Scope, conds: readonly Cond[]): Built {
  const parts: Built[] = [];
  const groups = new Map<string, { index: number; leaves: Leaf[] }>();
  for (const cond of conds) {
    const k = cond.kind === "leaf" ? firstToMany(cond) : -1;
    if (cond.kind !== "leaf" || k < 0) {
      parts.push(cond.kind === "leaf" ? buildLeaf(scope, cond) : build(scope, cond));
      continue;
    }
    const key = cond.path.steps
      .slice(0, k + 1)
      .map((s) => s.relation.name)
      .join("__");
    const group = groups.get(key) ?? { index: k, leaves: [] };
    group.leaves.push(cond);
    groups.set(key, group);
  }
  for (const { index, leaves } of groups.values()) {
    // Alone, a NULL test also matches rows with no related row; beside other conditions on the
    // same relation those need a related row anyway, so one EXISTS keeps them on the same row.
    const alone = leaves.length === 1 && matchesNull(leaves[0]!);
    const expr = alone ? nullThrough(scope, index, leaves[0]!) : existsFor(scope, index, leaves);
    parts.push({ expr, nullable: false });
  }
  if (parts.length === 1) return parts[0]!;
  return { expr: and(parts.map((p) => p.expr)), nullable: parts.some((p) => p.nullable) };
}

/**
 * `EXISTS (SELECT 1 FROM target … WHERE correlation AND leaves)` for the to-many step at `index`.
 * Across a many-to-many step whose leaves only compare the target's key (`tags: tag`,
 * `tags__in: [1, 2]`, what `book.tags.all()` runs), the join table alone answers: no join to
 * the target.
 */
function existsFor(scope: Scope, index: number, leaves: readonly Leaf[]): ExpressionNode {
  const step = leaves[0]!.path.steps[index]!;
  const keyOnly =
    step.relation.through !== undefined &&
    leaves.every(
      (l) =>
        l.path.steps.length === index + 1 &&
        l.path.field === pkField(step.to) &&
        l.part === undefined &&
        !(l.value instanceof Expression),
    );
  if (keyOnly) {
    const join = joinTableOf(step.from, step.relation);
    const link = scope.aliases.next();
    const outer = scope.aliasOf(leaves[0]!.path.steps.slice(0, index));
    const remote = column(link, join.remote, join.remotePk.kind);
    const correlation = comparison(
      "eq",
      column(link, join.local, join.localPk.kind),
      columnOf(outer, join.localPk),
    );
    const conditions = leaves.map((l) => buildLeaf(scope, l, remote).expr);
    return exists(
      select({
        columns: [literal(1)],
        from: { table: join.table, alias: link },
        where: and([correlation, ...conditions]),
      }),
    );
  }
  return exists(
    correlated(scope, leaves[0]!.path.steps, index, (sub) => {
      const inner = leaves.map((l): Leaf => {
        const copy = { ...l, path: { ...l.path, steps: l.path.steps.slice(index + 1) } };
        scope.slots?.alias(copy, l);
        return copy;
      });
      return { columns: [literal(1)], where: buildAnd(sub, inner).expr };
    }),
  );
}

/** `isnull: true`, `not_isnull: false` or `exact: null`. */
function matchesNull(leaf: Leaf): boolean {
  return (
    (leaf.lookup === "isnull" && leaf.value === true) ||
    (leaf.lookup === "not_isnull" && leaf.value === false) ||
    (leaf.lookup === "exact" && leaf.value === null)
  );
}

/**
 * A NULL test through the to-many step at `index` matches, as Django's outer join does, rows
 * with no related row at all as well as rows with a related row whose value is NULL:
 * `NOT EXISTS (…) OR EXISTS (… AND value IS NULL)` (`books__isnull: true` = "has no books").
 */
function nullThrough(scope: Scope, index: number, leaf: Leaf): ExpressionNode {
  const none = not(
    exists(correlated(scope, leaf.path.steps, index, () => ({ columns: [literal(1)] }))),
  );
  const last = index === leaf.path.steps.length - 1 && leaf.path.field === pkField(leaf.path.model);
  return last ? none : or([none, existsFor(scope, index, [leaf])]);
}

const COMPARE: Partial<Record<string, ComparisonOp>> = {
  exact: "eq",
  not: "distinct",
  gt: "gt",
  gte: "gte",
  lt: "lt",
  lte: "lte",
  contains: "contains",
  icontains: "icontains",
  startswith: "startswith",
  istartswith: "istartswith",
  endswith: "endswith",
  iendswith: "iendswith",
  iexact: "iexact",
};

/** A leaf as a condition; `on` replaces the column it tests (a join table's key column). */
function buildLeaf(scope: Scope, leaf: Leaf, on?: ExpressionNode): Built {
  const { path, lookup, part, value } = leaf;
  const col =
    on ??
    (leaf.annotation
      ? expressionNode(scope, leaf.annotation.term, pkField(scope.model), true)
      : scope.column(path));
  const operand: ExpressionNode = part ? extract(part, col, path.field.kind) : col;
  // An F() on the right may be NULL too (`small: F("level")`), so NOT must COALESCE it as well.
  const nullable = path.field.nullable || path.steps.length > 0 || value instanceof Expression;
  // Every bound value comes from leafParams, tagged with its slot: while a plan is compiled,
  // the slot's own value (param-slots.ts). The dialect stores it as the column holds it.
  const first = scope.slots?.of(leaf);
  const bound =
    first === undefined
      ? leafParams(leaf)
      : leafParams(leaf).map((_, i) => scope.slots!.value(first + i));
  const slot = (i: number): number | undefined => (first === undefined ? undefined : first + i);
  const field = leafField(leaf);
  const stored: StoredAs | undefined =
    field === undefined ? undefined : { model: path.model.name, field };
  const at = (i: number): ExpressionNode => param(bound[i]!, slot(i), stored);
  const operandOf = (v: unknown): ExpressionNode =>
    v instanceof Expression ? expressionNode(scope, v.term, path.field) : at(0);
  if (isJsonTest(leaf)) {
    // NULL where a key is missing or the document is NULL: NOT must COALESCE it.
    const test = lookup === "isnull" ? (value ? "isnull" : "not_isnull") : lookup;
    return {
      expr: json(test as JsonNode["test"], col, leaf.jsonPath ?? [], value),
      nullable: true,
    };
  }
  switch (lookup) {
    case "regex":
    case "iregex":
    case "search":
      return { expr: match(lookup, operand, param(bound[0]!, slot(0))), nullable };
    case "isnull":
    case "not_isnull":
      return { expr: isNull(operand, (lookup === "isnull") !== value), nullable: false };
    case "in":
    case "not_in":
      if (value instanceof Expression) return inQueryOf(scope, leaf, operand, nullable);
      return {
        expr: inList(operand, bound[0] as readonly Param[], lookup === "not_in", slot(0), stored),
        nullable: lookup === "in" && nullable,
      };
    case "range":
      return {
        expr: and([comparison("gte", operand, at(0)), comparison("lte", operand, at(1))]),
        nullable,
      };
    case "exact":
      if (value === null) return { expr: isNull(operand), nullable: false };
      return { expr: comparison("eq", operand, operandOf(value)), nullable };
    case "not":
      if (value === null) return { expr: isNull(operand, true), nullable: false };
      return { expr: comparison("distinct", operand, operandOf(value)), nullable: false };
    default:
      return { expr: comparison(COMPARE[lookup]!, operand, operandOf(value)), nullable };
  }
}

/**
 * `field__in: query` as `operand IN (SELECT …)`; `not_in` keeps rows whose operand is NULL and
 * is false, never NULL, when the subquery yields a NULL.
 */
function inQueryOf(scope: Scope, leaf: Leaf, operand: ExpressionNode, nullable: boolean): Built {
  const node = expressionNode(scope, (leaf.value as Expression).term, leaf.path.field);
  if (node.kind !== "subquery") throw new TypeError("an in list expression must be a subquery");
  const test = inQuery(operand, node.query);
  if (leaf.lookup === "in") return { expr: test, nullable };
  const notIn = not(call("coalesce", [test, literal(false)]));
  return { expr: or([isNull(operand), notIn]), nullable: false };
}

/** ORDER BY terms for `fields` (`"-field"` descending, paths through to-one relations, annotation names). */
export function orderTerms(
  scope: Scope,
  fields: readonly string[],
  annotations: readonly Annotation[] = [],
): OrderNode[] {
  return fields.map((f) => {
    const descending = f.startsWith("-");
    const name = descending ? f.slice(1) : f;
    const annotation = annotations.find((a) => a.name === name);
    if (annotation)
      return order(
        expressionNode(scope, annotation.term, pkField(scope.model), true),
        descending,
        true,
      );
    const path = resolvePath(scope.model, name, false);
    const nullable = path.field.nullable || path.steps.length > 0;
    return order(scope.column(path), descending, nullable);
  });
}
