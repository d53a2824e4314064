/**
 * One FROM level of a statement being built: the root model under its alias, the LEFT JOINs
 * its to-one paths needed (aliases `t1`, `t2`, … so self-joins work), and correlated
 * subqueries over to-many relations (EXISTS filters, aggregates).
 */
import { and } from "../ast/and.js";
import { column, type ColumnNode } from "../ast/column.js";
import { comparison } from "../ast/comparison.js";
import { join, type JoinNode } from "../ast/join.js";
import type { ExpressionNode } from "../ast/node.js";
import { select, type SelectNode } from "../ast/select.js";
import { FieldError } from "../errors.js";
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import type { ParamSlots } from "./param-slots.js";
import { type FieldPath, fieldNamed, isToMany, pkField, type Step } from "./path.js";
import { toManyJoins } from "./to-many-join.js";

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
    /** Set while building a statement for a compiled plan: the slots of its filter values. */
    readonly slots?: ParamSlots,
    /** Whether to-many paths may be joined (values(): one row per related row, to-many-join.ts). */
    readonly toMany = false,
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
      if (isToMany(step.relation) && this.toMany) {
        const reached = toManyJoins(step, alias, this.aliases);
        this.joins.push(...reached.joins);
        this.#joined.set(key, reached.alias);
        alias = reached.alias;
        continue;
      }
      if (isToMany(step.relation)) {
        throw new FieldError(
          `${this.model.name}: "${key}" is a to-many relation and cannot be used here`,
          this.model.name,
          key,
        );
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
  if (!field)
    throw new FieldError(`${meta.name} has no field ${name ?? "(key)"}`, meta.name, name ?? "");
  return field;
}

export function columnOf(alias: string, field: FieldMeta): ColumnNode {
  return column(alias, field.column, field.kind);
}

/**
 * A subquery over the target of the to-many step `steps[index]`, correlated with the row of
 * `scope` reached by the steps before it. `body` gets the subquery's scope (rooted at the target)
 * and returns its columns and extra condition.
 */
export function correlated(
  scope: Scope,
  steps: readonly Step[],
  index: number,
  body: (sub: Scope) => { columns: readonly ExpressionNode[]; where?: ExpressionNode | undefined },
): SelectNode {
  const step = steps[index]!;
  const outer = scope.aliasOf(steps.slice(0, index));
  const target = step.to;
  const relation = step.relation;
  const through = relation.kind === "reverseForeignKey" ? undefined : relation.through;
  const link = through ? scope.aliases.next() : undefined;
  const alias = scope.aliases.next();
  const sub = new Scope(target, alias, scope.aliases, scope.slots);
  const { columns, where } = body(sub);
  const ownPk = columnOf(outer, pkField(step.from));
  const conditions = (correlation: ExpressionNode) =>
    where === undefined ? correlation : and([correlation, where]);
  if (relation.kind === "reverseForeignKey") {
    const correlation = comparison(
      "eq",
      columnOf(alias, fieldOf(target, relation.keyField)),
      ownPk,
    );
    return select({
      columns,
      from: { table: target.table, alias },
      joins: sub.joins,
      where: conditions(correlation),
    });
  }
  if (!through || !link)
    throw new FieldError(
      `${step.from.name}.${relation.name} has no join table`,
      step.from.name,
      relation.name,
    );
  const declared = relation.kind === "manyToMany";
  const local = declared ? through.sourceColumn : through.targetColumn;
  const remote = declared ? through.targetColumn : through.sourceColumn;
  const targetPk = pkField(target);
  const on = comparison("eq", columnOf(alias, targetPk), column(link, remote, targetPk.kind));
  const correlation = comparison("eq", column(link, local, pkField(step.from).kind), ownPk);
  return select({
    columns,
    from: { table: through.table, alias: link },
    joins: [join("inner", target.table, alias, on), ...sub.joins],
    where: conditions(correlation),
  });
}
