/**
 * SQL functions the SQLite dialect's SQL relies on, which every SQLite driver registers on its
 * connection (the native engine registers the same in native/src/sqlite/functions.rs).
 * SQLite's own `lower()`/`upper()` fold ASCII only; Postgres folds every letter, so
 * case-insensitive lookups and `Lower`/`Upper` use these to mean the same on both databases.
 * `yara_regexp` / `yara_iregexp` run the `regex` / `iregex` lookups (patterns already in the
 * subset of query/regex-pattern.ts) and `yara_search` the `search` lookup (query/search-words.ts).
 * `yara_raise(message)` fails the statement with `message`, where SQL reaches it: the compiler
 * calls it in the branch of a divisor that is zero (Postgres raises "division by zero" where
 * SQLite's own division gives NULL, which an UPDATE would write), and a migration that alters a
 * column on a row the new field cannot hold (migrations/narrowing.ts). `yara_integer(value, min,
 * max, field)` is `value` when it is an integer from `min` to `max` (or NULL; a whole REAL in
 * range becomes that integer) and fails naming
 * the field otherwise: an UPDATE computing an integer writes through it, where SQLite would store
 * 32768 in a smallint column and turn a 64-bit overflow into a REAL.
 */
import { DatabaseError } from "../../errors.js";
import { searchMatches, searchWords } from "../../query/search-words.js";

export interface SqliteFunction {
  readonly name: string;
  /** Called with as many arguments as it declares (better-sqlite3 reads `fn.length`). */
  readonly fn: (...args: never[]) => unknown;
  /**
   * Same arguments, same result: SQLite may then compute it once for a statement. A function
   * with an effect (raising an error) is not, so that it runs only where the SQL reaches it.
   */
  readonly deterministic: boolean;
  /** Integers arrive as bigints (all of int64), not as numbers rounded past 2^53. */
  readonly safeIntegers?: boolean;
}

const fold =
  (convert: (s: string) => string) =>
  (value: unknown): unknown =>
    typeof value === "string" ? convert(value) : value;

export const YARA_LOWER = "yara_lower";
export const YARA_UPPER = "yara_upper";
export const YARA_REGEXP = "yara_regexp";
export const YARA_IREGEXP = "yara_iregexp";
export const YARA_SEARCH = "yara_search";
export const YARA_RAISE = "yara_raise";
export const YARA_INTEGER = "yara_integer";

/** The code of the error `yara_raise` raises, from either driver (SQLite's for a failed function). */
export const RAISED_CODE = "SQLITE_ERROR";

/** Compiled patterns, most recently used last; a statement usually runs one pattern per row. */
const compiled = new Map<string, RegExp>();

function compile(pattern: string, flags: string): RegExp {
  const key = `${flags}/${pattern}`;
  let re = compiled.get(key);
  if (re === undefined) {
    // `s`: `.` matches a newline as in Postgres; `u`: code points, and Unicode case folding.
    re = new RegExp(pattern, flags);
    if (compiled.size >= 64) compiled.delete(compiled.keys().next().value!);
  } else {
    compiled.delete(key);
  }
  compiled.set(key, re);
  return re;
}

/** 1 / 0 when the text `value` matches `pattern`; NULL for NULL or a non-text value. */
function regexp(flags: string) {
  // The pattern of the previous row: a statement binds one, so most rows skip the lookup.
  let lastPattern: string | undefined;
  let lastRegExp: RegExp | undefined;
  return (value: unknown, pattern: unknown): number | null => {
    if (typeof value !== "string" || typeof pattern !== "string") return null;
    if (pattern !== lastPattern || lastRegExp === undefined) {
      lastRegExp = compile(pattern, flags);
      lastPattern = pattern;
    }
    return Number(lastRegExp.test(value));
  };
}

/** 1 / 0 when `document` holds every word of `query`; the query's words are split once per query. */
function search() {
  let lastQuery: string | undefined;
  let wanted: readonly string[] = [];
  return (document: unknown, query: unknown): number | null => {
    if (typeof document !== "string" || typeof query !== "string") return null;
    if (query !== lastQuery) {
      wanted = searchWords(query);
      lastQuery = query;
    }
    return Number(searchMatches(document, wanted));
  };
}

function integerIn(value: unknown, min: unknown, max: unknown, field: unknown): unknown {
  if (value === null) return null;
  if (typeof min === "bigint" && typeof max === "bigint") {
    if (typeof value === "bigint" && value >= min && value <= max) return value;
    // A whole REAL (a bound number: better-sqlite3 binds numbers as REAL) in range; `< max + 1`
    // because 2^63 - 1 rounds to 2^63 as a double, which must stay out.
    if (
      typeof value === "number" &&
      Number.isInteger(value) &&
      value >= Number(min) &&
      value < Number(max) + 1
    )
      return BigInt(value);
  }
  throw new DatabaseError(`${String(field)}: integer out of range [${min}, ${max}]`, RAISED_CODE);
}

function raise(message: unknown): never {
  throw new DatabaseError(String(message), RAISED_CODE);
}

export const SQLITE_FUNCTIONS: readonly SqliteFunction[] = [
  { name: YARA_LOWER, fn: fold((s) => s.toLowerCase()), deterministic: true },
  { name: YARA_UPPER, fn: fold((s) => s.toUpperCase()), deterministic: true },
  { name: YARA_REGEXP, fn: regexp("su"), deterministic: true },
  { name: YARA_IREGEXP, fn: regexp("siu"), deterministic: true },
  { name: YARA_SEARCH, fn: search(), deterministic: true },
  { name: YARA_RAISE, fn: raise, deterministic: false },
  { name: YARA_INTEGER, fn: integerIn, deterministic: false, safeIntegers: true },
];
