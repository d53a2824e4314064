/**
 * Turns one non-relation field spec into its `FieldIR`: options checked with zod, then the rules
 * that tie options together (pk, nullability, lengths, digits, enum values, defaults).
 */
import { SCALAR_CONSTRUCTORS, type ScalarConstructor } from "./constructors.js";
import { expectedDefault } from "./defaults.js";
import type { DbDefault, DefaultFactory, FieldIR, FieldValidators, LiteralValue } from "./ir.js";
import { checkDecimal, Rejected } from "yara-orm/internal/codegen";
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
  const writtenDb = option(raw.options, "dbDefault");
  // A UUID primary key without a default gets a fresh UUID v4 per row (as in Tortoise).
  const defaultFactory =
    o.defaultFactory ??
    (pk && kind === "uuid" && written === undefined && writtenDb === undefined
      ? "uuid4"
      : undefined);
  const dbDefault = writtenDb === undefined ? undefined : dbDefaultOf(kind, writtenDb.value);
  const validators = validatorsOf(o, kind, maxLength, name, at, problems);
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
    ...(dbDefault === undefined ? {} : { dbDefault }),
    ...(validators === undefined ? {} : { validators }),
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
  checkGeneratedDefaults(field, label, raw, problems);
  return field;
}

/** `"now"` on a date/time kind and `"uuid"` on a UUID field name database functions. */
function dbDefaultOf(kind: FieldIR["kind"], value: LiteralValue): DbDefault {
  if (value === "now" && (kind === "datetime" || kind === "date" || kind === "time"))
    return { fn: "now" };
  if (value === "uuid" && kind === "uuid") return { fn: "uuid" };
  return { value };
}

/** The field kinds each `defaultFactory` suits. */
const FACTORY_KINDS: Record<DefaultFactory, readonly FieldIR["kind"][]> = {
  uuid4: ["uuid", "char", "text"],
  now: ["datetime", "date", "time"],
  today: ["date"],
};

/** `defaultFactory` and `dbDefault`: each on a kind it suits, and one source of a value only. */
function checkGeneratedDefaults(
  field: FieldIR,
  label: string,
  raw: RawField,
  problems: ProblemList,
): void {
  const at = (key: string) => option(raw.options, key)?.loc ?? raw.loc;
  const factory = option(raw.options, "defaultFactory") && field.defaultFactory;
  if (factory) {
    const kinds = FACTORY_KINDS[factory];
    if (!kinds.includes(field.kind)) {
      problems.add(
        at("defaultFactory"),
        `${label} cannot use \`defaultFactory: "${factory}"\`; it suits ${kinds.map(kindName).join(", ")} fields`,
      );
    } else if (factory === "uuid4" && field.kind === "char" && (field.maxLength ?? 0) < 36) {
      problems.add(
        at("defaultFactory"),
        `${label} needs \`maxLength\` of at least 36 for \`defaultFactory: "uuid4"\``,
      );
    }
    clash(field, label, "defaultFactory", [], at, problems);
  }
  const dbDefault = field.dbDefault;
  if (dbDefault === undefined) return;
  clash(field, label, "dbDefault", factory ? ["defaultFactory"] : [], at, problems);
  if (!("value" in dbDefault)) return;
  const value = dbDefault.value;
  if (field.kind === "binary") {
    problems.add(
      at("dbDefault"),
      `${label} cannot have a \`dbDefault\`, since a binary value is not a literal`,
    );
  } else if (value === null) {
    if (!field.nullable)
      problems.add(
        at("dbDefault"),
        `dbDefault of ${label} is null but the field is not nullable; add \`null: true\` or change it`,
      );
  } else {
    const expected = expectedDefault(field, value);
    const fns = field.kind === "uuid" ? ' or "uuid"' : isTimeKind(field) ? ' or "now"' : "";
    if (expected !== undefined)
      problems.add(
        at("dbDefault"),
        `dbDefault of ${label} must be ${expected}${fns}, not ${preview(value)}`,
      );
  }
}

const isTimeKind = (f: FieldIR) => f.kind === "datetime" || f.kind === "date" || f.kind === "time";

const KIND_NAMES: Partial<Record<FieldIR["kind"], string>> = {
  uuid: "UUIDField",
  char: "CharField",
  text: "TextField",
  datetime: "DatetimeField",
  date: "DateField",
  time: "TimeField",
};
const kindName = (kind: FieldIR["kind"]): string => KIND_NAMES[kind] ?? kind;

/** `key` next to another source of the value (`default`, `defaultFactory`, auto-now). */
function clash(
  field: FieldIR,
  label: string,
  key: "defaultFactory" | "dbDefault",
  also: readonly string[],
  at: (key: string) => FieldIR["loc"],
  problems: ProblemList,
): void {
  const others = [
    ...(field.default !== undefined ? ["default"] : []),
    ...also,
    ...(field.autoNow ? ["autoNow"] : []),
    ...(field.autoNowAdd ? ["autoNowAdd"] : []),
  ];
  if (others.length > 0)
    problems.add(
      at(key),
      `${label} sets both \`${others[0]}\` and \`${key}\`; keep one source of its value`,
    );
}

/**
 * The validator options as written, each checked: bounds of the field's kind in order, a
 * `minLength` within `maxLength`, a `regex` that compiles as a JavaScript pattern (`u` flag).
 */
function validatorsOf(
  o: Record<string, unknown>,
  kind: FieldIR["kind"],
  maxLength: number | undefined,
  name: string,
  at: (key: string) => FieldIR["loc"],
  problems: ProblemList,
): FieldValidators | undefined {
  const out: { -readonly [K in keyof FieldValidators]: FieldValidators[K] } = {};
  const bound = (key: "minValue" | "maxValue"): number | string | undefined => {
    const value = o[key] as number | string | undefined;
    if (value === undefined) return undefined;
    if (kind === "decimal") {
      // Written with the field's places, as values are ("0.5" → "0.50").
      const places = o["decimalPlaces"] as number | undefined;
      const text = checkDecimal({ kind, decimalPlaces: places }, value, "filter");
      if (text instanceof Rejected) {
        problems.add(at(key), `\`${key}\` of ${name} must be a number or a decimal string`);
        return undefined;
      }
      return text as string;
    }
    if (kind !== "float" && !Number.isInteger(value)) {
      problems.add(at(key), `\`${key}\` of ${name} must be an integer, like the field's values`);
      return undefined;
    }
    return value;
  };
  const min = bound("minValue");
  const max = bound("maxValue");
  if (min !== undefined) out.minValue = min;
  if (max !== undefined) out.maxValue = max;
  if (min !== undefined && max !== undefined && Number(min) > Number(max))
    problems.add(at("maxValue"), `\`maxValue\` of ${name} is below its \`minValue\``);
  const minLength = o["minLength"] as number | undefined;
  if (minLength !== undefined) {
    out.minLength = minLength;
    if (maxLength !== undefined && minLength > maxLength)
      problems.add(
        at("minLength"),
        `\`minLength\` of ${name} is ${minLength}, above its \`maxLength\` ${maxLength}`,
      );
  }
  const regex = o["regex"] as string | undefined;
  if (regex !== undefined) {
    try {
      new RegExp(regex, "u");
      out.regex = regex;
    } catch (e) {
      problems.add(
        at("regex"),
        `\`regex\` of ${name} is not a valid JavaScript regular expression: ${(e as Error).message}`,
      );
    }
  }
  if (o["email"] === true) out.email = true;
  const custom = o["validators"] as readonly string[] | undefined;
  if (custom !== undefined && custom.length > 0) {
    const twice = custom.find((v, i) => custom.indexOf(v) !== i);
    if (twice !== undefined)
      problems.add(at("validators"), `\`validators\` of ${name} lists "${twice}" twice`);
    out.custom = [...new Set(custom)];
  }
  return Object.keys(out).length === 0 ? undefined : out;
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
