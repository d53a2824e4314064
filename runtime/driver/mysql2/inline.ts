/**
 * A statement's parameters written into its text as literals, where that is provably the same
 * statement, so mysql2 sends it with the text protocol instead of preparing it: no binary row
 * decoding (mysql2 builds a DATETIME's text from the binary fields digit by digit, about a fifth
 * of a 100-authors-with-books prefetch's CPU, where the text protocol hands over the server's
 * own text), no parameter encoding, no prepared-statement cache.
 *
 * Values are never escaped. A value is written only when its literal needs no escape in any
 * sql_mode, and it keeps the type the binary protocol would have bound:
 * - a finite number as a DOUBLE literal (`12e0`, `0.5e0`, `(-3e0)`): mysql2 binds every number
 *   as a DOUBLE, so `"price" * ?` and `? / 2` compute as before;
 * - null as NULL;
 * - a string of printable ASCII without `'` or `\` between single quotes: nothing inside can
 *   end the literal or start an escape, whatever NO_BACKSLASH_ESCAPES says, and ASCII reads the
 *   same in every connection charset (a bound string, like a literal, is in the connection's).
 *   Bigints, decimals, datetimes and the JSON text of a bound IN list of numbers are such strings.
 * Any other value (bytes, text with a quote, backslash or non-ASCII character) leaves the
 * statement as it is, to be prepared.
 *
 * The placeholders are the `?` outside quoted strings and names. The scan refuses what it could
 * pair wrongly with the server's reading: a backslash anywhere, a comment start (`#`, `--`,
 * `/*`), a non-ASCII character, an unterminated quote, a `?` count that is not the parameters'.
 * A placeholder where MariaDB takes only an integer literal (after LIMIT, OFFSET, FETCH FIRST /
 * NEXT, or as `LIMIT ?, ?`'s first number) also leaves the statement prepared: `LIMIT 10e0` is
 * a syntax error. yara's compiler writes LIMIT and OFFSET as literals, so this is raw SQL only.
 */
import type { MysqlWireParam } from "./params.js";

const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const BACKTICK = 96; // `
const BACKSLASH = 92; // \
const HASH = 35; // #
const DASH = 45; // -
const SLASH = 47; // /
const STAR = 42; // *
const QUESTION = 63; // ?

/** Whether a statement may have a placeholder where only an integer literal goes. */
const MAY_LIMIT = /LIMIT|OFFSET|FETCH/i;

/** Text before a placeholder that must be an integer literal (`LIMIT ?`, `LIMIT 5, ?`, …). */
const INTEGER_ONLY =
  /(?:^|[^\w$])(?:LIMIT|OFFSET|FIRST|NEXT)\s*$|(?:^|[^\w$])LIMIT\s*(?:\?|\d+)\s*,\s*$/i;

/** `sql` with every placeholder replaced by its value's literal; undefined when any cannot be. */
export function inlineParams(sql: string, params: readonly MysqlWireParam[]): string | undefined {
  const literals = new Array<string>(params.length);
  for (let i = 0; i < params.length; i++) {
    const literal = literalOf(params[i]!);
    if (literal === undefined) return undefined;
    literals[i] = literal;
  }
  const limited = MAY_LIMIT.test(sql);
  let out = "";
  let from = 0;
  let k = 0;
  const length = sql.length;
  for (let i = 0; i < length; i++) {
    const c = sql.charCodeAt(i);
    if (c === QUOTE || c === DOUBLE_QUOTE || c === BACKTICK) {
      // A quoted string or name; a doubled quote stays inside it.
      let j = i + 1;
      for (;;) {
        if (j >= length) return undefined;
        const d = sql.charCodeAt(j);
        if (d === BACKSLASH || d > 126) return undefined;
        if (d === c) {
          if (sql.charCodeAt(j + 1) !== c) break;
          j++;
        }
        j++;
      }
      i = j;
    } else if (c === QUESTION) {
      if (k === params.length) return undefined;
      if (limited && INTEGER_ONLY.test(sql.slice(Math.max(0, i - 40), i))) return undefined;
      out += `${sql.slice(from, i)} ${literals[k++]} `;
      from = i + 1;
    } else if (
      c === BACKSLASH ||
      c === HASH ||
      c > 126 ||
      (c === DASH && sql.charCodeAt(i + 1) === DASH) ||
      (c === SLASH && sql.charCodeAt(i + 1) === STAR)
    ) {
      return undefined;
    }
  }
  if (k !== params.length) return undefined;
  return out + sql.slice(from);
}

/** The literal of one bound value, or undefined when it has none that is provably the same. */
function literalOf(value: MysqlWireParam): string | undefined {
  if (value === null) return "NULL";
  if (typeof value === "number") return doubleLiteral(value);
  if (typeof value === "string") return plainString(value) ? `'${value}'` : undefined;
  return undefined;
}

/** A finite number as a DOUBLE literal (an exponent makes it one), negative ones parenthesized. */
function doubleLiteral(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Object.is(n, -0)) return "(-0e0)";
  const text = String(n);
  const literal = text.includes("e") ? text : `${text}e0`;
  return n < 0 ? `(${literal})` : literal;
}

/** Printable ASCII (space to `~`) without `'` or `\`. */
function plainString(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c > 126 || c === QUOTE || c === BACKSLASH) return false;
  }
  return true;
}
