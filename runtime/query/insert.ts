/**
 * Turning create() input into column values: relation instances to keys, defaults (literal or
 * per-row factory), autoNow / autoNowAdd, required-field checks. Dialect-neutral: every value is
 * checked here (field-checks.ts) and kept in its checked form; the compiler stores it for the
 * dialect when it binds the INSERT's parameters (`ParamNode.column`, `Dialect.store`).
 */
import { param, type StoredAs } from "../ast/param.js";
import { insert, type InsertNode, type OnConflictClause } from "../ast/insert.js";
import { raw } from "../ast/raw.js";
import { encodeValue } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import { ValidationError } from "../errors.js";
import { relationKey, writableField } from "./mutate.js";
import { ABSENT, filledArray, type CheckedInput } from "../model/create-input.js";
import { factoryValue, nowFor } from "../model/default-factory.js";
import type { FieldMeta, LiteralValue, ModelMeta } from "../model/meta.js";
import { ownColumns } from "./own-columns.js";
import { isForwardToOne } from "./path.js";

/**
 * One row to insert: the fields it sets, in meta order, and their checked values (what
 * `checkValue` returned, the same for every database; null for NULL).
 */
export interface InsertRow {
  readonly fields: readonly FieldMeta[];
  readonly values: readonly unknown[];
}

function cloneDefault(value: LiteralValue): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

/**
 * Reads `data` (create input, or an instance's own fields) into an InsertRow of checked values.
 * `checked` is create input already checked by `CreateInput.check` (model/create-input.ts): its
 * values are taken as they are, and only what this adds (relation keys, defaults, now) is
 * checked here, after the required fields (the order the errors had when everything was checked
 * at binding). `now` is what autoNow, autoNowAdd and the now/today factories write; undefined
 * takes the time when a field first needs it (a Date costs a call into the engine for the clock,
 * which a model without such fields need not pay).
 */
export function insertRow(
  meta: ModelMeta,
  input: object,
  now: Date | undefined,
  checked?: CheckedInput,
): InsertRow {
  const data = input as Record<string, unknown>;
  const all = meta.fields;
  // Each field's value by meta index, and whether it is still to be checked.
  const given: unknown[] = checked ?? filledArray(all.length, ABSENT);
  const unchecked: boolean[] = filledArray(all.length, checked === undefined);
  if (checked === undefined) {
    for (const key of Object.keys(data)) {
      const value = data[key];
      if (value === undefined) continue;
      const { field } = writableField(meta, key);
      given[all.indexOf(field)] = relationKey(meta, key, value);
    }
  } else {
    for (const relation of meta.relations) {
      const value = data[relation.name];
      if (value === undefined || !isForwardToOne(relation)) continue;
      const at = all.findIndex((f) => f.name === relation.keyField);
      // Both the key and the relation given (the types forbid it): the later key wins.
      const keys = Object.keys(data);
      if (keys.includes(all[at]!.name) && keys.indexOf(all[at]!.name) > keys.indexOf(relation.name))
        continue;
      given[at] = relationKey(meta, relation.name, value);
      unchecked[at] = true;
    }
  }
  const fields: FieldMeta[] = [];
  const values: unknown[] = [];
  const toCheck: number[] = [];
  for (let i = 0; i < all.length; i++) {
    const field = all[i]!;
    let value = given[i] === ABSENT ? undefined : given[i];
    let fresh = unchecked[i]!;
    if (field.autoNow || (field.autoNowAdd && value === undefined)) {
      value = nowFor(field, (now ??= new Date()));
      fresh = true;
    }
    if (value === undefined && field.default !== undefined) {
      value = cloneDefault(field.default);
      fresh = true;
    }
    if (value === undefined && field.defaultFactory !== undefined) {
      value = factoryValue(field, field.defaultFactory, (now ??= new Date()));
      fresh = true;
    }
    if (value === undefined || (value === null && field.generated)) {
      // The database fills it (identity, dbDefault); RETURNING reads it back.
      if (field.generated || (value === undefined && field.dbDefault !== undefined)) continue;
      if (!field.nullable)
        throw new ValidationError(`${meta.name}.${field.name} is required`, meta.name, field.name);
      value = null;
    }
    if (fresh && (value !== null || !field.nullable)) toCheck.push(fields.length);
    fields.push(field);
    values.push(value);
  }
  if (toCheck.length > 0) {
    const ctx = { dialect: undefined, model: meta.name, mode: "write" } as const;
    for (const k of toCheck) values[k] = encodeValue(ctx, fields[k]!, values[k]);
  }
  return { fields, values };
}

export interface InsertOptions {
  readonly onConflict: OnConflictClause | undefined;
  /** The model's generated column list, used for RETURNING (with its columns: `raw`). */
  readonly returning: string | undefined;
}

const storedAs = new WeakMap<FieldMeta, StoredAs>();

/** The `column` of a param node binding a value of `field` of `model`. */
export function storedAsOf(model: string, field: FieldMeta): StoredAs {
  let column = storedAs.get(field);
  if (column === undefined || column.model !== model)
    storedAs.set(field, (column = { model, field }));
  return column;
}

/**
 * One multi-row INSERT of rows that all set the same fields, the same for every dialect: each
 * value is a param node naming its field, stored for the dialect when the compiler binds it.
 */
export function buildInsert(
  meta: ModelMeta,
  rows: readonly InsertRow[],
  options: InsertOptions,
): InsertNode {
  const fields = rows[0]?.fields ?? [];
  const columns = fields.map((f) => storedAsOf(meta.name, f));
  return insert({
    table: meta.table,
    columns: fields.map((f) => f.column),
    rows: rows.map((row) => row.values.map((v, i) => param(v as Param, undefined, columns[i]))),
    onConflict: options.onConflict,
    returning: options.returning === undefined ? [] : [raw(options.returning, ownColumns(meta))],
  });
}
