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
