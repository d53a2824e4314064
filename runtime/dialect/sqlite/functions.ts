/**
 * SQL functions the SQLite dialect's SQL relies on, which every SQLite driver registers on its
 * connection (the native engine registers the same in native/src/sqlite/functions.rs).
 * SQLite's own `lower()`/`upper()` fold ASCII only; Postgres folds every letter, so
 * case-insensitive lookups and `Lower`/`Upper` use `yara_lower`/`yara_upper` to mean the same on
 * both databases: each maps every code point on its own by Unicode's simple (one-to-one) case
 * mapping, as Postgres does on a UTF-8 database (`İ` → `i`, `Σ` → `σ` even at a word's end,
 * `ß` and `ﬁ` stay) and unlike JavaScript's `toLowerCase`/`toUpperCase`, which apply the full,
 * context-sensitive mapping (`İ` → `i̇`, final `ς`, `ß` → `SS`).
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
 * The aggregates `yara_decimal_min`/`_max`/`_sum`/`_avg` aggregate decimals (canonical text)
 * exactly, where SQLite's own would read them as REALs (decimal-aggregates.ts).
 */
import { DatabaseError } from "../../errors.js";
import { searchMatches, searchWords } from "../../query/search-words.js";
import { DECIMAL_AGGREGATES } from "./decimal-aggregates.js";

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

/** The state of an aggregate over one group: given each row's value, then asked its result. */
export interface Accumulator {
  step(value: unknown): void;
  result(): unknown;
}

/**
 * An aggregate function of one argument, which every SQLite driver registers too: `start`
 * gives a new accumulator for each group. Integers arrive as bigints (all of int64); the result
 * depends on the values only (deterministic), and DISTINCT and FILTER (WHERE …) apply to it as
 * to SQLite's own aggregates.
 */
export interface SqliteAggregate {
  readonly name: string;
  readonly start: () => Accumulator;
}

const fold =
  (convert: (s: string) => string) =>
  (value: unknown): unknown =>
    typeof value === "string" ? convert(value) : value;

/**
 * `s` lower-cased code point by code point. The full mapping of `toLowerCase` differs from the
 * simple one in two letters only. `İ` (U+0130) becomes two code units (`i` + U+0307) where the
 * simple mapping gives `i`; no other letter changes length (none shrinks), so an unchanged
 * length rules it out for free. `Σ` becomes `ς` at the end of a word where the simple mapping
 * gives `σ`: with lengths equal, indices are too, and those `ς` are put back to `σ` at their
 * `Σ`'s index. The one test the common case pays is `indexOf("Σ")`.
 */
function simpleLower(s: string): string {
  let text = s;
  let full = text.toLowerCase();
  if (full.length !== text.length) {
    text = text.replaceAll("\u0130", "i");
    full = text.toLowerCase();
  }
  let at = text.indexOf("\u03a3");
  if (at === -1 || full.length !== text.length) return full;
  let out = "";
  let from = 0;
  for (; at !== -1; at = text.indexOf("\u03a3", at + 1)) {
    if (full.charCodeAt(at) !== 0x3c2) continue;
    out += full.slice(from, at) + "\u03c3";
    from = at + 1;
  }
  return from === 0 ? full : out + full.slice(from);
}

/**
 * The code points whose full upper case (`toUpperCase`) is several code points (SpecialCasing:
 * `ß` → `SS`, `ﬁ` → `FI`, `ᾳ` → `ΑΙ`…), all in the BMP. Their simple mapping keeps them, except
 * the Greek small letters with ypogegrammeni, which take their one-letter capital (`ᾳ` → `ᾼ`).
 */
const EXPANDING_UPPER =
  /[\u00df\u0149\u01f0\u0390\u03b0\u0587\u1e96-\u1e9a\u1f50\u1f52\u1f54\u1f56\u1f80-\u1faf\u1fb2-\u1fb4\u1fb6\u1fb7\u1fbc\u1fc2-\u1fc4\u1fc6\u1fc7\u1fcc\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2-\u1fe4\u1fe6\u1fe7\u1ff2-\u1ff4\u1ff6\u1ff7\u1ffc\ufb00-\ufb06\ufb13-\ufb17]/g;

/** Simple upper case of a code point of EXPANDING_UPPER. */
function simpleUpperOf(c: string): string {
  const code = c.charCodeAt(0);
  // ᾀ-ᾇ, ᾐ-ᾗ, ᾠ-ᾧ → ᾈ-ᾏ, ᾘ-ᾟ, ᾨ-ᾯ; ᾳ ῃ ῳ → ᾼ ῌ ῼ.
  if (code >= 0x1f80 && code <= 0x1faf && (code & 8) === 0) return String.fromCharCode(code + 8);
  if (code === 0x1fb3 || code === 0x1fc3 || code === 0x1ff3) return String.fromCharCode(code + 9);
  return c;
}

/**
 * `s` upper-cased code point by code point. Upper case has no context, and no code point's full
 * upper case is shorter than itself, so a full result of the same length is the simple one (a
 * test that costs nothing); otherwise the text between expanding code points is upper-cased as
 * usual and those take their simple mapping.
 */
function simpleUpper(s: string): string {
  const full = s.toUpperCase();
  if (full.length === s.length) return full;
  let out = "";
  let from = 0;
  EXPANDING_UPPER.lastIndex = 0;
  for (let m = EXPANDING_UPPER.exec(s); m !== null; m = EXPANDING_UPPER.exec(s)) {
    out += s.slice(from, m.index).toUpperCase() + simpleUpperOf(m[0]);
    from = m.index + 1;
  }
  return out + s.slice(from).toUpperCase();
}

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
  { name: YARA_LOWER, fn: fold(simpleLower), deterministic: true },
  { name: YARA_UPPER, fn: fold(simpleUpper), deterministic: true },
  { name: YARA_REGEXP, fn: regexp("su"), deterministic: true },
  { name: YARA_IREGEXP, fn: regexp("siu"), deterministic: true },
  { name: YARA_SEARCH, fn: search(), deterministic: true },
  { name: YARA_RAISE, fn: raise, deterministic: false },
  { name: YARA_INTEGER, fn: integerIn, deterministic: false, safeIntegers: true },
];

export const SQLITE_AGGREGATES: readonly SqliteAggregate[] = DECIMAL_AGGREGATES;
