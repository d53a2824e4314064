/**
 * What each field kind accepts: the one definition behind every way a value reaches the
 * database. The encoder (`encode.ts`: filter values, update(), save(), every INSERT) and the
 * generated zod schemas (`runtime/types/inputs.ts`: create, bulkCreate, update input) both call
 * `checkValue`, and the schema reader checks literal defaults with it, so a value is accepted
 * or refused the same way on every path. The accepted spellings per kind are listed in
 * docs/api.md ("Accepted values"); only the database-specific limits (NUL in Postgres text) are
 * left to the encoder, which knows the dialect. A written value must also meet the field's
 * validators (`minValue`, `maxValue`, `minLength`, `regex`, `email`, then the custom ones the schema
 * names, `model/custom-validators.ts`); a filter value need not.
 */
import { FIRST_INSTANT, isoInstant, isoTime, LAST_INSTANT } from "./iso-instant.js";
import { customProblem, UnregisteredValidator } from "../model/custom-validators.js";
import type { FieldKind, FieldValidators } from "../model/meta.js";

/** The parts of a field that decide what it accepts (a FieldMeta, or a zod schema's options). */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly maxLength?: number | undefined;
  readonly maxDigits?: number | undefined;
  readonly decimalPlaces?: number | undefined;
  readonly enumValues?: readonly (string | number)[] | undefined;
  readonly validators?: FieldValidators | undefined;
}

/**
 * `write` also enforces sizes (maxLength, digits, decimal places); a filter value only has to
 * be of the field's kind (`title: "x".repeat(500)` matches nothing rather than failing).
 */
export type CheckMode = "write" | "filter";

/** Why a value was refused; completes "Book.title: …". */
export class Rejected {
  constructor(
    readonly why: string,
    /** Set when a custom validator the field names was never registered (not the value's fault). */
    readonly unregistered?: UnregisteredValidator,
  ) {}
}

/**
 * `value instanceof Rejected`, asked only of objects: most checked values are strings and
 * numbers, and an `instanceof` whose class is an imported binding is a generic builtin call
 * (a lookup of `Symbol.hasInstance`, about 200 instructions) that optimized code cannot fold.
 */
export function isRejected(value: unknown): value is Rejected {
  return typeof value === "object" && value !== null && value instanceof Rejected;
}

const INT_RANGES = {
  int: [-2147483648, 2147483647],
  smallint: [-32768, 32767],
  intEnum: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,9}))?)?(?:(Z)|([+-])([01]\d|2[0-3]):?([0-5]\d))$/;
/** Postgres NUMERIC's input syntax, without NaN and infinities. */
const DECIMAL = /^[ \t\n\r\v\f]*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?[ \t\n\r\v\f]*$/;
/** In `u` mode a surrogate range matches only surrogates that are not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/** Longest digit string a decimal may expand to (Postgres NUMERIC's own limit is 131072+16383). */
const MAX_DECIMAL_DIGITS = 1000;
/** SQLite's JSON functions refuse documents nested deeper than this (JSON_MAX_DEPTH). */
const MAX_JSON_DEPTH = 1000;

/** Whether `text` holds a UTF-16 surrogate that is not half of a pair (UTF-8 cannot carry it). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Characters (code points) in `text`, as Postgres' varchar(n) and SQLite's length() count. */
export function characterCount(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * The value `field` stores for the non-null `value`, in a dialect-neutral form (a canonical
 * decimal string, `YYYY-MM-DD`, `HH:MM:SS[.ffffff]`, an ISO instant, lower-case UUID, JSON text),
 * or a `Rejected` saying why it is not one.
 */
export function checkValue(field: FieldSpec, value: unknown, mode: CheckMode): unknown {
  const checked = checkKind(field, value, mode);
  if (mode === "write" && field.validators !== undefined && !isRejected(checked)) {
    const why = validatorProblem(field.validators, checked);
    if (why !== undefined) return new Rejected(why);
    if (field.validators.custom !== undefined) {
      // Custom validators see the value as the field reads back: the canonical form, a Date, JSON.
      const seen =
        field.kind === "json"
          ? value
          : field.kind === "datetime"
            ? new Date(checked as string)
            : checked;
      const custom = customProblem(field.validators.custom, seen);
      if (custom instanceof UnregisteredValidator)
        return new Rejected(`validator "${custom.validator}" is not registered`, custom);
      if (custom !== undefined) return new Rejected(custom);
    }
  }
  return checked;
}

/** A plain address: something, `@`, a domain with a dot; no spaces (as Django's, simplified). */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/u;

const patterns = new Map<string, RegExp>();
/** The compiled `regex` validator; the schema reader made sure it compiles. */
function pattern(source: string): RegExp {
  let re = patterns.get(source);
  if (re === undefined) patterns.set(source, (re = new RegExp(source, "u")));
  return re;
}

/** Why the checked value breaks a validator, completing "Book.price: …". */
function validatorProblem(v: FieldValidators, checked: unknown): string | undefined {
  if (v.minValue !== undefined && compare(checked, v.minValue) < 0)
    return `less than minValue ${v.minValue}`;
  if (v.maxValue !== undefined && compare(checked, v.maxValue) > 0)
    return `more than maxValue ${v.maxValue}`;
  if (typeof checked !== "string") return undefined;
  if (v.minLength !== undefined && characterCount(checked) < v.minLength)
    return `shorter than minLength ${v.minLength} (counted in characters)`;
  if (v.regex !== undefined && !pattern(v.regex).test(checked))
    return `does not match the pattern ${v.regex}`;
  if (v.email === true && !EMAIL.test(checked)) return "is not an email address";
  return undefined;
}

/** Compares a checked number, bigint or canonical decimal string with a bound. */
function compare(value: unknown, bound: number | string): number {
  if (typeof value === "number") return value - Number(bound);
  if (typeof value === "bigint") {
    const b = BigInt(bound);
    return value < b ? -1 : value > b ? 1 : 0;
  }
  return compareDecimals(String(value), String(checkDecimal({ kind: "decimal" }, bound, "filter")));
}

/** Compares two canonical decimal strings (`-12.5`, `3`) exactly. */
function compareDecimals(a: string, b: string): number {
  const negA = a.startsWith("-");
  const negB = b.startsWith("-");
  if (negA !== negB) return negA ? -1 : 1;
  const [ia = "", fa = ""] = (negA ? a.slice(1) : a).split(".");
  const [ib = "", fb = ""] = (negB ? b.slice(1) : b).split(".");
  const width = Math.max(fa.length, fb.length);
  const x = ia.padStart(Math.max(ia.length, ib.length), "0") + fa.padEnd(width, "0");
  const y = ib.padStart(Math.max(ia.length, ib.length), "0") + fb.padEnd(width, "0");
  const magnitude = x < y ? -1 : x > y ? 1 : 0;
  return negA ? -magnitude : magnitude;
}

function checkKind(field: FieldSpec, value: unknown, mode: CheckMode): unknown {
  switch (field.kind) {
    case "int":
    case "smallint":
      return checkInt(value, INT_RANGES[field.kind]);
    case "intEnum": {
      const n = checkInt(value, INT_RANGES.intEnum);
      if (n instanceof Rejected) return n;
      return field.enumValues && !field.enumValues.includes(n) ? notListed(field) : n;
    }
    case "bigint":
      return checkBigint(value);
    case "float":
      // -0 is taken as 0: SQLite keeps no sign on a zero, so every database answers 0.
      return typeof value === "number" && Number.isFinite(value)
        ? value === 0
          ? 0
          : value
        : new Rejected("expected a finite number");
    case "decimal":
      return checkDecimal(field, value, mode);
    case "boolean":
      return typeof value === "boolean" ? value : new Rejected("expected a boolean");
    case "char":
    case "text":
      return checkText(field, value, mode);
    case "charEnum": {
      const s = checkText(field, value, "filter");
      if (s instanceof Rejected) return s;
      return field.enumValues && !field.enumValues.includes(s as string) ? notListed(field) : s;
    }
    case "datetime":
      return checkDatetime(value);
    case "date":
      return checkDate(value);
    case "time":
      return checkTime(value);
    case "uuid":
      return typeof value === "string" && UUID.test(value)
        ? value.toLowerCase()
        : new Rejected("expected a UUID string");
    case "json":
      return checkJson(value);
    case "binary":
      return value instanceof Uint8Array ? value : new Rejected("expected a Uint8Array");
  }
}

function notListed(field: FieldSpec): Rejected {
  const listed = (field.enumValues ?? []).map((v) => JSON.stringify(v)).join(", ");
  return new Rejected(`is not one of the enum values (${listed})`);
}

/** A safe integer number in range; a bigint in range is taken as its number. */
function checkInt(value: unknown, [min, max]: readonly [number, number]): number | Rejected {
  const n =
    typeof value === "bigint" && value >= BigInt(min) && value <= BigInt(max)
      ? Number(value)
      : value;
  if (typeof n !== "number" || !Number.isInteger(n)) return new Rejected("expected an integer");
  if (!Number.isSafeInteger(n) || n < min || n > max)
    return new Rejected(`integer out of range [${min}, ${max}]`);
  return n;
}

function checkBigint(value: unknown): bigint | Rejected {
  if (typeof value === "number") {
    return Number.isSafeInteger(value)
      ? BigInt(value)
      : new Rejected("expected a bigint or a safe integer number");
  }
  if (typeof value !== "bigint") return new Rejected("expected a bigint");
  if (value < INT8_MIN || value > INT8_MAX) return new Rejected("bigint out of the 64-bit range");
  return value;
}

function checkText(field: FieldSpec, value: unknown, mode: CheckMode): string | Rejected {
  if (typeof value !== "string") return new Rejected("expected a string");
  // Every driver sends text as UTF-8, which has no lone surrogates: they would arrive as U+FFFD.
  if (LONE_SURROGATE.test(value))
    return new Rejected("text may not contain a lone UTF-16 surrogate (not valid Unicode)");
  const max = field.maxLength;
  // value.length >= characters: the count is only needed when the UTF-16 length is over.
  if (mode === "write" && max !== undefined && value.length > max && characterCount(value) > max)
    return new Rejected(`longer than maxLength ${max} (counted in characters)`);
  return value;
}

/** Whether y-m-d is a day of the proleptic Gregorian calendar, years 1-9999. */
function isCalendarDay(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

function checkDatetime(value: unknown): string | Rejected {
  let t: number;
  if (value instanceof Date) {
    // The common case, without a copy of the Date or a look at its calendar fields.
    const time = value.getTime();
    if (Number.isNaN(time)) return new Rejected("invalid Date");
    if (time < FIRST_INSTANT || time > LAST_INSTANT)
      return new Rejected("Date outside years 1-9999");
    return isoTime(time);
  } else if (typeof value === "string") {
    const m = DATETIME.exec(value);
    if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])))
      return new Rejected("expected a Date or an ISO-8601 date and time with a zone");
    const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
    const offset =
      m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
    const utc = new Date(0);
    utc.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    utc.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms);
    t = utc.getTime() - offset * 60_000;
  } else {
    return new Rejected("expected a Date");
  }
  const date = new Date(t);
  const year = date.getUTCFullYear();
  // toISOString() writes "+010000-…" / "-000001-…" outside these years.
  if (year < 1 || year > 9999) return new Rejected("Date outside years 1-9999");
  return isoInstant(date);
}

function checkDate(value: unknown): string | Rejected {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return new Rejected("invalid Date");
    const year = value.getUTCFullYear();
    if (year < 1 || year > 9999) return new Rejected("Date outside years 1-9999");
    return value.toISOString().slice(0, 10);
  }
  const m = typeof value === "string" ? DATE.exec(value) : null;
  if (!m) return new Rejected("expected a date YYYY-MM-DD");
  if (!isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3])))
    return new Rejected("not a calendar date");
  return value as string;
}

function checkTime(value: unknown): string | Rejected {
  const m = typeof value === "string" ? TIME.exec(value) : null;
  if (!m) return new Rejected("expected a time HH:MM[:SS[.ffffff]]");
  // Trailing zeros dropped, as Postgres prints TIME, so SQLite's text compares equal too.
  const fraction = (m[4] ?? "").replace(/0+$/, "");
  return `${m[1]}:${m[2]}:${m[3] ?? "00"}${fraction ? `.${fraction}` : ""}`;
}

/**
 * The JSON text of a JSON value: null, booleans, finite numbers, strings, arrays and plain
 * objects of them. Anything JSON.stringify would silently change (undefined in an array, NaN,
 * a Date, a class instance) or cannot write (bigint, a cycle) is refused, so what is read back
 * equals what was written; an object property set to undefined is left out.
 */
function checkJson(value: unknown): string | Rejected {
  const why = jsonProblem(value, 0, []);
  return why === undefined ? JSON.stringify(value) : new Rejected(why);
}

function jsonProblem(value: unknown, depth: number, parents: object[]): string | undefined {
  switch (typeof value) {
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : "JSON numbers must be finite";
    case "string":
      return LONE_SURROGATE.test(value)
        ? "JSON may not contain a lone UTF-16 surrogate (not valid Unicode)"
        : undefined;
    case "object":
      break;
    default:
      return `value is not JSON (a ${typeof value})`;
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `JSON nested too deeply (over ${MAX_JSON_DEPTH} levels)`;
  if (parents.includes(value)) return "value is not JSON (it contains itself)";
  const proto = Object.getPrototypeOf(value) as unknown;
  const items = Array.isArray(value)
    ? value
    : proto === Object.prototype || proto === null
      ? undefined
      : null;
  if (items === null) return "value is not JSON (only plain objects and arrays are)";
  parents.push(value);
  try {
    if (items !== undefined) {
      for (let i = 0; i < items.length; i++) {
        const why = jsonProblem(items[i], depth + 1, parents);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (LONE_SURROGATE.test(key))
        return "JSON may not contain a lone UTF-16 surrogate (not valid Unicode)";
      const item = (value as Record<string, unknown>)[key];
      // Left out, as JSON.stringify does: reading the key back gives undefined either way.
      if (item === undefined) continue;
      const why = jsonProblem(item, depth + 1, parents);
      if (why !== undefined) return why;
    }
    return undefined;
  } finally {
    parents.pop();
  }
}

/**
 * The canonical text of a decimal, with exactly `decimalPlaces` fraction digits ("12.5" →
 * "12.50"). Accepts a finite number or a string in Postgres NUMERIC's syntax (surrounding
 * ASCII white space, a sign, `.5`, `5.`, an exponent). Writing more places than the field has
 * is refused, never rounded; a filter value keeps its places (`price__lt: "5.005"`).
 */
export function checkDecimal(field: FieldSpec, value: unknown, mode: CheckMode): string | Rejected {
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" && Number.isFinite(value)
        ? String(value)
        : typeof value === "bigint"
          ? value.toString()
          : undefined;
  if (text === undefined) return new Rejected("expected a decimal string or number");
  let negative: boolean;
  let digits: string;
  let point: number;
  const at = plainPoint(text);
  if (at >= 0 && isCanonical(field, text, at, mode)) return text;
  if (at >= 0) {
    // `-?\d+(\.\d+)?`, the form nearly every value has: no regex, no digit string rebuilt.
    negative = text.charCodeAt(0) === MINUS;
    const from = negative ? 1 : 0;
    digits = at === text.length ? text.slice(from) : text.slice(from, at) + text.slice(at + 1);
    point = at - from;
  } else {
    const m = DECIMAL.exec(text);
    if (!m || (m[2] === "" && (m[3] ?? "") === ""))
      return new Rejected("expected a decimal string or number");
    negative = m[1] === "-";
    digits = `${m[2]}${m[3] ?? ""}`;
    point = m[2]!.length + Number(m[4] ?? 0);
    // An exponent such as 1e999999999 would expand to a gigabyte of zeros: refuse it first.
    if (!Number.isSafeInteger(point) || Math.abs(point) > MAX_DECIMAL_DIGITS)
      return new Rejected("decimal out of range");
    if (point < 0) {
      digits = "0".repeat(-point) + digits;
      point = 0;
    }
    if (point > digits.length) digits += "0".repeat(point - digits.length);
  }
  if (point > MAX_DECIMAL_DIGITS) return new Rejected("decimal out of range");
  // Leading zeros of the whole part and trailing zeros of the fraction dropped.
  let first = 0;
  while (first < point && digits.charCodeAt(first) === ZERO) first++;
  let last = digits.length;
  while (last > point && digits.charCodeAt(last - 1) === ZERO) last--;
  const intPart = first === point ? "0" : digits.slice(first, point);
  let frac = digits.slice(point, last);
  // -0 is 0: a minus sign only before a digit that is not zero.
  negative &&= first < point || frac.length > 0;
  const places = field.decimalPlaces;
  if (places !== undefined) {
    if (frac.length > places && mode === "write")
      return new Rejected(`more than ${places} decimal places`);
    if (frac.length < places) frac = frac.padEnd(places, "0");
  }
  const maxDigits = field.maxDigits;
  const whole = (maxDigits ?? 0) - (places ?? 0);
  if (mode === "write" && maxDigits !== undefined && (intPart === "0" ? 0 : intPart.length) > whole)
    return new Rejected(`more than ${whole} digits before the decimal point`);
  const canonical = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  return negative ? `-${canonical}` : canonical;
}

/**
 * Whether the plain decimal `text` (its point at `at`) is its own canonical text, and a value
 * `field` accepts: no sign, a whole part without leading zeros, exactly `decimalPlaces`
 * fraction digits, and (writing) no more whole digits than the field has. What most written
 * values are; `checkDecimal` then returns the text itself without rebuilding it.
 */
function isCanonical(field: FieldSpec, text: string, at: number, mode: CheckMode): boolean {
  const places = field.decimalPlaces;
  if (places === undefined || at === text.length || text.length - at - 1 !== places) return false;
  const first = text.charCodeAt(0);
  if (first === MINUS || (first === ZERO && at !== 1)) return false;
  const maxDigits = field.maxDigits;
  if (mode !== "write" || maxDigits === undefined) return true;
  return (first === ZERO ? 0 : at) <= maxDigits - places;
}

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Where the `.` of `text` is when it is a plain decimal, `-?\d+(\.\d+)?` (its length when it
 * has no point); -1 for any other form, which DECIMAL then reads.
 */
function plainPoint(text: string): number {
  const from = text.charCodeAt(0) === MINUS ? 1 : 0;
  let point = -1;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) continue;
    if (c !== DOT || point >= 0 || i === from) return -1;
    point = i;
  }
  if (point === text.length - 1 || text.length === from) return -1;
  return point < 0 ? text.length : point;
}
