/**
 * zod schemas for the generated `xCreateSchema` / `xUpdateSchema`, one per field kind. Each is
 * a thin wrapper over `checkValue` (`runtime/dialect/field-checks.ts`), the same check the
 * encoder runs for filter values, update() and save(), so create and every other path accept
 * exactly the same values. Generated code uses them as `inputs.char(100)`,
 * `inputs.decimal(10, 2)`, with the field's validators last when it has some
 * (`inputs.int({ minValue: 0 })`); the model manager parses update data with the schemas, and
 * words create()'s refusals with the create schema (model/create-input.ts checks create input
 * by the same rules in one pass), turning failures into `ValidationError`s naming the field.
 */
import { z } from "zod";
import { checkValue, type FieldSpec, Rejected } from "../dialect/field-checks.js";
import type { FieldValidators } from "../model/meta.js";
import type { JsonValue } from "./json.js";
import { Expression } from "../query/f.js";

/** Why `checkValue` refuses `value` for a create or update, or undefined when it accepts it. */
function problem(spec: FieldSpec, value: unknown): string | undefined {
  if (value === undefined) return "is required";
  if (value === null) return "may not be null";
  const checked = checkValue(spec, value, "write");
  if (!(checked instanceof Rejected)) return undefined;
  // Not the value's fault: thrown, so checkSchema names the model (the field is not known here).
  if (checked.unregistered) throw checked.unregistered;
  return checked.why;
}

/**
 * A schema accepting what `checkValue(spec, …, "write")` accepts; null and missing are refused.
 * The reason is worked out again only for a refused value, so accepting costs one check.
 */
function field<T>(spec: FieldSpec): z.ZodType<T> {
  return z.custom<T>((value) => problem(spec, value) === undefined, {
    error: (issue) => problem(spec, issue.input),
  });
}

/** An integer of the INTEGER range. */
const int = (validators?: FieldValidators): z.ZodType<number> => field({ kind: "int", validators });
/** An integer of the SMALLINT range. */
const smallint = (validators?: FieldValidators): z.ZodType<number> =>
  field({ kind: "smallint", validators });
/** A 64-bit bigint, or a number that is a safe integer. */
const bigint = (validators?: FieldValidators): z.ZodType<bigint | number> =>
  field({ kind: "bigint", validators });
/** A finite number. */
const float = (validators?: FieldValidators): z.ZodType<number> =>
  field({ kind: "float", validators });
const boolean = (validators?: FieldValidators): z.ZodType<boolean> =>
  field({ kind: "boolean", validators });
/** A string of at most `maxLength` characters (code points), without lone surrogates. */
const char = (maxLength: number, validators?: FieldValidators): z.ZodType<string> =>
  field({ kind: "char", maxLength, validators });
/** A string without lone surrogates. */
const text = (validators?: FieldValidators): z.ZodType<string> =>
  field({ kind: "text", validators });
/** A decimal string or finite number with at most `maxDigits` digits, `decimalPlaces` after the point. */
const decimal = (
  maxDigits: number,
  decimalPlaces: number,
  validators?: FieldValidators,
): z.ZodType<string | number> => field({ kind: "decimal", maxDigits, decimalPlaces, validators });
/** A valid Date (years 1-9999), or an ISO-8601 date and time with a zone. */
const datetime = (validators?: FieldValidators): z.ZodType<Date | string> =>
  field({ kind: "datetime", validators });
/** A calendar date `"YYYY-MM-DD"`, or a Date (its UTC day). */
const date = (validators?: FieldValidators): z.ZodType<string | Date> =>
  field({ kind: "date", validators });
/** A time of day `"HH:MM"`, `"HH:MM:SS"` or `"HH:MM:SS.ffffff"`. */
const time = (validators?: FieldValidators): z.ZodType<string> =>
  field({ kind: "time", validators });
/** A UUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, either case. */
const uuid = (validators?: FieldValidators): z.ZodType<string> =>
  field({ kind: "uuid", validators });
/** A JSON value that reads back equal: no undefined, NaN, Date or class instance inside. */
const json = (validators?: FieldValidators): z.ZodType<JsonValue> =>
  field({ kind: "json", validators });
const binary = (validators?: FieldValidators): z.ZodType<Uint8Array> =>
  field({ kind: "binary", validators });
/** One of the listed strings. */
const charEnum = <const V extends readonly string[]>(
  values: V,
  validators?: FieldValidators,
): z.ZodType<V[number]> => field({ kind: "charEnum", enumValues: values, validators });
/** One of the listed integers. */
const intEnum = <const V extends readonly number[]>(
  values: V,
  validators?: FieldValidators,
): z.ZodType<V[number]> => field({ kind: "intEnum", enumValues: values, validators });

/** Accepts what `schema` accepts or an expression: the value of a field in `update()`. */
function orExpression<T>(schema: z.ZodType<T>): z.ZodType<T | Expression> {
  // Not a z.union: a union reports "Invalid input" instead of the field check's reason.
  const why = (value: unknown): string | undefined => {
    if (value instanceof Expression) return undefined;
    const result = schema.safeParse(value);
    return result.success ? undefined : (result.error.issues[0]?.message ?? "invalid value");
  };
  return z.custom<T | Expression>((value) => why(value) === undefined, {
    error: (issue) => why(issue.input),
  });
}

export const inputs = {
  int,
  smallint,
  bigint,
  float,
  boolean,
  char,
  text,
  decimal,
  datetime,
  date,
  time,
  uuid,
  json,
  binary,
  charEnum,
  intEnum,
  orExpression,
} as const;
