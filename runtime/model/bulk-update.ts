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
import { encodeValue } from "../dialect/encode.js";
import type { Dialect } from "../dialect/dialect.js";
import { ValidationError } from "../errors.js";
import { checkOptions } from "../options.js";
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

function buildBatch(
  meta: ModelMeta,
  fields: readonly FieldMeta[],
  instances: readonly ModelRecord[],
  dialect: Dialect,
): UpdateNode {
  const ctx = { dialect, model: meta.name, mode: "write" } as const;
  const pk = meta.fields.find((f) => f.name === meta.pk)!;
  const pkColumn = columnOf(meta.table, pk);
  const keys = instances.map((m) => encodeValue(ctx, pk, (m as unknown as Row)[meta.pk]));
  const values = fields.map((field) =>
    instances.map((m) => param(encodeValue(ctx, field, (m as unknown as Row)[field.name]))),
  );
  const set = fields.map((field, f) => ({
    column: field.column,
    value: caseWhen(
      instances.map((_m, i) => ({
        when: comparison("eq", pkColumn, param(keys[i]!)),
        then: values[f]![i]!,
      })),
      columnOf(meta.table, field),
    ),
  }));
  return update({
    table: meta.table,
    set,
    where: inList(pkColumn, keys),
    returning: [],
    rows: {
      key: pkColumn,
      columns: fields.map((f) => f.column),
      rows: keys.map((key, i) => ({ key: param(key), values: values.map((v) => v[i]!) })),
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
  const dialect = driver.dialect;
  // Every value is encoded (and so checked) before the first statement is sent.
  for (const m of instances) buildBatch(meta, fields, [m], dialect);
  const perRow = 2 * fields.length + 1;
  const limit = Math.floor(driver.maxParams / perRow);
  const size = Math.max(1, Math.min(batchSize ?? Infinity, limit));
  const batches: ModelRecord[][] = [];
  for (let i = 0; i < instances.length; i += size) batches.push(instances.slice(i, i + size));
  const hooks = manager.hooks;
  const run = async (): Promise<number> => {
    let count = 0;
    for (const batch of batches)
      count += await runExecute((d) => buildBatch(meta, fields, batch, d), manager.writeDriver());
    for (const m of instances) rememberFields(meta, m, fields);
    if (hooks?.has("bulkUpdate"))
      await hooks.emit("bulkUpdate", { instances, fields: fields.map((f) => f.name), count });
    return count;
  };
  return batches.length > 1 || hooks?.has("bulkUpdate")
    ? inTransaction(run, manager.writeScope())
    : run();
}
