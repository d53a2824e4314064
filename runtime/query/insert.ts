/**
 * Turning create() input into column values: relation instances to keys, defaults (literal or
 * per-row factory), autoNow / autoNowAdd, required-field checks. Dialect-neutral; values are
 * encoded when the INSERT is built for a dialect.
 */
import { param } from "../ast/param.js";
import { insert, type InsertNode, type OnConflictClause } from "../ast/insert.js";
import { raw } from "../ast/raw.js";
import { encodeValue } from "../dialect/encode.js";
import type { Dialect } from "../dialect/dialect.js";
import { ValidationError } from "../errors.js";
import { relationKey, writableField } from "./mutate.js";
import { factoryValue, nowFor } from "../model/default-factory.js";
import type { FieldMeta, LiteralValue, ModelMeta } from "../model/meta.js";

/** One row to insert: the fields it sets, in meta order, and their (unencoded) values. */
export interface InsertRow {
  readonly fields: readonly FieldMeta[];
  readonly values: readonly unknown[];
}

function cloneDefault(value: LiteralValue): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

/** Reads `data` (create input, or an instance's own fields) into an InsertRow. */
export function insertRow(meta: ModelMeta, data: object, now: Date): InsertRow {
  const given = new Map<FieldMeta, unknown>();
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const { field } = writableField(meta, key);
    given.set(field, relationKey(meta, key, value));
  }
  const fields: FieldMeta[] = [];
  const values: unknown[] = [];
  for (const field of meta.fields) {
    let value = given.get(field);
    if (field.autoNow || (field.autoNowAdd && value === undefined)) value = nowFor(field, now);
    if (value === undefined && field.default !== undefined) value = cloneDefault(field.default);
    if (value === undefined && field.defaultFactory !== undefined)
      value = factoryValue(field, field.defaultFactory, now);
    if (value === undefined || (value === null && field.generated)) {
      // The database fills it (identity, dbDefault); RETURNING reads it back.
      if (field.generated || (value === undefined && field.dbDefault !== undefined)) continue;
      if (!field.nullable)
        throw new ValidationError(`${meta.name}.${field.name} is required`, meta.name, field.name);
      value = null;
    }
    fields.push(field);
    values.push(value);
  }
  return { fields, values };
}

export interface InsertOptions {
  readonly onConflict: OnConflictClause | undefined;
  /** The generated column list, used for RETURNING. */
  readonly returning: string | undefined;
}

/** One multi-row INSERT of rows that all set the same fields. */
export function buildInsert(
  meta: ModelMeta,
  rows: readonly InsertRow[],
  dialect: Dialect,
  options: InsertOptions,
): InsertNode {
  const fields = rows[0]?.fields ?? [];
  const ctx = { dialect, model: meta.name, mode: "write" } as const;
  return insert({
    table: meta.table,
    columns: fields.map((f) => f.column),
    rows: rows.map((row) => row.values.map((v, i) => param(encodeValue(ctx, fields[i]!, v)))),
    onConflict: options.onConflict,
    returning: options.returning === undefined ? [] : [raw(options.returning)],
  });
}
