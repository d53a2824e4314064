/**
 * `bulkUpdate(instances, fields, { batchSize })`: writes `fields` of saved instances, one
 * statement per batch (Django's `bulk_update`):
 *
 *     UPDATE "books" SET "title" = CASE WHEN "books"."id" = $1 THEN $2 … ELSE "books"."title" END, …
 *     WHERE "books"."id" IN (…)
 *
 * Every value is bound. The ELSE arm names the column, which also gives Postgres the type of
 * the bound THEN values (CASE resolves its type from the one typed arm), so no casts are
 * needed and both databases run the same text. Batches stay under the bind-parameter limit
 * and run in one transaction; everything is checked before the first statement.
 */
import { caseWhen } from "../ast/case.js";
import { comparison } from "../ast/comparison.js";
import { inList } from "../ast/in.js";
import { param } from "../ast/param.js";
import { update, type UpdateNode } from "../ast/update.js";
import { encodeValue, storeChecked } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { ValidationError } from "../errors.js";
import { checkOptions } from "../options.js";
import { storedAsOf } from "../query/insert.js";
import { ownFieldName } from "../query/path.js";
import { columnOf } from "../query/scope.js";
import { runExecute } from "../query/run.js";
import { inTransaction } from "../transaction.js";
import type { ModelManager } from "./manager.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import { Model } from "./model.js";
import type { ModelRecord } from "./record.js";
import { rememberFields } from "./snapshot.js";
import type { ModelTypes } from "./types.js";

export interface BulkUpdateOptions {
  /** Instances per UPDATE (further capped by the database's bind-parameter limit). */
  readonly batchSize?: number;
}

type Row = Record<string, unknown>;

function fail(meta: ModelMeta, message: string, field?: string): ValidationError {
  return new ValidationError(`${meta.name}: bulkUpdate() ${message}`, meta.name, field);
}

/** The fields to write: own fields or to-one relation names, never the primary key. */
function fieldsToWrite(meta: ModelMeta, names: unknown): FieldMeta[] {
  if (!Array.isArray(names) || names.length === 0)
    throw fail(meta, "needs a non-empty array of field names");
  const wanted = new Set(
    names.map((name: unknown) => {
      if (typeof name !== "string") throw fail(meta, "takes field names");
      return ownFieldName(meta, name, "bulkUpdate()");
    }),
  );
  if (wanted.has(meta.pk))
    throw fail(meta, "cannot write the primary key (it finds the rows)", meta.pk);
  return meta.fields.filter((f) => wanted.has(f.name));
}

function keysOf(
  meta: ModelMeta,
  model: unknown,
  instances: unknown,
  fields: readonly FieldMeta[],
): unknown[] {
  if (!Array.isArray(instances)) throw fail(meta, "expects an array of instances");
  const seen = new Set<unknown>();
  return instances.map((instance: unknown, i) => {
    if (!(instance instanceof Model) || instance.constructor !== model)
      throw fail(meta, `instance ${i} is not a ${meta.name}`);
    const row = instance as unknown as Row;
    const key = row[meta.pk];
    if (key === undefined || key === null)
      throw fail(meta, `instance ${i} has no primary key (save it first)`, meta.pk);
    const missing = fields.find((f) => row[f.name] === undefined);
    if (missing)
      throw fail(meta, `instance ${i} has no value for ${missing.name} (not loaded)`, missing.name);
    const identity = typeof key === "bigint" ? `${key}n` : key;
    if (seen.has(identity)) throw fail(meta, `lists the row ${String(key)} twice`, meta.pk);
    seen.add(identity);
    return key;
  });
}

/** The instances' checked values: each one's key, then its value of each field. */
interface Checked {
  readonly keys: readonly Param[];
  /** By field, then by instance. */
  readonly values: readonly (readonly Param[])[];
}

/**
 * Every key and value checked as update() checks them (and tried in the dialect's stored form,
 * so a value the database cannot hold is refused before the first statement), instance by
 * instance in field order; the statements then bind these checked values.
 */
function checkAll(
  meta: ModelMeta,
  pk: FieldMeta,
  fields: readonly FieldMeta[],
  instances: readonly ModelRecord[],
  dialect: Dialect,
): Checked {
  const ctx = { dialect: undefined, model: meta.name, mode: "write" } as const;
  const keys: Param[] = new Array(instances.length);
  const values: Param[][] = fields.map(() => new Array(instances.length));
  const check = (field: FieldMeta, value: unknown): Param => {
    const checked = encodeValue(ctx, field, value);
    storeChecked(dialect, meta.name, field, checked);
    return checked;
  };
  instances.forEach((m, i) => {
    const row = m as unknown as Row;
    keys[i] = check(pk, row[meta.pk]);
    fields.forEach((field, f) => (values[f]![i] = check(field, row[field.name])));
  });
  return { keys, values };
}

/**
 * The UPDATE of the instances `from`–`to` of `checked`, the same for every dialect: each value
 * a param node naming its field, which the compiler stores for its dialect.
 */
function buildBatch(
  meta: ModelMeta,
  pk: FieldMeta,
  fields: readonly FieldMeta[],
  checked: Checked,
  from: number,
  to: number,
): UpdateNode {
  const pkColumn = columnOf(meta.table, pk);
  const pkStored = storedAsOf(meta.name, pk);
  const keys = checked.keys.slice(from, to);
  const values = fields.map((field, f) => {
    const column = storedAsOf(meta.name, field);
    return checked.values[f]!.slice(from, to).map((v) => param(v, undefined, column));
  });
  const set = fields.map((field, f) => ({
    column: field.column,
    value: caseWhen(
      keys.map((key, i) => ({
        when: comparison("eq", pkColumn, param(key, undefined, pkStored)),
        then: values[f]![i]!,
      })),
      columnOf(meta.table, field),
    ),
  }));
  return update({
    table: meta.table,
    set,
    where: inList(pkColumn, keys, false, undefined, pkStored),
    returning: [],
    rows: {
      key: pkColumn,
      columns: fields.map((f) => f.column),
      rows: keys.map((key, i) => ({
        key: param(key, undefined, pkStored),
        values: values.map((v) => v[i]!),
      })),
    },
  });
}

/**
 * Writes `fields` of every instance; resolves to the number of rows changed. Checked before any
 * SQL: the field names, each instance (a saved instance of this model, listed once, with the
 * fields loaded) and every value (as update() checks it).
 */
export async function bulkUpdate<T extends ModelTypes>(
  manager: ModelManager<T>,
  instances: readonly T["model"][],
  names: readonly string[],
  options: BulkUpdateOptions = {},
): Promise<number> {
  const meta = manager.meta;
  checkOptions(meta.name, "bulkUpdate()", options, ["batchSize"]);
  const { batchSize } = options;
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1))
    throw fail(meta, "batchSize expects a positive integer");
  const fields = fieldsToWrite(meta, names);
  keysOf(meta, manager.model, instances, fields);
  if (instances.length === 0) return 0;
  const driver = manager.writeDriver();
  const pk = meta.fields.find((f) => f.name === meta.pk)!;
  // Every value is checked before the first statement is sent.
  const checked = checkAll(meta, pk, fields, instances, driver.dialect);
  const perRow = 2 * fields.length + 1;
  const limit = Math.floor(driver.maxParams / perRow);
  const size = Math.max(1, Math.min(batchSize ?? Infinity, limit));
  const batches: [number, number][] = [];
  for (let i = 0; i < instances.length; i += size)
    batches.push([i, Math.min(i + size, instances.length)]);
  const hooks = manager.hooks;
  const run = async (): Promise<number> => {
    let count = 0;
    for (const [from, to] of batches)
      count += await runExecute(
        () => buildBatch(meta, pk, fields, checked, from, to),
        manager.writeDriver(),
      );
    for (const m of instances) rememberFields(meta, m, fields);
    if (hooks?.has("bulkUpdate"))
      await hooks.emit("bulkUpdate", { instances, fields: fields.map((f) => f.name), count });
    return count;
  };
  return batches.length > 1 || hooks?.has("bulkUpdate")
    ? inTransaction(run, manager.writeScope())
    : run();
}
