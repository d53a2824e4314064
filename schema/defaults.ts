/**
 * Whether a literal `default` suits its field: typed to the field's value type (api.md "Value
 * types"), inside the column's range, and one of an enum's values.
 */
import type { FieldKind, LiteralValue } from "./ir.js";

/** What the default is checked against. */
export interface DefaultTarget {
  readonly kind: FieldKind;
  readonly nullable: boolean;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly enumValues?: readonly (string | number)[];
}

const INT_RANGES: Partial<Record<FieldKind, readonly [number, number]>> = {
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  intEnum: [-2147483648, 2147483647],
};

/**
 * Completes "must be …" when `value` does not suit `field`; undefined when it does.
 * `null` is handled by the caller (it depends on `null: true`, not on the kind).
 */
export function expectedDefault(field: DefaultTarget, value: LiteralValue): string | undefined {
  switch (field.kind) {
    case "int":
    case "smallint":
    case "bigint": {
      const [min, max] = INT_RANGES[field.kind] ?? [0, 0];
      const ok =
        typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
      return ok ? undefined : `an integer between ${min} and ${max}`;
    }
    case "float":
      return typeof value === "number" ? undefined : "a number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "true or false";
    case "text":
      return typeof value === "string" ? undefined : "a string";
    case "char": {
      const max = field.maxLength ?? Infinity;
      return typeof value === "string" && value.length <= max
        ? undefined
        : `a string of at most ${max} characters`;
    }
    case "decimal":
      return decimalExpected(field, value);
    case "datetime":
      return typeof value === "string" && isIsoInstant(value)
        ? undefined
        : 'an ISO-8601 date and time with a time zone, like "2024-01-31T09:30:00Z"';
    case "date":
      return typeof value === "string" && isDate(value) ? undefined : 'a "YYYY-MM-DD" date string';
    case "time":
      return typeof value === "string" &&
        /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$/.test(value)
        ? undefined
        : 'a "HH:MM:SS" time string, optionally with up to 6 fractional digits';
    case "uuid":
      return typeof value === "string" && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value)
        ? undefined
        : 'a UUID string like "123e4567-e89b-12d3-a456-426614174000"';
    case "json":
      return undefined;
    case "binary":
      return "left out (a binary value is not a literal)";
    case "charEnum":
    case "intEnum": {
      const values = field.enumValues ?? [];
      const listed = values.map((v) => JSON.stringify(v)).join(", ");
      return values.some((v) => v === value) ? undefined : `one of its values (${listed})`;
    }
  }
}

function decimalExpected(field: DefaultTarget, value: LiteralValue): string | undefined {
  const places = field.decimalPlaces ?? 0;
  const whole = (field.maxDigits ?? 0) - places;
  const expected = `a decimal string with at most ${whole} digits before the point and ${places} after, like "${"0".repeat(Math.max(whole, 1))}${places > 0 ? "." + "0".repeat(places) : ""}"`;
  const match = typeof value === "string" ? /^-?(\d+)(?:\.(\d+))?$/.exec(value) : null;
  if (match === null) return expected;
  const integerDigits = (match[1] ?? "").replace(/^0+/, "").length;
  const fractionDigits = (match[2] ?? "").length;
  return integerDigits <= whole && fractionDigits <= places ? undefined : expected;
}

function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

function isIsoInstant(value: string): boolean {
  const shape = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  return shape !== null && isDate(shape[1] ?? "") && !Number.isNaN(Date.parse(value));
}
