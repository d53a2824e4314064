/**
 * What each field kind means to generated code: its TypeScript value type, the `RowReader`
 * getter that decodes it, which lookup family it filters with, and its zod input schema.
 */
import type { FieldIR, FieldKind, ModelIR } from "../schema/ir.js";
import { enumTypeName } from "./naming.js";
import { literal } from "./literal.js";

/** The `RowReader` method that decodes a kind (api.md value types). */
export const READER_METHOD: Record<FieldKind, string> = {
  int: "int",
  smallint: "int",
  intEnum: "int",
  bigint: "bigint",
  float: "float",
  boolean: "boolean",
  char: "text",
  text: "text",
  charEnum: "text",
  decimal: "decimal",
  datetime: "datetime",
  date: "date",
  time: "time",
  uuid: "uuid",
  json: "json",
  binary: "binary",
};

const VALUE_TYPE: Record<Exclude<FieldKind, "charEnum" | "intEnum">, string> = {
  int: "number",
  smallint: "number",
  bigint: "bigint",
  float: "number",
  boolean: "boolean",
  char: "string",
  text: "string",
  decimal: "string",
  datetime: "Date",
  date: "string",
  time: "string",
  uuid: "string",
  json: "JsonValue",
  binary: "Uint8Array",
};

/** Names the generator needs beyond the field itself. */
export interface KindContext {
  readonly model: ModelIR;
  readonly modelNames: ReadonlySet<string>;
}

export const isEnum = (field: FieldIR): boolean =>
  field.kind === "charEnum" || field.kind === "intEnum";

/** The type a model instance holds, without `| null`: `string`, `Date`, `BookStatus`. */
export function valueType(field: FieldIR, ctx: KindContext): string {
  if (field.kind === "charEnum" || field.kind === "intEnum") {
    return enumTypeName(ctx.model.name, field.name, ctx.modelNames);
  }
  return VALUE_TYPE[field.kind];
}

/** The type accepted in create, update and filter values: decimals also take numbers. */
export function inputType(field: FieldIR, ctx: KindContext): string {
  return field.kind === "decimal" ? "string | number" : valueType(field, ctx);
}

/** The literal union of an enum field: `"draft" | "published"`, `1 | 2 | 3`. */
export function enumUnion(field: FieldIR): string {
  return (field.enumValues ?? []).map((v) => literal(v)).join(" | ") || "never";
}

/** Which `runtime/types/lookups.ts` helper spells a field's filter keys. */
export function lookupHelper(
  field: FieldIR,
): "Lookups" | "TextLookups" | "DateLookups" | "DatetimeLookups" | "TimeLookups" | "JsonLookups" {
  switch (field.kind) {
    case "char":
    case "text":
    case "charEnum":
      return "TextLookups";
    case "date":
      return "DateLookups";
    case "datetime":
      return "DatetimeLookups";
    case "time":
      return "TimeLookups";
    case "json":
      return "JsonLookups";
    default:
      return "Lookups";
  }
}

/**
 * The zod schema of one value of the field, before `.nullable()` / `.optional()`: a call of
 * `runtime/types/inputs.ts`, which checks with the same function as the runtime encoder.
 */
export function zodSchema(field: FieldIR): string {
  switch (field.kind) {
    case "char":
      return `inputs.char(${field.maxLength ?? 255})`;
    case "decimal":
      return `inputs.decimal(${field.maxDigits ?? 10}, ${field.decimalPlaces ?? 0})`;
    case "charEnum":
    case "intEnum":
      return `inputs.${field.kind}(${literal(field.enumValues ?? [])})`;
    default:
      return `inputs.${field.kind}()`;
  }
}
