/**
 * Whether a literal `default` suits its field: what the runtime accepts for the field's kind
 * (api.md "Accepted values"), inside the column's range, and one of an enum's values.
 */
import { checkValue, Rejected } from "yara-orm/internal/codegen";
import type { FieldKind, FieldValidators, LiteralValue } from "./ir.js";

/** What the default is checked against. */
export interface DefaultTarget {
  readonly kind: FieldKind;
  readonly nullable: boolean;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly enumValues?: readonly (string | number)[];
  readonly validators?: FieldValidators;
}

/** What a default of each kind must be, completing "must be …". */
function expected(field: DefaultTarget): string {
  switch (field.kind) {
    case "int":
    case "smallint":
    case "bigint": {
      const [min, max] = INT_RANGES[field.kind];
      return `an integer between ${min} and ${max}`;
    }
    case "float":
      return "a finite number";
    case "boolean":
      return "true or false";
    case "text":
      return "a string";
    case "char":
      return `a string of at most ${field.maxLength ?? Infinity} characters`;
    case "decimal": {
      const places = field.decimalPlaces ?? 0;
      const whole = (field.maxDigits ?? 0) - places;
      return `a decimal string with at most ${whole} digits before the point and ${places} after, like "${"0".repeat(Math.max(whole, 1))}${places > 0 ? "." + "0".repeat(places) : ""}"`;
    }
    case "datetime":
      return 'an ISO-8601 date and time with a time zone, like "2024-01-31T09:30:00Z"';
    case "date":
      return 'a "YYYY-MM-DD" date string';
    case "time":
      return 'a "HH:MM" or "HH:MM:SS" time string, optionally with up to 6 fractional digits';
    case "uuid":
      return 'a UUID string like "123e4567-e89b-12d3-a456-426614174000"';
    case "json":
      return "a JSON value";
    case "binary":
      return "left out (a binary value is not a literal)";
    case "charEnum":
    case "intEnum":
      return `one of its values (${(field.enumValues ?? []).map((v) => JSON.stringify(v)).join(", ")})`;
  }
}

const INT_RANGES = {
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/**
 * Completes "must be …" when `value` does not suit `field`; undefined when it does. The verdict
 * is the runtime's own (`checkValue`), so a default is accepted exactly when create() would
 * accept the same value (custom validators aside). `null` is handled by the caller (it depends on `null: true`).
 */
export function expectedDefault(field: DefaultTarget, value: LiteralValue): string | undefined {
  if (field.kind === "binary" || value === null) return expected(field);
  // A datetime default is a string with a zone; the runtime also takes Date objects, which a
  // literal cannot be.
  if (field.kind === "datetime" && typeof value !== "string") return expected(field);
  // Custom validators are the application's functions, which yara-gen cannot run.
  const spec =
    field.validators?.custom === undefined
      ? field
      : { ...field, validators: { ...field.validators, custom: undefined } };
  return checkValue(spec, value, "write") instanceof Rejected ? expected(field) : undefined;
}
