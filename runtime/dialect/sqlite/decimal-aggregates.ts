/**
 * Exact aggregates of decimals on SQLite, which stores them as canonical text
 * ("12345678901234567890.1234567890"): SQLite's own SUM/MIN/MAX/AVG would read that text as a
 * REAL (15–17 significant digits) and return values that were never stored. These are the
 * better-sqlite3 driver's; the native engine registers the same in native/src/sqlite/decimal.rs,
 * with the same results.
 *
 * - `yara_decimal_min(x)` / `yara_decimal_max(x)`: the stored text of the least / greatest value,
 *   compared as numbers (sign, integer digits, then digit by digit), never as floats;
 * - `yara_decimal_sum(x)`: the exact sum, as decimal text with as many places as the value with
 *   the most (a field's values all have its places, so the sum has them too, as on Postgres);
 * - `yara_decimal_avg(x)`: the double nearest to the exact average (sum / count).
 *
 * NULLs are skipped, and over no value each is NULL. A value is plain decimal text
 * (`-?\d+(\.\d+)?`, what the dialect stores) or an integer; anything else (a REAL, a BLOB, other
 * text, which yara never writes in a decimal column) fails the statement.
 */
import { DatabaseError } from "../../errors.js";
import type { Accumulator, SqliteAggregate } from "./functions.js";

export const YARA_DECIMAL_MIN = "yara_decimal_min";
export const YARA_DECIMAL_MAX = "yara_decimal_max";
export const YARA_DECIMAL_SUM = "yara_decimal_sum";
export const YARA_DECIMAL_AVG = "yara_decimal_avg";

const PLAIN = /^-?\d+(?:\.\d+)?$/;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * The plain decimal text of `value`, or null for NULL; a value that is no decimal fails the
 * statement (with RAISED_CODE, SQLite's code for a function that fails, as yara_raise).
 */
function decimalOf(value: unknown, name: string): string | null {
  if (typeof value === "string") {
    if (PLAIN.test(value)) return value;
  } else if (typeof value === "bigint") {
    return value.toString();
  } else if (value === null) {
    return null;
  }
  const storage = typeof value === "string" ? "TEXT" : typeof value === "number" ? "REAL" : "BLOB";
  throw new DatabaseError(`${name}(): a ${storage} value is not a decimal`, "SQLITE_ERROR");
}

/** -1, 0 or 1: the sign of a plain decimal, 0 for every spelling of zero ("-0.00"). */
function signOf(text: string): number {
  const from = text.charCodeAt(0) === MINUS ? 1 : 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== ZERO && c !== DOT) return from === 1 ? -1 : 1;
  }
  return 0;
}

/**
 * Compares two plain decimals as numbers: by sign, then (both not zero) their magnitudes by the
 * number of integer digits past leading zeros, then digit by digit, the shorter fraction read
 * with zeros after it.
 */
export function compareDecimals(a: string, b: string): number {
  const sa = signOf(a);
  const sb = signOf(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return sa === 0 ? 0 : sa * compareMagnitudes(a, b);
}

function compareMagnitudes(a: string, b: string): number {
  let i = a.charCodeAt(0) === MINUS ? 1 : 0;
  let j = b.charCodeAt(0) === MINUS ? 1 : 0;
  while (a.charCodeAt(i) === ZERO) i++;
  while (b.charCodeAt(j) === ZERO) j++;
  const pa = a.indexOf(".", i);
  const pb = b.indexOf(".", j);
  const ia = (pa < 0 ? a.length : pa) - i;
  const ib = (pb < 0 ? b.length : pb) - j;
  if (ia !== ib) return ia < ib ? -1 : 1;
  // The integer digits, then the fractions': past its end, a text reads "0".
  for (let k = 0; k < ia; k++) {
    const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const fa = pa < 0 ? a.length : pa + 1;
  const fb = pb < 0 ? b.length : pb + 1;
  const width = Math.max(a.length - fa, b.length - fb);
  for (let k = 0; k < width; k++) {
    const x = fa + k < a.length ? a.charCodeAt(fa + k) : ZERO;
    const y = fb + k < b.length ? b.charCodeAt(fb + k) : ZERO;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** `yara_decimal_min` (`direction` -1) or `yara_decimal_max` (1): the first such value stored. */
class Extreme implements Accumulator {
  #best: string | null = null;

  constructor(
    private readonly name: string,
    private readonly direction: number,
  ) {}

  step(value: unknown): void {
    const text = decimalOf(value, this.name);
    if (text === null) return;
    if (this.#best === null || compareDecimals(text, this.#best) === this.direction)
      this.#best = text;
  }

  result(): string | null {
    return this.#best;
  }
}

/**
 * The exact sum as an integer scaled by 10^`places` (`total`), and the number of values. Values
 * of up to 15 digits are added as numbers while the sum stays a safe integer (exact, and cheaper
 * than bigints), and a bigint takes the rest.
 */
class Total implements Accumulator {
  #small = 0;
  #big = 0n;
  places = 0;
  count = 0;

  constructor(private readonly name: string) {}

  step(value: unknown): void {
    const text = decimalOf(value, this.name);
    if (text === null) return;
    const dot = text.indexOf(".");
    const places = dot < 0 ? 0 : text.length - dot - 1;
    const digits = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
    if (places > this.places) {
      this.#big = this.total * 10n ** BigInt(places - this.places);
      this.#small = 0;
      this.places = places;
    }
    this.count++;
    if (places === this.places && digits.length <= 15) {
      // Exact: both are integers, and a sum past 2^53 - 1 is not safe however it rounds.
      const sum = this.#small + Number(digits);
      if (Number.isSafeInteger(sum)) {
        this.#small = sum;
        return;
      }
    }
    const scaled = BigInt(digits);
    this.#big += places === this.places ? scaled : scaled * 10n ** BigInt(this.places - places);
  }

  get total(): bigint {
    return this.#big + BigInt(this.#small);
  }

  result(): string | number | null {
    return this.count === 0 ? null : scaledText(this.total, this.places);
  }
}

class Mean extends Total {
  override result(): number | null {
    if (this.count === 0) return null;
    return nearestDouble(this.total, BigInt(this.count) * 10n ** BigInt(this.places));
  }
}

/** `n` / 10^`places` as decimal text with `places` places ("-0.50"); zero has no sign. */
export function scaledText(n: bigint, places: number): string {
  const digits = (n < 0n ? -n : n).toString().padStart(places + 1, "0");
  const text =
    places === 0
      ? digits
      : `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  return n < 0n ? `-${text}` : text;
}

/**
 * The double nearest to `n / d` (`d` > 0), ties to even, computed exactly: the quotient scaled
 * by 2^-e to 53 bits (e no less than the subnormals' -1074), rounded by its remainder, then
 * scaled back — exact, as the significand is an integer of at most 53 bits and 2^e a power of
 * two. Past the largest double it is ±Infinity.
 */
export function nearestDouble(n: bigint, d: bigint): number {
  if (n === 0n) return 0;
  const a = n < 0n ? -n : n;
  const quotient = (e: number): [bigint, bigint, bigint] => {
    const [num, den] = e < 0 ? [a << BigInt(-e), d] : [a, d << BigInt(e)];
    const q = num / den;
    return [q, num - q * den, den];
  };
  // a / d lies in (2^(la - ld - 1), 2^(la - ld + 1)): scaled by 2^-e, in (2^52, 2^54).
  let e = Math.max(bitLength(a) - bitLength(d) - 53, -1074);
  let [q, r, den] = quotient(e);
  if (q >= 2n ** 53n) [q, r, den] = quotient(++e);
  if (2n * r > den || (2n * r === den && (q & 1n) === 1n)) q++;
  const x = Number(q) * 2 ** e;
  return n < 0n ? -x : x;
}

function bitLength(n: bigint): number {
  return n.toString(2).length;
}

export const DECIMAL_AGGREGATES: readonly SqliteAggregate[] = [
  { name: YARA_DECIMAL_MIN, start: () => new Extreme(YARA_DECIMAL_MIN, -1) },
  { name: YARA_DECIMAL_MAX, start: () => new Extreme(YARA_DECIMAL_MAX, 1) },
  { name: YARA_DECIMAL_SUM, start: () => new Total(YARA_DECIMAL_SUM) },
  { name: YARA_DECIMAL_AVG, start: () => new Mean(YARA_DECIMAL_AVG) },
];
