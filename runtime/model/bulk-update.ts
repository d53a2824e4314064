/**
 * `bulkUpdate(instances, fields, { batchSize })`: writes `fields` of saved instances, one
 * statement per batch (Django's `bulk_update`), the table joined with the batch's rows by key
 * (ast/update-rows.ts):
 *
 *     WITH "yara_rows" ("yara_key", "yara_v0") AS (VALUES ($1, $2), ($3, $4), …)
 *     UPDATE "books" SET "title" = "yara_rows"."yara_v0" FROM "yara_rows"
 *     WHERE "books"."id" = "yara_rows"."yara_key"
 *
 * Every value is bound. Django's CASE WHEN form (one arm per row) costs rows × rows comparisons:
 * 20 000 rows took 12 s on SQLite and 2.8 s on Postgres, the join 0.2 s. Batches stay under the
 * bind-parameter limit and run in one transaction; everything is checked before the first
 * statement.
 */
import { param } from "../ast/param.js";
import { updateRows, type UpdateRowsNode } from "../ast/update-rows.js";
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
import { keyIdentity } from "./key-identity.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import { Model } from "./model.js";
import type { ModelRecord } from "./record.js";
import { forgetOnRollback } from "./persist.js";
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
  const pk = meta.fields.find((f) => f.name === meta.pk)!;
  // By the key as the database compares it: 5 and 5n, or a UUID in upper and in lower case,
  // are one row, which one statement would update with two values (key-identity.ts).
  const seen = new Map<string, number>();
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
    const identity = keyIdentity(meta.name, pk, key);
    if (identity !== undefined) {
      const first = seen.get(identity);
      if (first !== undefined) {
        const given = String((instances[first] as Row)[meta.pk]);
        throw fail(meta, `lists the row ${given} twice (instances ${first} and ${i})`, meta.pk);
      }
      seen.set(identity, i);
    }
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
): UpdateRowsNode {
  const pkStored = storedAsOf(meta.name, pk);
  const stored = fields.map((field) => storedAsOf(meta.name, field));
  const rows = [];
  for (let i = from; i < to; i++)
    rows.push({
      key: param(checked.keys[i]!, undefined, pkStored),
      values: fields.map((_f, f) => param(checked.values[f]![i]!, undefined, stored[f])),
    });
  return updateRows({
    table: meta.table,
    key: columnOf(meta.table, pk),
    columns: fields.map((f) => f.column),
    rows,
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
  const perRow = fields.length + 1;
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
    const writer = manager.writeDriver();
    for (const m of instances) {
      forgetOnRollback(writer, m);
      rememberFields(meta, m, fields);
    }
    if (hooks?.has("bulkUpdate"))
      await hooks.emit("bulkUpdate", { instances, fields: fields.map((f) => f.name), count });
    return count;
  };
  return batches.length > 1 || hooks?.has("bulkUpdate")
    ? inTransaction(run, manager.writeScope())
    : run();
}
