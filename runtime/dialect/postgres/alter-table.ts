/**
 * One table from its version in one state to its version in the next, on Postgres, with ALTER
 * statements: rename the table and columns, drop the constraints and indexes that no longer
 * apply, rename the ones whose name follows a renamed table or column, drop and add columns,
 * change types, nullability and defaults, then add the new constraints and indexes. Names and
 * definitions come from `dialect/ddl.ts`, so the result is the table `generateSchemas` creates.
 */
import { columnDefault, columnType, isAutoPk, quoteIdent } from "../ddl-columns.js";
import type { FieldMeta, ModelMeta } from "../../model/meta.js";
import { MigrationError } from "../../errors.js";
import { isNumberKind, narrowing, narrowingMessage } from "../../migrations/narrowing.js";
import { fillLiteral, quoteString } from "../../migrations/sql-pieces.js";
import {
  missingValue,
  valueForExistingRows,
  type MissingValue,
} from "../../migrations/existing-rows.js";
import type { SchemaState } from "../../migrations/state.js";
import type { Dialect } from "../dialect.js";
import { tableObjects } from "./table-objects.js";
import { matchedFields, type TableChange } from "../../migrations/table-change.js";

export function alterTablePostgres(
  change: TableChange,
  before: SchemaState,
  after: SchemaState,
  dialect: Dialect,
): string[] {
  const { from, to, fill } = change;
  const out: string[] = [];
  const table = quoteIdent(to.table);
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);

  const pairs = matchedFields(change);
  for (const [f0, f1] of pairs) {
    if (f0.column !== f1.column)
      out.push(
        `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(f0.column)} TO ${quoteIdent(f1.column)}`,
      );
  }
  for (const [f0, f1] of pairs) {
    if (isAutoPk(f1) && (from.table !== to.table || f0.column !== f1.column))
      out.push(renameIdentitySequence(to.table, f1.column));
  }

  const columnMap = new Map(pairs.map(([f0, f1]) => [f0.column, f1.column]));
  const oldObjects = tableObjects(
    from,
    before,
    dialect,
    (c) => columnMap.get(c) ?? `\u0000gone:${c}`,
  );
  const newObjects = tableObjects(to, after, dialect);
  const newByKey = new Map(newObjects.map((o) => [o.key, o]));
  const oldKeys = new Set(oldObjects.map((o) => o.key));
  for (const o of oldObjects) {
    if (newByKey.has(o.key)) continue;
    out.push(
      o.kind === "index"
        ? `DROP INDEX ${quoteIdent(o.name)}`
        : `ALTER TABLE ${table} DROP CONSTRAINT ${quoteIdent(o.name)}`,
    );
  }
  for (const o of oldObjects) {
    const n = newByKey.get(o.key);
    if (n === undefined || n.name === o.name) continue;
    out.push(
      o.kind === "index"
        ? `ALTER INDEX ${quoteIdent(o.name)} RENAME TO ${quoteIdent(n.name)}`
        : `ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(o.name)} TO ${quoteIdent(n.name)}`,
    );
  }

  const kept = new Set(pairs.map(([f0]) => f0.name));
  for (const f0 of from.fields) {
    if (!kept.has(f0.name)) out.push(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(f0.column)}`);
  }
  const mapped = new Set(pairs.map(([, f1]) => f1.name));
  for (const f1 of to.fields) {
    if (!mapped.has(f1.name)) out.push(...addColumn(to, f1, fill, dialect));
  }
  for (const [f0, f1] of pairs) out.push(...alterColumn(to, f0, f1, fill, dialect));

  for (const n of newObjects) {
    if (!oldKeys.has(n.key)) out.push(n.create);
  }
  return out;
}

function addColumn(
  model: ModelMeta,
  f: FieldMeta,
  fill: TableChange["fill"],
  dialect: Dialect,
): string[] {
  if (f.pk)
    throw new MigrationError(`adding a primary key column to ${model.name} is not supported`);
  const table = quoteIdent(model.table);
  const column = `${quoteIdent(f.column)} ${columnType(f, dialect)}`;
  const byDefault = columnDefault(f, dialect);
  if (byDefault !== undefined) {
    const notNull = f.nullable ? "" : " NOT NULL";
    return [`ALTER TABLE ${table} ADD COLUMN ${column} DEFAULT ${byDefault}${notNull}`];
  }
  if (f.nullable) return [`ALTER TABLE ${table} ADD COLUMN ${column}`];
  if (fill === undefined)
    return [
      refuseMissing(missingValue(model.name, f.name, model.table, undefined)),
      `ALTER TABLE ${table} ADD COLUMN ${column} NOT NULL`,
    ];
  return [
    `ALTER TABLE ${table} ADD COLUMN ${column} DEFAULT ${fillLiteral(f, fill, dialect)} NOT NULL`,
    `ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(f.column)} DROP DEFAULT`,
  ];
}

function alterColumn(
  model: ModelMeta,
  f0: FieldMeta,
  f1: FieldMeta,
  fill: TableChange["fill"],
  dialect: Dialect,
): string[] {
  const out: string[] = [];
  const table = quoteIdent(model.table);
  const col = quoteIdent(f1.column);
  const alter = `ALTER TABLE ${table} ALTER COLUMN ${col}`;
  const type0 = columnType(f0, dialect);
  const type1 = columnType(f1, dialect);
  if (isAutoPk(f0) !== isAutoPk(f1))
    throw new MigrationError(
      `changing whether ${model.name}.${f1.name} is numbered by the database is not supported`,
    );
  const default0 = columnDefault(f0, dialect);
  const default1 = columnDefault(f1, dialect);
  const retyped = type0 !== type1;
  if (retyped) {
    const guard = refuseNarrowed(model, table, f0, f1);
    if (guard !== undefined) out.push(guard);
    // The old default need not cast to the new type (FALSE to an integer: "cannot be cast
    // automatically"): it goes first, and the new one is set after.
    if (default0 !== undefined) out.push(`${alter} DROP DEFAULT`);
    out.push(`${alter} TYPE ${type1} USING ${col}::${type1}`);
  }
  if (retyped ? default1 !== undefined : default0 !== default1)
    out.push(default1 === undefined ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${default1}`);
  if (!f1.pk && f0.nullable !== f1.nullable) {
    if (f1.nullable) out.push(`${alter} DROP NOT NULL`);
    else {
      // Rows holding NULL get the default, else the fill; with neither, a clear refusal.
      const value = valueForExistingRows(f1, fill, dialect);
      out.push(
        value === undefined
          ? refuseMissing(missingValue(model.name, f1.name, model.table, f1.column))
          : `UPDATE ${table} SET ${col} = ${value} WHERE ${col} IS NULL`,
        `${alter} SET NOT NULL`,
      );
    }
  }
  return out;
}

/**
 * A statement that fails, naming the field, when a row holds a value `f1` cannot store exactly
 * (migrations/narrowing.ts): the explicit cast of `ALTER … TYPE … USING` would cut text to the
 * new length and round fractions without an error. Values that cannot be cast at all (text to
 * an integer) are left to Postgres' own error.
 */
function refuseNarrowed(
  model: ModelMeta,
  table: string,
  f0: FieldMeta,
  f1: FieldMeta,
): string | undefined {
  const n = narrowing(f0, f1);
  if (n === undefined) return undefined;
  const col = quoteIdent(f1.column);
  const numeric = `CAST(${col} AS NUMERIC)`;
  let lost: string;
  if (n.to === "kind") lost = `${col} IS NOT NULL`;
  else if (n.to === "length") lost = `char_length(CAST(${col} AS TEXT)) > ${n.max}`;
  else if (n.to === "integer" && isNumberKind(f0.kind))
    lost = `${numeric} <> trunc(${numeric}) OR ${numeric} < ${n.min} OR ${numeric} > ${n.max}`;
  else if (n.to === "decimal" && isNumberKind(f0.kind))
    lost = `${numeric} <> round(${numeric}, ${n.places}) OR abs(${numeric}) >= 1e${n.digits - n.places}`;
  else return undefined;
  const message = quoteString(narrowingMessage(model.name, f1.name, n));
  return (
    `DO $yara$ BEGIN IF EXISTS (SELECT 1 FROM ${table} WHERE ${lost}) ` +
    `THEN RAISE EXCEPTION USING ERRCODE = 'data_exception', MESSAGE = ${message}; END IF; END $yara$`
  );
}

/**
 * A statement that fails with the message of `missing` (migrations/existing-rows.ts) when rows
 * lack a value for a column about to be NOT NULL, before the database refuses it in its words.
 */
function refuseMissing(missing: MissingValue): string {
  return (
    `DO $yara$ BEGIN IF EXISTS (SELECT 1 FROM ${missing.rows}) THEN\n` +
    `  RAISE EXCEPTION USING ERRCODE = 'not_null_violation', MESSAGE = ${missing.message};\n` +
    `END IF; END $yara$`
  );
}

/**
 * An identity column's sequence is named after its table and column when it is created
 * (`books_id_seq`); after a rename it gets the name a new table would have.
 */
function renameIdentitySequence(table: string, column: string): string {
  const wanted = `${table}_${column}_seq`.slice(0, 63);
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  return (
    `DO $$ DECLARE s text := pg_get_serial_sequence(${literal(quoteIdent(table))}, ${literal(column)});\n` +
    `BEGIN IF s IS NOT NULL THEN EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', s, ${literal(wanted)}); END IF; END $$`
  );
}
