/**
 * zod building blocks for the generated `xCreateSchema` / `xUpdateSchema`, for the field kinds
 * zod has no one-call schema for. Generated code uses them as `inputs.decimal(10, 2)`; the model
 * manager parses create and update data with the schemas and turns failures into
 * `ValidationError`s naming the field.
 */
import { z } from "zod";
import { Expression } from "../query/f.js";

/**
 * A decimal with at most `maxDigits` digits, `decimalPlaces` of them after the point: a string
 * such as `"12.50"` (checked exactly) or a finite number whose integer part fits.
 */
function decimal(maxDigits: number, decimalPlaces: number): z.ZodType<string | number> {
  const integerDigits = maxDigits - decimalPlaces;
  const integerPart = integerDigits > 0 ? `\\d{1,${integerDigits}}` : "0";
  const fraction = decimalPlaces > 0 ? `(\\.\\d{1,${decimalPlaces}})?` : "";
  const pattern = new RegExp(`^-?${integerPart}${fraction}$`);
  const message = `must be a decimal with at most ${integerDigits} digits before the point and ${decimalPlaces} after it`;
  return z.union([
    z.string().regex(pattern, message),
    z.number().refine((n) => Number.isFinite(n) && Math.abs(n) < 10 ** integerDigits, message),
  ]);
}

/** A calendar date, `"YYYY-MM-DD"`. */
function date(): z.ZodType<string> {
  return z.iso.date();
}

/** A time of day, `"HH:MM:SS"` with up to six fractional digits. */
function time(): z.ZodType<string> {
  return z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$/, "must be HH:MM:SS[.ffffff]");
}

/** Accepts what `schema` accepts or an expression: the value of a field in `update()`. */
function orExpression<T>(schema: z.ZodType<T>): z.ZodType<T | Expression> {
  return z.union([schema, z.instanceof(Expression)]);
}

export const inputs = { decimal, date, time, orExpression } as const;
