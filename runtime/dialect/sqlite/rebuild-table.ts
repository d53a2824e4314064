/**
 * One table from its version in one state to the next on SQLite, by the table rebuild SQLite
 * documents for the changes ALTER TABLE cannot make (https://sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes"): create the new table under a temporary name,
 * copy every row with INSERT … SELECT, drop the old table, rename the new one, recreate the
 * indexes, views and triggers (dependents.ts). Foreign-key enforcement is off around the migration's transaction and
 * `PRAGMA foreign_key_check` runs before it commits (executor.ts). Values are copied as they
 * are stored, so every kept column keeps its bytes, and the AUTOINCREMENT counter is carried
 * over so deleted ids are never reused. A renamed table is renamed first, which also rewrites
 * the foreign keys of other tables that point at it.
 */
import { createTable, modelForeignKeys, modelIndexes } from "../ddl.js";
import { isAutoPk, quoteIdent } from "../ddl-columns.js";
import { MigrationError } from "../../errors.js";
import type { FieldMeta } from "../../model/meta.js";
import {
  isNumberKind,
  narrowing,
  narrowingMessage,
  type Narrowing,
} from "../../migrations/narrowing.js";
import { quoteString } from "../../migrations/sql-pieces.js";
import {
  missingValue,
  valueForExistingRows,
  type MissingValue,
} from "../../migrations/existing-rows.js";
import type { Step } from "../../migrations/render.js";
import type { Dialect } from "../dialect.js";
import { keepViewsAndTriggers } from "./dependents.js";
import { YARA_RAISE } from "./functions.js";
import type { SchemaState } from "../../migrations/state.js";
import { matchedFields, type TableChange } from "../../migrations/table-change.js";

export function rebuildTableSqlite(
  change: TableChange,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  const { from, to, fill } = change;
  const out: Step[] = [];
  const table = quoteIdent(to.table);
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);
  const temp = `yara_new_${to.table}`;
  const pairs = new Map(matchedFields(change).map(([f0, f1]) => [f1.name, f0]));
  const checks = narrowedChecks(change, temp);
  out.push(
    ...checks.stored,
    createTable(to, dialect, modelForeignKeys(to, after), () => true, {
      as: temp,
      ifNotExists: false,
    }),
  );

  const columns: string[] = [];
  const values: string[] = [];
  for (const f1 of to.fields) {
    const f0 = pairs.get(f1.name);
    columns.push(quoteIdent(f1.column));
    if (f0 !== undefined) {
      const old = converted(f0, f1, quoteIdent(f0.column));
      if (f0.nullable && !f1.nullable) {
        // Rows holding NULL get the default, else the fill; with neither, a clear refusal.
        const value =
          valueForExistingRows(f1, fill, dialect) ??
          raise(missingValue(to.name, f1.name, to.table, f0.column));
        values.push(`COALESCE(${old}, ${value})`);
      } else values.push(old);
    } else if (f1.pk) {
      throw new MigrationError(`adding a primary key column to ${to.name} is not supported`);
    } else {
      // The default (a dbDefault function runs once per copied row, as an INSERT would), else
      // the fill; with neither, NULL, or a clear refusal for a NOT NULL column.
      const value = valueForExistingRows(f1, fill, dialect);
      if (value !== undefined) values.push(value);
      else if (f1.nullable) values.push("NULL");
      else values.push(raise(missingValue(to.name, f1.name, to.table, undefined)));
    }
  }
  out.push(
    `INSERT INTO ${quoteIdent(temp)} (${columns.join(", ")}) SELECT ${values.join(", ")} FROM ${table}`,
    ...checks.copied,
  );
  const pk0 = from.fields.find((f) => f.pk);
  const pk1 = to.fields.find((f) => f.pk);
  if (pk0 !== undefined && pk1 !== undefined && isAutoPk(pk0) && isAutoPk(pk1)) {
    // The copy set the new table's counter to its largest id; keep the old, higher mark.
    out.push(
      `UPDATE sqlite_sequence SET seq = (SELECT seq FROM sqlite_sequence WHERE name = ${quoteString(to.table)}) ` +
        `WHERE name = ${quoteString(temp)} AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quoteString(to.table)})`,
      `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteString(temp)}, seq FROM sqlite_sequence ` +
        `WHERE name = ${quoteString(to.table)} AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quoteString(temp)})`,
    );
  }
  const dependents = keepViewsAndTriggers(to.table);
  out.push(
    dependents.save,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${table}`,
    ...modelIndexes(to),
    dependents.restore,
  );
  return out;
}

/**
 * The copied value of a column about to be NOT NULL for a row without one: an error with the
 * message of `missing` (migrations/existing-rows.ts), raised at the first such row, before the
 * NOT NULL constraint refuses it in SQLite's words.
 */
function raise(missing: MissingValue): string {
  return `${YARA_RAISE}(${missing.message})`;
}

/**
 * Statements that fail, naming the field, when a row holds a value its altered field cannot
 * store exactly (migrations/narrowing.ts): `stored` run on the old rows before the copy (text
 * too long, decimal places or digits to spare), `copied` on the new table after it, where the
 * INTEGER column has converted what it can and kept what it cannot (a fraction, text).
 */
function narrowedChecks(change: TableChange, temp: string): { stored: string[]; copied: string[] } {
  const stored: string[] = [];
  const copied: string[] = [];
  for (const [f0, f1] of matchedFields(change)) {
    const n = narrowing(f0, f1);
    if (n === undefined) continue;
    const message = quoteString(narrowingMessage(change.to.name, f1.name, n));
    const refuse = (table: string, column: string, where: string): string =>
      `UPDATE ${quoteIdent(table)} SET ${quoteIdent(column)} = ${YARA_RAISE}(${message}) WHERE ${where}`;
    const lost = lostAsStored(n, f0, quoteIdent(f0.column));
    if (lost !== undefined) stored.push(refuse(change.to.table, f0.column, lost));
    if (n.to === "integer") {
      const c = quoteIdent(f1.column);
      const outside = `${c} < ${n.min} OR ${c} > ${n.max}`;
      copied.push(refuse(temp, f1.column, `typeof(${c}) NOT IN ('integer', 'null') OR ${outside}`));
    }
  }
  return { stored, copied };
}

/**
 * Where a stored value of `f0` (column `col`) is one the narrowed field cannot hold, read before
 * the copy: text too long, a decimal with places or digits to spare (decimals are canonical text
 * with exactly their places), a number too large for the digits. Integers are checked after the
 * copy instead, where the INTEGER column has converted what it can.
 */
function lostAsStored(n: Narrowing, f0: FieldMeta, col: string): string | undefined {
  if (n.to === "kind") return `${col} IS NOT NULL`;
  if (n.to === "length") return `length(${col}) > ${n.max}`;
  if (n.to !== "decimal") return undefined;
  const tooLarge = `abs(CAST(${col} AS REAL)) >= 1e${n.digits - n.places}`;
  if (f0.kind === "decimal" && f0.decimalPlaces !== undefined) {
    const cut = f0.decimalPlaces - n.places;
    return cut > 0 ? `substr(${col}, -${cut}) <> '${"0".repeat(cut)}' OR ${tooLarge}` : tooLarge;
  }
  if (f0.kind === "float") return `${col} <> round(${col}, ${n.places}) OR ${tooLarge}`;
  return isNumberKind(f0.kind) ? tooLarge : undefined;
}

/**
 * The copied value of `col` for `f1`: a decimal written again as the canonical text of its new
 * places (zeros added, or zeros the check above found cut), from an integer or a float too; any
 * other value as it is stored.
 */
function converted(f0: FieldMeta, f1: FieldMeta, col: string): string {
  if (f1.kind !== "decimal" || f1.decimalPlaces === undefined) return col;
  const places = f1.decimalPlaces;
  if (f0.kind === "decimal" && f0.decimalPlaces !== undefined) {
    const from = f0.decimalPlaces;
    if (places > from) return `${col} || '${from === 0 ? "." : ""}${"0".repeat(places - from)}'`;
    if (places < from)
      return `substr(${col}, 1, length(${col}) - ${from - places + (places === 0 ? 1 : 0)})`;
    return col;
  }
  if (f0.kind === "float")
    return `CASE WHEN ${col} IS NULL THEN NULL WHEN ${col} = 0 THEN '${places === 0 ? "0" : `0.${"0".repeat(places)}`}' ELSE printf('%.${places}f', ${col}) END`;
  if (isNumberKind(f0.kind))
    return places === 0
      ? `CAST(${col} AS TEXT)`
      : `CAST(${col} AS TEXT) || '.${"0".repeat(places)}'`;
  return col;
}
