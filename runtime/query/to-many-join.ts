/**
 * A to-many relation as LEFT JOINs, for values() / valuesList() paths such as `books__title`
 * (one row per related row, as in Tortoise and Django; a row with no related row keeps one
 * row whose related values are NULL). A reverse foreign key is one join; a many-to-many
 * relation two, the join table and then the target. Filters never use these joins: a filter
 * through a to-many relation stays an EXISTS (build.ts), so it picks rows of the model queried.
 */
import { column } from "../ast/column.js";
import { comparison } from "../ast/comparison.js";
import { join, type JoinNode } from "../ast/join.js";
import { FieldError } from "../errors.js";
import type { FieldMeta } from "../model/meta.js";
import { fieldNamed, pkField, type Step } from "./path.js";
import type { Aliases } from "./scope.js";
import { joinTableOf } from "./through.js";

const columnOf = (alias: string, field: FieldMeta) => column(alias, field.column, field.kind);

/** The joins reaching the target of to-many `step` from the row under alias `from`. */
export function toManyJoins(
  step: Step,
  from: string,
  aliases: Aliases,
): { joins: JoinNode[]; alias: string } {
  const ownPk = columnOf(from, pkField(step.from));
  if (step.relation.kind === "reverseForeignKey") {
    const key =
      step.relation.keyField === undefined
        ? undefined
        : fieldNamed(step.to, step.relation.keyField);
    if (!key)
      throw new FieldError(
        `${step.from.name}.${step.relation.name} has no key field`,
        step.from.name,
        step.relation.name,
      );
    const alias = aliases.next();
    const on = comparison("eq", columnOf(alias, key), ownPk);
    return { joins: [join("left", step.to.table, alias, on)], alias };
  }
  const link = joinTableOf(step.from, step.relation);
  const linkAlias = aliases.next();
  const alias = aliases.next();
  const toLink = comparison("eq", column(linkAlias, link.local, link.localPk.kind), ownPk);
  const toTarget = comparison(
    "eq",
    columnOf(alias, link.remotePk),
    column(linkAlias, link.remote, link.remotePk.kind),
  );
  return {
    joins: [
      join("left", link.table, linkAlias, toLink),
      join("left", step.to.table, alias, toTarget),
    ],
    alias,
  };
}
