/**
 * SQL functions the SQLite dialect's SQL relies on, which every SQLite driver registers on its
 * connection. SQLite's own `lower()`/`upper()` fold ASCII only; Postgres folds every letter, so
 * case-insensitive lookups and `Lower`/`Upper` use these to mean the same on both databases.
 */

export interface SqliteFunction {
  readonly name: string;
  readonly fn: (value: unknown) => unknown;
}

const fold =
  (convert: (s: string) => string) =>
  (value: unknown): unknown =>
    typeof value === "string" ? convert(value) : value;

export const YARA_LOWER = "yara_lower";
export const YARA_UPPER = "yara_upper";

export const SQLITE_FUNCTIONS: readonly SqliteFunction[] = [
  { name: YARA_LOWER, fn: fold((s) => s.toLowerCase()) },
  { name: YARA_UPPER, fn: fold((s) => s.toUpperCase()) },
];
