/**
 * A live database's tables as `pull` reads them (read-postgres.ts, read-sqlite.ts), already in
 * yara's terms: each column's field kind and size, nullability, default as a literal, key, and
 * enum values from its CHECK; the table's unique constraints, foreign keys and indexes.
 */
import type { FieldKind, LiteralValue, OnDelete } from "yara-orm/internal";

export interface DbColumn {
  readonly name: string;
  readonly kind: FieldKind;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly enumValues?: readonly (string | number)[];
  readonly notNull: boolean;
  /** The default as a literal; undefined when there is none (or it is not a literal). */
  readonly default?: LiteralValue;
  /**
   * A default the database computes that a schema's `dbDefault` names: the current time of a
   * date/time column (`now()`, `CURRENT_TIMESTAMP`, SQLite's `strftime(…, 'now')`) or a fresh
   * UUID (`gen_random_uuid()`, the expression yara writes on SQLite).
   */
  readonly dbDefault?: "now" | "uuid";
  /** The database numbers it (identity / AUTOINCREMENT). */
  readonly auto: boolean;
}

export interface DbForeignKey {
  readonly column: string;
  readonly table: string;
  readonly onDelete: OnDelete;
}

export interface DbTable {
  readonly name: string;
  readonly columns: readonly DbColumn[];
  readonly primaryKey: readonly string[];
  /** Unique constraints and unique indexes, as column lists. */
  readonly uniques: readonly (readonly string[])[];
  readonly foreignKeys: readonly DbForeignKey[];
  /** Plain (non-unique) indexes, as column lists. */
  readonly indexes: readonly (readonly string[])[];
}

/** Enum values out of a CHECK's text: `"col" IN ('a', 'b')` or Postgres' `ANY (ARRAY[…])`. */
export function enumValuesOf(check: string): (string | number)[] | undefined {
  const strings = [...check.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
  if (strings.length > 0) return strings;
  const list = /(?:IN \(|ARRAY\[)([-\d, ]+)[)\]]/i.exec(check);
  if (list === null) return undefined;
  return list[1]!.split(",").map((v) => Number(v.trim()));
}

/**
 * The `dbDefault` a column default expression stands for, if it is one of the database's clocks
 * on a date/time column or a UUID generator on a UUID column (Postgres' `pg_get_expr` text or
 * SQLite's declared text; casts, quotes, parentheses and case do not matter); undefined for a
 * literal, a sequence or any other expression.
 */
export function functionDefault(expr: string, kind: FieldKind): "now" | "uuid" | undefined {
  const bare = expr
    .toLowerCase()
    .replace(/::[a-z ]+/g, "")
    .replace(/[\s()"]/g, "");
  if (kind === "datetime" || kind === "date" || kind === "time") {
    if (/^(current_timestamp|current_date|current_time|localtimestamp|localtime)$/.test(bare))
      return "now";
    if (/^(now|transaction_timestamp|statement_timestamp|clock_timestamp)$/.test(bare))
      return "now";
    // yara's own: (now() AT TIME ZONE 'UTC')::date, strftime('%Y-%m-%d', 'now'), datetime('now').
    if (/^nowattimezone'utc'$/.test(bare)) return "now";
    if (/^(strftime'[^']*',|datetime|date|time)'now'$/.test(bare)) return "now";
    return undefined;
  }
  if (kind === "uuid") {
    if (/^(gen_random_uuid|uuid_generate_v4)$/.test(bare)) return "uuid";
    // yara's SQLite expression: lower(hex(randomblob(4)) || '-' || …).
    if (bare.startsWith("lowerhexrandomblob4||'-'||")) return "uuid";
  }
  return undefined;
}

export const ON_DELETE: Readonly<Record<string, OnDelete>> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
  "NO ACTION": "NO ACTION",
  RESTRICT: "RESTRICT",
  CASCADE: "CASCADE",
  "SET NULL": "SET NULL",
  "SET DEFAULT": "SET DEFAULT",
};
