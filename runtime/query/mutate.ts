/**
 * `QuerySet.update(data)` and `QuerySet.delete()` as AST. Filters that need joins (or a
 * limit) become `pk IN (SELECT pk …)` so the statement stays portable.
 */
import { deleteFrom, type DeleteNode } from "../ast/delete.js";
import { inQuery } from "../ast/in-query.js";
import type { ExpressionNode } from "../ast/node.js";
import { param } from "../ast/param.js";
import { update, type Assignment, type UpdateNode } from "../ast/update.js";
import { encodeValue } from "../dialect/encode.js";
import { integerRange, isIntegerKind, mayHaveFraction } from "../dialect/integer-operand.js";
import { FieldError, ValidationError } from "../errors.js";
import type { FieldMeta, ModelMeta } from "../model/meta.js";
import { ModelRecord } from "../model/record.js";
import { whereOf } from "./build.js";
import { Aliases, columnOf, Scope } from "./scope.js";
import { expressionNode } from "./expressions.js";
import { Expression } from "./f.js";
import { fieldNamed, isForwardToOne, metaOf, pkField, relationNamed } from "./path.js";
import { onGroupAggregate, type QueryState, selectFor } from "./state.js";

/** The WHERE of an UPDATE/DELETE on `meta.table` selecting the rows of `state`. */
function targetWhere(meta: ModelMeta, state: QueryState): ExpressionNode | undefined {
  if (state.where.some((c) => onGroupAggregate(meta, c)))
    throw new ValidationError(
      `${meta.name}: update() and delete() cannot filter on an aggregate of the rows (a HAVING condition)`,
      meta.name,
      undefined,
    );
  if (state.distinctOn.length > 0)
    throw new ValidationError(
      `${meta.name}: update() and delete() cannot follow distinct(fields)`,
      meta.name,
      undefined,
    );
  const scope = new Scope(meta, meta.table, new Aliases(meta.table));
  const where = whereOf(scope, state.where);
  const sliced = state.limit !== undefined || state.offset !== undefined;
  if (scope.joins.length === 0 && !sliced) return where;
  const pk = pkField(meta);
  const inner = selectFor(
    meta,
    { ...state, lock: undefined, distinct: false },
    (s) => [columnOf(s.alias, pk)],
    {
      ordered: sliced,
      sliced: true,
    },
  );
  return inQuery(columnOf(meta.table, pk), inner);
}

/** The field a key of update()/create() data writes: a field, or a forward relation's key field. */
export function writableField(
  meta: ModelMeta,
  key: string,
): { field: FieldMeta; relation: boolean } {
  const field = fieldNamed(meta, key);
  if (field) return { field, relation: false };
  const relation = relationNamed(meta, key);
  if (relation && isForwardToOne(relation) && relation.keyField !== undefined) {
    const keyField = fieldNamed(meta, relation.keyField);
    if (keyField) return { field: keyField, relation: true };
  }
  throw new FieldError(`${meta.name} has no writable field "${key}"`, meta.name, key);
}

/** The primary key of `value` when it is a model instance given for relation `key` of `meta`. */
export function relationKey(meta: ModelMeta, key: string, value: unknown): unknown {
  if (!(value instanceof ModelRecord)) return value;
  const relation = relationNamed(meta, key);
  const target = relation ? metaOf(relation.target) : undefined;
  const ctor = value.constructor as { meta?: ModelMeta };
  if (!target || ctor.meta?.name !== target.name) {
    throw new ValidationError(
      `${meta.name}.${key}: expected a ${target?.name ?? "value"} instance`,
      meta.name,
      key,
    );
  }
  const pk = (value as unknown as Record<string, unknown>)[target.pk];
  if (pk === undefined || pk === null) {
    throw new ValidationError(
      `${meta.name}.${key}: the ${target.name} instance has no primary key yet (save it first)`,
      meta.name,
      key,
    );
  }
  return pk;
}

export function buildUpdate(
  meta: ModelMeta,
  state: QueryState,
  data: object,
): UpdateNode | undefined {
  const scope = new Scope(meta, meta.table, new Aliases(meta.table));
  const set: Assignment[] = [];
  for (const [key, raw] of Object.entries(data)) {
    if (raw === undefined) continue;
    const { field } = writableField(meta, key);
    let value: ExpressionNode;
    if (raw instanceof Expression) {
      value = expressionNode(scope, raw.term, field);
      if (scope.joins.length > 0) {
        throw new FieldError(
          `${meta.name}: update() expressions may only use the model's own fields (in "${key}")`,
          meta.name,
          key,
        );
      }
      if (isIntegerKind(field.kind) && mayHaveFraction(value)) {
        throw new ValidationError(
          `${meta.name}.${key}: an integer field cannot store this expression, whose value may have a fraction ` +
            `(it reads a float or decimal, or a number with a fraction); wrap it in Cast(…, "integer") to truncate it`,
          meta.name,
          key,
        );
      }
    } else {
      // Checked here (NOT NULL, sizes); stored for the dialect when compiled.
      value = param(
        encodeValue(
          { dialect: undefined, model: meta.name, mode: "write" },
          field,
          relationKey(meta, key, raw),
        ),
        undefined,
        { model: meta.name, field },
      );
    }
    const range = raw instanceof Expression ? integerRange(field.kind) : undefined;
    set.push({
      column: field.column,
      value,
      decimalPlaces: field.kind === "decimal" ? field.decimalPlaces : undefined,
      integer:
        range === undefined
          ? undefined
          : { min: range[0], max: range[1], field: `${meta.name}.${field.name}` },
    });
  }
  if (set.length === 0) return undefined;
  return update({
    table: meta.table,
    set,
    where: targetWhere(meta, state),
    returning: [],
  });
}

export function buildDelete(meta: ModelMeta, state: QueryState): DeleteNode {
  return deleteFrom(meta.table, targetWhere(meta, state));
}
