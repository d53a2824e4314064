/**
 * Joins for an aggregate that crosses more than one to-many relation
 * (`Count("books__tags")`, `Sum("books__reviews__stars")`): inside the correlated subquery over
 * the first to-many relation, every further step is joined — INNER JOINs across to-many steps,
 * LEFT JOINs across to-one steps — so the aggregate reads one row per related row at the end of
 * the path, as Django's joins do (a book with two tags counts twice in `Count("books__tags")`;
 * `distinct: true` counts each tag once). Each annotation stays its own subquery, so two
 * aggregates never multiply each other's rows.
 */
import { column, type ColumnNode } from "../ast/column.js";
import { comparison } from "../ast/comparison.js";
import { join } from "../ast/join.js";
import { FieldError } from "../errors.js";
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import { fieldNamed, isToMany, pkField, type Step } from "./path.js";
import { columnOf, type Scope } from "./scope.js";
import { joinTableOf } from "./through.js";

function keyField(meta: ModelMeta, name: string | undefined): FieldMeta {
  const field = name === undefined ? undefined : fieldNamed(meta, name);
  if (!field)
    throw new FieldError(`${meta.name} has no field ${name ?? "(key)"}`, meta.name, name ?? "");
  return field;
}

/** The column of `field` at the end of `steps` from `scope`'s root, joining every step. */
export function hopColumn(scope: Scope, steps: readonly Step[], field: FieldMeta): ColumnNode {
  if (!steps.some((s) => isToMany(s.relation)))
    return scope.column({
      key: "",
      steps,
      model: steps.at(-1)?.to ?? scope.model,
      field,
      rest: [],
      instanceOf: undefined,
    });
  let alias = scope.alias;
  for (const { relation, from, to } of steps) {
    const next = scope.aliases.next();
    switch (relation.kind) {
      case "foreignKey":
      case "oneToOne": {
        const on = comparison(
          "eq",
          columnOf(next, pkField(to)),
          columnOf(alias, keyField(from, relation.keyField)),
        );
        scope.joins.push(join("left", to.table, next, on));
        alias = next;
        break;
      }
      case "reverseForeignKey":
      case "reverseOneToOne": {
        const on = comparison(
          "eq",
          columnOf(next, keyField(to, relation.keyField)),
          columnOf(alias, pkField(from)),
        );
        scope.joins.push(
          join(relation.kind === "reverseForeignKey" ? "inner" : "left", to.table, next, on),
        );
        alias = next;
        break;
      }
      default: {
        const { table, local, remote, localPk, remotePk } = joinTableOf(from, relation);
        const target = scope.aliases.next();
        scope.joins.push(
          join(
            "inner",
            table,
            next,
            comparison("eq", column(next, local, localPk.kind), columnOf(alias, localPk)),
          ),
        );
        scope.joins.push(
          join(
            "inner",
            to.table,
            target,
            comparison("eq", columnOf(target, remotePk), column(next, remote, remotePk.kind)),
          ),
        );
        alias = target;
      }
    }
  }
  return columnOf(alias, field);
}
