/**
 * Validates and encodes every value bound to a column, by field kind, following the storage
 * table in docs/design.md, so every driver of a dialect stores the same bytes. A value of the
 * wrong shape is a `ValidationError` naming the model and field and never containing the value.
 */
import type { Dialect, Param } from "../driver/driver.js";
import { ValidationError } from "../errors.js";
import type { FieldMeta } from "../model/meta.js";

export interface EncodeContext {
  /** Undefined when only validating (before the dialect is known). */
  readonly dialect: Dialect | undefined;
  readonly model: string;
  /** `write` also enforces lengths; filter values may be anything the type allows. */
  readonly mode: "write" | "filter";
}

const INT_RANGE = { int: [-2147483648, 2147483647], smallint: [-32768, 32767] } as const;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function fail(ctx: EncodeContext, field: FieldMeta, why: string): never {
  throw new ValidationError(`${ctx.model}.${field.name}: ${why}`, ctx.model, field.name);
}

/** Encodes one non-null value of `field` for `ctx.dialect`. */
export function encodeValue(ctx: EncodeContext, field: FieldMeta, value: unknown): Param {
  if (value === null || value === undefined) {
    if (ctx.mode === "write" && !field.nullable) fail(ctx, field, "may not be null");
    return null;
  }
  switch (field.kind) {
    case "int":
    case "smallint":
      return encodeInt(ctx, field, value, INT_RANGE[field.kind]);
    case "intEnum": {
      const n = encodeInt(ctx, field, value, [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]);
      if (field.enumValues && !field.enumValues.includes(n))
        fail(ctx, field, "is not one of the enum values");
      return n;
    }
    case "bigint":
      return encodeBigint(ctx, field, value);
    case "float":
      if (typeof value !== "number" || !Number.isFinite(value))
        fail(ctx, field, "expected a finite number");
      // -0 is stored as 0: SQLite keeps no sign on a zero, so every database answers 0.
      return value === 0 ? 0 : value;
    case "decimal":
      return canonicalDecimal(ctx, field, value);
    case "boolean":
      if (typeof value !== "boolean") fail(ctx, field, "expected a boolean");
      return ctx.dialect === "sqlite" ? (value ? 1 : 0) : value;
    case "char":
    case "text":
      return encodeText(ctx, field, value);
    case "charEnum": {
      const s = encodeText(ctx, field, value);
      if (field.enumValues && !field.enumValues.includes(s))
        fail(ctx, field, "is not one of the enum values");
      return s;
    }
    case "datetime":
      return encodeDatetime(ctx, field, value);
    case "date":
      return encodeDate(ctx, field, value);
    case "time": {
      const m = typeof value === "string" ? TIME.exec(value) : null;
      if (!m) fail(ctx, field, "expected a time HH:MM[:SS[.ffffff]]");
      // Trailing zeros dropped, as Postgres prints TIME, so SQLite's text compares equal too.
      const fraction = (m[4] ?? "").replace(/0+$/, "");
      return `${m[1]}:${m[2]}:${m[3] ?? "00"}${fraction ? `.${fraction}` : ""}`;
    }
    case "uuid":
      if (typeof value !== "string" || !UUID.test(value))
        fail(ctx, field, "expected a UUID string");
      return value.toLowerCase();
    case "json":
      return encodeJson(ctx, field, value);
    case "binary":
      if (!(value instanceof Uint8Array)) fail(ctx, field, "expected a Uint8Array");
      return value;
  }
}

function encodeInt(
  ctx: EncodeContext,
  field: FieldMeta,
  value: unknown,
  [min, max]: readonly [number, number],
): number {
  const n =
    typeof value === "bigint" && value >= BigInt(min) && value <= BigInt(max)
      ? Number(value)
      : value;
  if (typeof n !== "number" || !Number.isInteger(n)) fail(ctx, field, "expected an integer");
  if (!Number.isSafeInteger(n) || n < min || n > max)
    fail(ctx, field, `integer out of range [${min}, ${max}]`);
  return n;
}

function encodeBigint(ctx: EncodeContext, field: FieldMeta, value: unknown): bigint {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      fail(ctx, field, "expected a bigint or a safe integer number");
    return BigInt(value);
  }
  if (typeof value !== "bigint") fail(ctx, field, "expected a bigint");
  if (value < INT8_MIN || value > INT8_MAX) fail(ctx, field, "bigint out of the 64-bit range");
  return value;
}

/** In `u` mode a surrogate range matches only surrogates that are not half of a pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `text` holds a UTF-16 surrogate that is not half of a pair (UTF-8 cannot carry it). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

function encodeText(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  if (typeof value !== "string") fail(ctx, field, "expected a string");
  // Every driver sends text as UTF-8, which has no lone surrogates: they would arrive as U+FFFD.
  if (LONE_SURROGATE.test(value)) {
    fail(ctx, field, "text may not contain a lone UTF-16 surrogate (not valid Unicode)");
  }
  if (ctx.dialect === "postgres" && value.includes("\0"))
    fail(ctx, field, "text may not contain NUL bytes on Postgres");
  const max = field.maxLength;
  if (ctx.mode === "write" && max !== undefined && value.length > max && [...value].length > max) {
    fail(ctx, field, `longer than maxLength ${max}`);
  }
  return value;
}

function encodeDatetime(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  const date =
    value instanceof Date
      ? value
      : typeof value === "string" && ISO_DATETIME.test(value)
        ? new Date(value)
        : undefined;
  if (!date) fail(ctx, field, "expected a Date");
  const t = date.getTime();
  if (Number.isNaN(t)) fail(ctx, field, "invalid Date");
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) fail(ctx, field, "Date outside years 1-9999");
  return date.toISOString();
}

function encodeDate(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) fail(ctx, field, "invalid Date");
    const year = value.getUTCFullYear();
    // toISOString() writes "+010000-…" / "-000001-…" outside these years.
    if (year < 1 || year > 9999) fail(ctx, field, "Date outside years 1-9999");
    return value.toISOString().slice(0, 10);
  }
  const m = typeof value === "string" ? DATE.exec(value) : null;
  if (!m) fail(ctx, field, "expected a date YYYY-MM-DD");
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1 || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d)
    fail(ctx, field, "not a calendar date");
  return value as string;
}

/**
 * Escapes JSON.stringify writes for NUL and for lone surrogates (the only `\\u` escapes it
 * writes besides other control characters), not preceded by an escaped backslash: the string
 * `"\\u0000"` (backslash, u, 0000) is `"\\\\u0000"` in JSON and matches neither.
 */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
const JSON_LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

function encodeJson(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    fail(ctx, field, "value is not JSON-serialisable (bigint or cycle)");
  }
  if (text === undefined) fail(ctx, field, "value is not JSON-serialisable");
  // Postgres' JSON parser refuses an escaped lone surrogate, which SQLite would keep.
  if (JSON_LONE_SURROGATE.test(text)) {
    fail(ctx, field, "JSON may not contain a lone UTF-16 surrogate (not valid Unicode)");
  }
  if (ctx.dialect === "postgres" && JSON_NUL.test(text))
    fail(ctx, field, "JSON may not contain NUL characters on Postgres");
  return text;
}

/** Longest digit string a decimal may expand to (Postgres NUMERIC's own limit is 131072+16383). */
const MAX_DECIMAL_DIGITS = 1000;

/**
 * Checks a decimal against maxDigits/decimalPlaces and returns it with exactly `decimalPlaces`
 * fraction digits ("12.5" → "12.50"). Numbers are accepted when finite; too many fraction
 * digits is an error when writing, never a silent rounding. A filter value is only
 * canonicalised: "5.005" keeps its places (so `price__lt: "5.005"` compares as a number and
 * `price: "5.001"` matches nothing), as Postgres compares NUMERIC.
 */
export function canonicalDecimal(ctx: EncodeContext, field: FieldMeta, value: unknown): string {
  const text =
    typeof value === "string"
      ? value.trim()
      : typeof value === "number" && Number.isFinite(value)
        ? String(value)
        : typeof value === "bigint"
          ? value.toString()
          : undefined;
  const m = text === undefined ? null : DECIMAL.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === ""))
    fail(ctx, field, "expected a decimal string or number");
  let digits = `${m[2]}${m[3] ?? ""}`;
  let point = m[2]!.length + Number(m[4] ?? 0);
  // An exponent such as 1e999999999 would expand to a gigabyte of zeros: refuse it first.
  if (!Number.isSafeInteger(point) || Math.abs(point) > MAX_DECIMAL_DIGITS)
    fail(ctx, field, "decimal out of range");
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += "0".repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+/, "") || "0";
  let frac = digits.slice(point).replace(/0+$/, "");
  const places = field.decimalPlaces;
  if (places !== undefined) {
    if (frac.length > places && ctx.mode === "write")
      fail(ctx, field, `more than ${places} decimal places`);
    frac = frac.padEnd(places, "0");
  }
  const maxDigits = field.maxDigits;
  if (
    ctx.mode === "write" &&
    maxDigits !== undefined &&
    (intPart === "0" ? 0 : intPart.length) > maxDigits - (places ?? 0)
  ) {
    fail(ctx, field, `more than ${maxDigits - (places ?? 0)} digits before the decimal point`);
  }
  const negative = m[1] === "-" && /[1-9]/.test(intPart + frac);
  return `${negative ? "-" : ""}${intPart}${frac.length > 0 ? `.${frac}` : ""}`;
}
