/**
 * One column of CREATE TABLE per dialect, following design.md's storage table: the SQL type,
 * NOT NULL, the default as a SQL literal, and the CHECK that stands in for a type SQLite lacks
 * (char length, enum values). Keys and references are added by `ddl.ts`.
 */
import type { Dialect } from "./dialect.js";
import { ConfigurationError } from "../errors.js";
import type { FieldMeta, LiteralValue } from "../model/meta.js";

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const INTEGER_KINDS = new Set(["int", "smallint", "bigint"]);

/** An integer primary key the database numbers itself. */
export function isAutoPk(field: FieldMeta): boolean {
  return field.pk && field.generated && INTEGER_KINDS.has(field.kind);
}

export function columnType(field: FieldMeta, dialect: Dialect): string {
  return dialect.ddl.columnType(field);
}

/** The length of a `char` / `charEnum` column: maxLength, else the longest enum value. */
export function charLength(f: FieldMeta): number {
  if (f.maxLength !== undefined) return f.maxLength;
  const longest = Math.max(1, ...(f.enumValues ?? []).map((v) => String(v).length));
  return longest;
}

/** The CHECK expression a column needs, if any: enum membership; char length on SQLite. */
export function columnCheck(f: FieldMeta, dialect: Dialect): string | undefined {
  const col = quoteIdent(f.column);
  if (
    (f.kind === "charEnum" || f.kind === "intEnum") &&
    f.enumValues !== undefined &&
    f.enumValues.length > 0
  ) {
    const values = f.enumValues.map((v) => (typeof v === "string" ? quoteString(v) : String(v)));
    return `${col} IN (${values.join(", ")})`;
  }
  if (f.kind === "char" && dialect.ddl.checksCharLength && f.maxLength !== undefined) {
    return `length(${col}) <= ${f.maxLength}`;
  }
  return undefined;
}

/**
 * The column's `DEFAULT` clause body, if it has one: the schema's `dbDefault` (a database function,
 * stored the way the runtime stores the kind: ISO text on SQLite, UTC on both), else its `default`.
 */
export function columnDefault(f: FieldMeta, dialect: Dialect): string | undefined {
  const db = f.dbDefault;
  if (db === undefined)
    return f.default === undefined ? undefined : defaultLiteral(f, f.default, dialect);
  if ("value" in db) return defaultLiteral(f, db.value, dialect);
  return dialect.ddl.functionDefault(db.fn, f);
}

/** The field's schema default as a SQL literal stored the way the runtime would store it. */
export function defaultLiteral(f: FieldMeta, value: LiteralValue, dialect: Dialect): string {
  if (value === null) return "NULL";
  const bad = (): never => {
    throw new ConfigurationError(
      `the default of field ${f.name} (${JSON.stringify(value)}) cannot be stored in a ${f.kind} column`,
    );
  };
  switch (f.kind) {
    case "boolean":
      if (typeof value !== "boolean") return bad();
      return dialect.ddl.booleanLiteral(value);
    case "int":
    case "smallint":
    case "bigint":
    case "intEnum":
      if (typeof value === "number" && Number.isInteger(value)) return String(value);
      if (typeof value === "string" && /^-?\d+$/.test(value)) return value;
      return bad();
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value)) return bad();
      return String(value);
    case "decimal": {
      if (typeof value !== "number" && typeof value !== "string") return bad();
      const text = roundDecimal(value, f.decimalPlaces ?? 0);
      if (text === undefined) return bad();
      return dialect.ddl.decimalLiteral(text);
    }
    case "datetime": {
      if (typeof value !== "string" && typeof value !== "number") return bad();
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) return bad();
      return dialect.ddl.datetimeLiteral(date.toISOString());
    }
    case "uuid":
      if (typeof value !== "string") return bad();
      return quoteString(value.toLowerCase());
    case "json":
      return quoteString(JSON.stringify(value));
    case "binary":
      return bad();
    default:
      if (typeof value !== "string") return bad();
      return quoteString(value);
  }
}

/**
 * A schema default's decimal with exactly `places` fraction digits ("3.5" with 2 → "3.50"),
 * rounding half away from zero past `places`. Unlike encode.ts's canonicalDecimal, which
 * validates user values and refuses extra places, a default is only rounded.
 */
export function roundDecimal(value: string | number, places: number): string | undefined {
  const text =
    typeof value === "number"
      ? Number.isFinite(value)
        ? value.toFixed(places)
        : ""
      : value.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (m === null || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const negative = m[1] === "-";
  const whole = m[2] || "0";
  const fraction = m[3] ?? "";
  let scaled = BigInt(whole + fraction.padEnd(places, "0").slice(0, places));
  if (fraction.length > places && fraction.charCodeAt(places) - 48 >= 5) scaled += 1n;
  const digits = scaled.toString().padStart(places + 1, "0");
  const int = digits.slice(0, digits.length - places);
  const frac = places > 0 ? `.${digits.slice(digits.length - places)}` : "";
  return `${negative && scaled !== 0n ? "-" : ""}${int}${frac}`;
}
