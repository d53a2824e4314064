/**
 * Resolved conditions, orderings and F expressions → AST for one dialect. To-one relations
 * become LEFT JOINs with aliases `t1`, `t2`, … (so self-joins work); to-many relations become
 * `EXISTS (…)` subqueries, one per group of conditions on the same relation, so each row is
 * returned once and conditions in one filter() call apply to the same related row.
 */
import { and } from "../ast/and.js";
import { arithmetic } from "../ast/arithmetic.js";
import { call } from "../ast/function.js";
import { column, type ColumnNode } from "../ast/column.js";
import { comparison, type ComparisonOp } from "../ast/comparison.js";
import { exists } from "../ast/exists.js";
import { extract } from "../ast/extract.js";
import { inList } from "../ast/in.js";
import { isNull } from "../ast/is-null.js";
import { join, type JoinNode } from "../ast/join.js";
import { literal } from "../ast/literal.js";
import type { ExpressionNode } from "../ast/node.js";
import { not } from "../ast/not.js";
import { or } from "../ast/or.js";
import { order, type OrderNode } from "../ast/order.js";
import { param } from "../ast/param.js";
import { select } from "../ast/select.js";
import { canonicalDecimal, encodeValue } from "../dialect/encode.js";
import type { Dialect, Param } from "../driver/driver.js";
import { FieldError, ValidationError } from "../errors.js";
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import { Expression, type ExpressionTerm } from "./f.js";
import { type FieldPath, fieldNamed, isToMany, pkField, resolvePath, type Step } from "./path.js";
import type { Cond, Leaf } from "./where.js";

/** Hands out join aliases unique within one statement (never the root table's name). */
export class Aliases {
  #n = 0;
  constructor(private readonly reserved: string) {}
  next(): string {
    let alias: string;
    do alias = `t${++this.#n}`;
    while (alias === this.reserved);
    return alias;
  }
}

/** One FROM level: the root model under `alias` and the LEFT JOINs its conditions needed. */
export class Scope {
  readonly joins: JoinNode[] = [];
  readonly #joined = new Map<string, string>();

  constructor(
    readonly model: ModelMeta,
    readonly alias: string,
    readonly aliases: Aliases,
    readonly dialect: Dialect,
  ) {}

  /** The alias of the model reached by to-one `steps`, joining what is missing. */
  aliasOf(steps: readonly Step[]): string {
    let alias = this.alias;
    let key = "";
    for (const step of steps) {
      key += `${key ? "__" : ""}${step.relation.name}`;
      const known = this.#joined.get(key);
      if (known !== undefined) {
        alias = known;
        continue;
      }
      if (isToMany(step.relation)) {
        throw new FieldError(`${this.model.name}: "${key}" is a to-many relation and cannot be used here`, this.model.name, key);
      }
      const next = this.aliases.next();
      const forward = step.relation.kind === "foreignKey" || step.relation.kind === "oneToOne";
      const keyField = fieldOf(forward ? step.from : step.to, step.relation.keyField);
      const on = forward
        ? comparison("eq", columnOf(next, pkField(step.to)), columnOf(alias, keyField))
        : comparison("eq", columnOf(next, keyField), columnOf(alias, pkField(step.from)));
      this.joins.push(join("left", step.to.table, next, on));
      this.#joined.set(key, next);
      alias = next;
    }
    return alias;
  }

  column(path: FieldPath): ColumnNode {
    return columnOf(this.aliasOf(path.steps), path.field);
  }
}

function fieldOf(meta: ModelMeta, name: string | undefined): FieldMeta {
  const field = name === undefined ? undefined : fieldNamed(meta, name);
  if (!field) throw new FieldError(`${meta.name} has no field ${name ?? "(key)"}`, meta.name, name ?? "");
  return field;
}

export function columnOf(alias: string, field: FieldMeta): ColumnNode {
  return column(alias, field.column, field.kind);
}

interface Built {
  readonly expr: ExpressionNode;
  /** Whether the expression may evaluate to NULL (then NOT needs COALESCE to stay a complement). */
  readonly nullable: boolean;
}

/** The WHERE expression of `conds` (ANDed), or undefined when there are none. */
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
    const key = cond.path.steps.slice(0, k + 1).map((s) => s.relation.name).join("__");
    const group = groups.get(key) ?? { index: k, leaves: [] };
    group.leaves.push(cond);
    groups.set(key, group);
  }
  for (const group of groups.values()) parts.push({ expr: existsFor(scope, group.index, group.leaves), nullable: false });
  if (parts.length === 1) return parts[0]!;
  return { expr: and(parts.map((p) => p.expr)), nullable: parts.some((p) => p.nullable) };
}

/** `EXISTS (SELECT 1 FROM target … WHERE correlation AND leaves)` for the to-many step at `index`. */
function existsFor(scope: Scope, index: number, leaves: readonly Leaf[]): ExpressionNode {
  const first = leaves[0]!.path;
  const step = first.steps[index]!;
  const outer = scope.aliasOf(first.steps.slice(0, index));
  const target = step.to;
  const through = step.relation.kind === "reverseForeignKey" ? undefined : step.relation.through;
  const link = through ? scope.aliases.next() : undefined;
  const alias = scope.aliases.next();
  const sub = new Scope(target, alias, scope.aliases, scope.dialect);
  const inner = leaves.map((l): Leaf => ({ ...l, path: { ...l.path, steps: l.path.steps.slice(index + 1) } }));
  const condition = buildAnd(sub, inner).expr;
  const ownPk = columnOf(outer, pkField(step.from));
  const relation = step.relation;
  if (relation.kind === "reverseForeignKey") {
    const correlation = comparison("eq", columnOf(alias, fieldOf(target, relation.keyField)), ownPk);
    return exists(select({ columns: [literal(1)], from: { table: target.table, alias }, joins: sub.joins, where: and([correlation, condition]) }));
  }
  if (!through || !link) throw new FieldError(`${step.from.name}.${relation.name} has no join table`, step.from.name, relation.name);
  const declared = relation.kind === "manyToMany";
  const local = declared ? through.sourceColumn : through.targetColumn;
  const remote = declared ? through.targetColumn : through.sourceColumn;
  const targetPk = pkField(target);
  const on = comparison("eq", columnOf(alias, targetPk), column(link, remote, targetPk.kind));
  const correlation = comparison("eq", column(link, local, pkField(step.from).kind), ownPk);
  return exists(
    select({
      columns: [literal(1)],
      from: { table: through.table, alias: link },
      joins: [join("inner", target.table, alias, on), ...sub.joins],
      where: and([correlation, condition]),
    }),
  );
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

function buildLeaf(scope: Scope, leaf: Leaf): Built {
  const { path, lookup, part, value } = leaf;
  const col = scope.column(path);
  const operand: ExpressionNode = part ? extract(part, col, path.field.kind) : col;
  const nullable = path.field.nullable || path.steps.length > 0;
  const encode = (v: unknown): Param =>
    part ? (v as number) : encodeValue({ dialect: scope.dialect, model: path.model.name, mode: "filter" }, path.field, v);
  const operandOf = (v: unknown): ExpressionNode => (v instanceof Expression ? expressionNode(scope, v.term, path.field) : param(encode(v)));
  switch (lookup) {
    case "isnull":
    case "not_isnull":
      return { expr: isNull(operand, (lookup === "isnull") !== value), nullable: false };
    case "in":
    case "not_in":
      return { expr: inList(operand, (value as unknown[]).map(encode), lookup === "not_in"), nullable: lookup === "in" && nullable };
    case "range": {
      const [low, high] = value as [unknown, unknown];
      return { expr: and([comparison("gte", operand, param(encode(low))), comparison("lte", operand, param(encode(high)))]), nullable };
    }
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

/** An F() term as AST: fields resolve through to-one relations; literals bind next to `context`. */
export function expressionNode(scope: Scope, term: ExpressionTerm, context: FieldMeta): ExpressionNode {
  switch (term.kind) {
    case "field":
      return scope.column(resolvePath(scope.model, term.name, false));
    case "value":
      return param(arithmeticValue(scope, term.value, context));
    case "arithmetic":
      return arithmetic(term.op, expressionNode(scope, term.left, context), expressionNode(scope, term.right, context));
  }
}

function arithmeticValue(scope: Scope, value: unknown, context: FieldMeta): Param {
  const model = scope.model.name;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && context.kind === "decimal") {
    return canonicalDecimal({ dialect: scope.dialect, model, mode: "filter" }, { ...context, maxDigits: undefined, decimalPlaces: undefined }, value);
  }
  throw new ValidationError(`${model}.${context.name}: F() operands must be finite numbers`, model, context.name);
}

/** ORDER BY terms for `fields` (`"-field"` descending, paths through to-one relations). */
export function orderTerms(scope: Scope, fields: readonly string[]): OrderNode[] {
  return fields.map((f) => {
    const descending = f.startsWith("-");
    const path = resolvePath(scope.model, descending ? f.slice(1) : f, false);
    return order(scope.column(path), descending);
  });
}
