/**
 * Schemas for the generated `xCreateSchema` / `xUpdateSchema`, one per field kind. Each is
 * a thin wrapper over `checkValue` (`runtime/dialect/field-checks.ts`), the same check the
 * encoder runs for filter values, update() and save(), so create and every other path accept
 * exactly the same values. Generated code uses them as `inputs.char(100)`,
 * `inputs.decimal(10, 2)`, with the field's validators last when it has some
 * (`inputs.int({ minValue: 0 })`), and `inputs.strictObject({ … })` around them; the model
 * manager parses update data with the schemas, and words create()'s refusals with the create
 * schema (model/create-input.ts checks create input by the same rules in one pass), turning
 * failures into `ValidationError`s naming the field.
 *
 * They are zod schemas, but declared as `Input<T>`, which names no zod type: the generated
 * client then imports nothing of zod, and an app's type-check never reads zod's declarations
 * (about 95 files; a fifth of the 300-model type-check's time went to them).
 */
import { z } from "zod";
import { checkValue, type FieldSpec, Rejected } from "../dialect/field-checks.js";
import type { FieldValidators } from "../model/meta.js";
import type { SchemaLike } from "../query/base.js";
import type { JsonValue } from "./json.js";
import { Expression } from "../query/f.js";

/** A schema of values of type `T`: what `safeParse` accepts, and its optional / nullable forms. */
export interface Input<T> extends SchemaLike {
  /** Also accepts null. */
  nullable(): Input<T | null>;
  /** Also accepts a missing (undefined) value. */
  optional(): Input<T | undefined>;
}

/**
 * Every `Input` is a zod schema made in this file (zod's `ZodType<T>` is one structurally), so
 * `strictObject` hands its shape back to zod as it is.
 */
type Shape = Readonly<Record<string, Input<unknown>>>;

/** The create or update schema: `error` reads as undefined on success, as zod's does. */
export interface ObjectInput extends SchemaLike {
  safeParse(data: unknown):
    | { success: true; error?: undefined }
    | {
        success: false;
        error: Extract<ReturnType<SchemaLike["safeParse"]>, { success: false }>["error"];
      };
}

/** An object of exactly these keys, each checked by its schema: the create or update input. */
const strictObject = (shape: Shape): ObjectInput =>
  z.strictObject(shape as unknown as Readonly<Record<string, z.ZodType>>);

/** An instance of `model` (a related model, `author: ada`): zod's `instanceof` check. */
const instanceOf = <M extends object>(model: abstract new (...args: never[]) => M): Input<M> =>
  // An abstract class is a constructor to `instanceof`; zod's signature only takes concrete ones.
  z.instanceof(model as unknown as new () => M);

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
function field<T>(spec: FieldSpec): Input<T> {
  return z.custom<T>((value) => problem(spec, value) === undefined, {
    error: (issue) => problem(spec, issue.input),
  });
}

/** An integer of the INTEGER range. */
const int = (validators?: FieldValidators): Input<number> => field({ kind: "int", validators });
/** An integer of the SMALLINT range. */
const smallint = (validators?: FieldValidators): Input<number> =>
  field({ kind: "smallint", validators });
/** A 64-bit bigint, or a number that is a safe integer. */
const bigint = (validators?: FieldValidators): Input<bigint | number> =>
  field({ kind: "bigint", validators });
/** A finite number. */
const float = (validators?: FieldValidators): Input<number> => field({ kind: "float", validators });
const boolean = (validators?: FieldValidators): Input<boolean> =>
  field({ kind: "boolean", validators });
/** A string of at most `maxLength` characters (code points), without lone surrogates. */
const char = (maxLength: number, validators?: FieldValidators): Input<string> =>
  field({ kind: "char", maxLength, validators });
/** A string without lone surrogates. */
const text = (validators?: FieldValidators): Input<string> => field({ kind: "text", validators });
/** A decimal string or finite number with at most `maxDigits` digits, `decimalPlaces` after the point. */
const decimal = (
  maxDigits: number,
  decimalPlaces: number,
  validators?: FieldValidators,
): Input<string | number> => field({ kind: "decimal", maxDigits, decimalPlaces, validators });
/** A valid Date (years 1-9999), or an ISO-8601 date and time with a zone. */
const datetime = (validators?: FieldValidators): Input<Date | string> =>
  field({ kind: "datetime", validators });
/** A calendar date `"YYYY-MM-DD"`, or a Date (its UTC day). */
const date = (validators?: FieldValidators): Input<string | Date> =>
  field({ kind: "date", validators });
/** A time of day `"HH:MM"`, `"HH:MM:SS"` or `"HH:MM:SS.ffffff"`. */
const time = (validators?: FieldValidators): Input<string> => field({ kind: "time", validators });
/** A UUID `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, either case. */
const uuid = (validators?: FieldValidators): Input<string> => field({ kind: "uuid", validators });
/** A JSON value that reads back equal: no undefined, NaN, Date or class instance inside. */
const json = (validators?: FieldValidators): Input<JsonValue> =>
  field({ kind: "json", validators });
const binary = (validators?: FieldValidators): Input<Uint8Array> =>
  field({ kind: "binary", validators });
/** One of the listed strings. */
const charEnum = <const V extends readonly string[]>(
  values: V,
  validators?: FieldValidators,
): Input<V[number]> => field({ kind: "charEnum", enumValues: values, validators });
/** One of the listed integers. */
const intEnum = <const V extends readonly number[]>(
  values: V,
  validators?: FieldValidators,
): Input<V[number]> => field({ kind: "intEnum", enumValues: values, validators });

/** Accepts what `schema` accepts or an expression: the value of a field in `update()`. */
function orExpression<T>(schema: Input<T>): Input<T | Expression> {
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
  strictObject,
  instanceOf,
} as const;
