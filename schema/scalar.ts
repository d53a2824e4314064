/**
 * Turns one non-relation field spec into its `FieldIR`: options checked with zod, then the rules
 * that tie options together (pk, nullability, lengths, digits, enum values, defaults).
 */
import { SCALAR_CONSTRUCTORS, type ScalarConstructor } from "./constructors.js";
import { expectedDefault } from "./defaults.js";
import type { FieldIR } from "./ir.js";
import { snakeCase } from "./naming.js";
import { FIELD_OPTIONS, parseOptions } from "./options.js";
import type { ProblemList } from "./problems.js";
import { option, type RawField } from "./raw.js";

const INTEGER_KINDS = new Set(["int", "bigint", "smallint"]);
/** Postgres NUMERIC allows at most 1000 digits. */
const MAX_DIGITS = 1000;

/**
 * Builds the field even when something was reported (with the options that passed), so later
 * checks (primary keys, columns, references) still see it and report what they find too.
 */
export function scalarField(
  model: string,
  raw: RawField,
  constructorName: ScalarConstructor,
  problems: ProblemList,
): FieldIR {
  const name = `\`${model}.${raw.name}\``;
  const label = `${constructorName} ${name}`;
  const kind = SCALAR_CONSTRUCTORS[constructorName];
  const schema = FIELD_OPTIONS[constructorName];
  const o = parseOptions(schema, raw.options, { label, name, constructorName }, problems);
  const at = (key: string) => option(raw.options, key)?.loc ?? raw.loc;

  const pk = o.pk ?? false;
  const nullable = o.null ?? false;
  if (pk && (kind === "json" || kind === "binary")) {
    problems.add(
      at("pk"),
      `${label} cannot be the primary key; use an integer, string or UUID field`,
    );
  }
  if (pk && nullable) {
    problems.add(at("null"), `primary key ${name} cannot be nullable; remove \`null: true\``);
  }

  const values = "values" in o ? o.values : undefined;
  if (values !== undefined) checkEnumValues(values, label, at("values"), problems);
  let maxLength = "maxLength" in o ? o.maxLength : undefined;
  if (kind === "charEnum" && values !== undefined) {
    const longest = values.reduce<string>(
      (a, v) => (typeof v === "string" && v.length > a.length ? v : a),
      "",
    );
    if (maxLength !== undefined && maxLength < longest.length) {
      problems.add(
        at("maxLength"),
        `\`maxLength\` of ${name} is ${maxLength}, shorter than its value ${JSON.stringify(longest)}; raise it or leave \`maxLength\` out`,
      );
    }
    maxLength ??= Math.max(longest.length, 1);
  }

  const maxDigits = "maxDigits" in o ? o.maxDigits : undefined;
  const decimalPlaces = "decimalPlaces" in o ? o.decimalPlaces : undefined;
  if (maxDigits !== undefined && decimalPlaces !== undefined && decimalPlaces > maxDigits) {
    problems.add(
      at("decimalPlaces"),
      `\`decimalPlaces\` (${decimalPlaces}) of ${name} exceeds \`maxDigits\` (${maxDigits}); lower it or raise \`maxDigits\``,
    );
  }
  if (maxDigits !== undefined && maxDigits > MAX_DIGITS) {
    problems.add(
      at("maxDigits"),
      `\`maxDigits\` of ${name} is ${maxDigits}, above the ${MAX_DIGITS} databases allow`,
    );
  }

  const autoNow = "autoNow" in o ? (o.autoNow ?? false) : false;
  const autoNowAdd = "autoNowAdd" in o ? (o.autoNowAdd ?? false) : false;
  if (autoNow && autoNowAdd) {
    problems.add(
      at("autoNowAdd"),
      `${label} sets both \`autoNow\` and \`autoNowAdd\`; keep one (\`autoNow\` also sets the value on insert)`,
    );
  }

  const written = option(raw.options, "default");
  // A UUID primary key without a default gets a fresh UUID v4 per row (as in Tortoise).
  const defaultFactory = pk && kind === "uuid" && written === undefined ? "uuid4" : undefined;
  const field: FieldIR = {
    name: raw.name,
    column: o.column ?? snakeCase(raw.name),
    kind,
    pk,
    nullable,
    // The primary key constraint already makes the column unique and indexed.
    unique: pk ? false : (o.unique ?? false),
    index: pk ? false : (o.index ?? false),
    generated: pk && INTEGER_KINDS.has(kind) && written === undefined,
    ...(written === undefined ? {} : { default: written.value }),
    ...(defaultFactory === undefined ? {} : { defaultFactory }),
    autoNow,
    autoNowAdd,
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(maxDigits === undefined ? {} : { maxDigits }),
    ...(decimalPlaces === undefined ? {} : { decimalPlaces }),
    ...(values === undefined ? {} : { enumValues: values }),
    ...(o.description === undefined ? {} : { description: o.description }),
    loc: raw.loc,
  };
  if (written !== undefined) checkDefault(field, label, written.loc, problems);
  return field;
}

function checkEnumValues(
  values: readonly (string | number)[],
  label: string,
  loc: FieldIR["loc"],
  problems: ProblemList,
): void {
  if (values.length === 0) {
    problems.add(loc, `${label} has no values; list at least one in \`values\``);
    return;
  }
  const seen = new Set<string | number>();
  const twice = new Set<string | number>();
  for (const value of values) {
    if (seen.has(value) && !twice.has(value)) {
      twice.add(value);
      problems.add(
        loc,
        `${label} lists the value ${JSON.stringify(value)} more than once; remove the duplicate`,
      );
    }
    seen.add(value);
  }
}

function checkDefault(
  field: FieldIR,
  label: string,
  loc: FieldIR["loc"],
  problems: ProblemList,
): void {
  const value = field.default;
  if (value === undefined) return;
  if (field.autoNow || field.autoNowAdd) {
    const which = field.autoNow ? "autoNow" : "autoNowAdd";
    problems.add(loc, `${label} sets \`${which}\`, which provides its value; remove \`default\``);
    return;
  }
  if (field.kind === "binary") {
    problems.add(
      loc,
      `${label} cannot have a default, since a binary value is not a literal; set it when creating rows`,
    );
    return;
  }
  if (value === null) {
    if (!field.nullable) {
      problems.add(
        loc,
        `default of ${label} is null but the field is not nullable; add \`null: true\` or change the default`,
      );
    }
    return;
  }
  const expected = expectedDefault(field, value);
  if (expected !== undefined) {
    problems.add(loc, `default of ${label} must be ${expected}, not ${preview(value)}`);
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
