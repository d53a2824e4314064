/**
 * The options each field constructor and `model(...)` accept, as zod schemas, and the mapping
 * of zod's issues to one-sentence problems. Zod checks names and shapes; rules that relate
 * options to each other or to other models live in `scalar.ts`, `relations.ts` and `validate.ts`.
 */
import { z } from "zod";
import { isRelationConstructor, type FieldConstructor } from "./constructors.js";
import { closestName } from "./naming.js";
import type { ProblemList } from "./problems.js";
import type { LiteralValue } from "./ir.js";
import type { RawOptions } from "./raw.js";

const flag = z.boolean().optional();
const text = z.string().optional();
const sqlName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
  .max(63)
  .optional();
const positive = z.int().min(1);
const names = z.array(z.string().min(1));
const anything = z.unknown().optional();
/** Names of custom validators the application registers (`registerValidators`). */
const validatorNames = z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/)).optional();

const common = {
  pk: flag,
  null: flag,
  default: anything,
  defaultFactory: z.enum(["uuid4", "now", "today"]).optional(),
  dbDefault: anything,
  unique: flag,
  index: flag,
  column: sqlName,
  description: text,
  validators: validatorNames,
};
const numberRules = { minValue: z.number().optional(), maxValue: z.number().optional() };
const decimalRules = {
  minValue: z.union([z.number(), z.string()]).optional(),
  maxValue: z.union([z.number(), z.string()]).optional(),
};
const textRules = { minLength: z.int().min(0).optional(), regex: text, email: flag };
const onDelete = z.enum(["CASCADE", "SET NULL", "RESTRICT", "SET DEFAULT", "NO ACTION"]).optional();
// `pk` is accepted by the shape so that "cannot be the primary key" can be said precisely.
const toOne = {
  relatedName: text,
  onDelete,
  null: flag,
  index: flag,
  column: sqlName,
  description: text,
  pk: flag,
};

export const FIELD_OPTIONS = {
  IntField: z.strictObject({ ...common, ...numberRules }),
  BigIntField: z.strictObject({ ...common, ...numberRules }),
  SmallIntField: z.strictObject({ ...common, ...numberRules }),
  CharField: z.strictObject({ ...common, maxLength: positive, ...textRules }),
  TextField: z.strictObject({ ...common, ...textRules }),
  BooleanField: z.strictObject(common),
  FloatField: z.strictObject({ ...common, ...numberRules }),
  DecimalField: z.strictObject({
    ...common,
    maxDigits: positive,
    decimalPlaces: z.int().min(0),
    ...decimalRules,
  }),
  DatetimeField: z.strictObject({ ...common, autoNow: flag, autoNowAdd: flag }),
  DateField: z.strictObject(common),
  TimeField: z.strictObject(common),
  UUIDField: z.strictObject(common),
  JSONField: z.strictObject(common),
  BinaryField: z.strictObject(common),
  CharEnumField: z.strictObject({
    ...common,
    values: z.array(z.string()),
    maxLength: positive.optional(),
  }),
  IntEnumField: z.strictObject({ ...common, values: z.array(z.int32()) }),
  ForeignKeyField: z.strictObject({ ...toOne, unique: flag }),
  OneToOneField: z.strictObject(toOne),
  ManyToManyField: z.strictObject({
    relatedName: text,
    through: sqlName,
    throughFields: z.tuple([z.string().min(1), z.string().min(1)]).optional(),
    description: text,
  }),
} satisfies Record<FieldConstructor, z.ZodType>;

export const MODEL_OPTIONS = z.strictObject({
  table: sqlName,
  ordering: names.optional(),
  uniqueTogether: z.array(names.min(1)).optional(),
  indexes: z.array(names.min(1)).optional(),
  description: text,
  connection: z.string().min(1).optional(),
});

export type FieldOptions<C extends FieldConstructor> = z.infer<(typeof FIELD_OPTIONS)[C]>;
export type ModelOptionValues = z.infer<typeof MODEL_OPTIONS>;

/** What a valid value of each option looks like, completing "must be …". */
const EXPECTED: Readonly<Record<string, string>> = {
  pk: "true or false",
  null: "true or false",
  unique: "true or false",
  index: "true or false",
  autoNow: "true or false",
  autoNowAdd: "true or false",
  column: "a column name of at most 63 letters, digits and `_`, not starting with a digit",
  table: "a table name of at most 63 letters, digits and `_`, not starting with a digit",
  through:
    "a model name, or a table name of at most 63 letters, digits and `_`, not starting with a digit",
  throughFields: "a list of two relation names of the through model",
  description: "a string",
  connection: "a connection name (a key of YaraOrm.init's `connections`)",
  relatedName: "a string",
  maxLength: "a positive integer",
  maxDigits: "a positive integer",
  minValue: "a number",
  maxValue: "a number",
  "DecimalField.minValue": "a number or a decimal string",
  "DecimalField.maxValue": "a number or a decimal string",
  minLength: "a non-negative integer",
  regex: "a string (a JavaScript regular expression)",
  email: "true or false",
  validators: "a list of validator names (letters, digits, `_`, `$`, not starting with a digit)",
  decimalPlaces: "a non-negative integer",
  defaultFactory: 'one of "uuid4", "now" or "today"',
  onDelete: 'one of "CASCADE", "SET NULL", "RESTRICT", "SET DEFAULT" or "NO ACTION"',
  ordering: "a list of field names, each optionally prefixed with `-`",
  uniqueTogether: "a list of non-empty lists of field names",
  indexes: "a list of non-empty lists of field names",
  "CharEnumField.values": "a list of strings",
  "IntEnumField.values": "a list of integers between -2147483648 and 2147483647",
};

/** Shown after "needs `x`, …" for required options. */
const EXAMPLES: Readonly<Record<string, string>> = {
  maxLength: "`maxLength: 255`",
  maxDigits: "`maxDigits: 10`",
  decimalPlaces: "`decimalPlaces: 2`",
  values: '`values: ["draft", "published"]`',
  "IntEnumField.values": "`values: [1, 2, 3]`",
};

/** Who owns the options, for messages: `CharField \`Book.title\`` or `model \`Book\``. */
export interface OptionsOwner {
  /** `CharField \`Book.title\`` */
  readonly label: string;
  /** `` `Book.title` `` */
  readonly name: string;
  /** The constructor, for per-constructor wording; absent for model options. */
  readonly constructorName?: FieldConstructor;
}

/**
 * Options objects each schema accepted, by their JSON: a schema repeats the same few options
 * (`{ maxLength: 100 }`, `{ null: true }`) on many fields, and watch mode reads every field again
 * on each save, so zod checks each distinct one once per process. Only accepted objects are
 * kept (a rejected one is checked again, for its problems); the values are never mutated.
 */
const acceptedBySchema = new WeakMap<z.ZodObject, Map<string, unknown>>();
const REMEMBERED = 10_000;

function acceptedBy(schema: z.ZodObject): Map<string, unknown> {
  let known = acceptedBySchema.get(schema);
  if (known === undefined) {
    known = new Map();
    acceptedBySchema.set(schema, known);
  }
  return known;
}

/** A text that tells options apart exactly (JSON would write `-0` as `0` and `1e999` as `null`). */
function keyOf(value: LiteralValue): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(keyOf).join(",")}]`;
  const object = value as { readonly [key: string]: LiteralValue };
  return `{${Object.keys(object)
    .map((k) => `${JSON.stringify(k)}:${keyOf(object[k]!)}`)
    .join(",")}}`;
}

function remember(schema: z.ZodObject, key: string, data: unknown): void {
  const known = acceptedBy(schema);
  if (known.size >= REMEMBERED) known.clear();
  known.set(key, data);
}

/**
 * Checks `raw` against `schema`, reporting every issue. Returns the options that passed (all of
 * them when nothing was reported), so the caller can go on checking them and report everything
 * at once; whether the result may become IR is decided by the problem list.
 */
export function parseOptions<S extends z.ZodObject>(
  schema: S,
  raw: RawOptions,
  owner: OptionsOwner,
  problems: ProblemList,
): Partial<z.infer<S>> {
  const input = Object.fromEntries(raw.entries.map((o) => [o.name, o.value]));
  const key = keyOf(input);
  const known = acceptedBy(schema).get(key);
  if (known !== undefined) return known as Partial<z.infer<S>>;
  const result = schema.safeParse(input);
  if (result.success) {
    remember(schema, key, result.data);
    return result.data;
  }
  const rejected = new Set<string>();
  // An unknown option that is a typo of a known one ("did you mean") stands for it: no "needs".
  const meant = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      rejected.add(key);
      const at = raw.entries.find((o) => o.name === key)?.loc ?? raw.loc;
      const close = closestName(key, Object.keys(schema.shape));
      if (close !== undefined) meant.add(close);
      problems.add(at, unknownOption(key, close, owner, Object.keys(schema.shape)));
    }
  }
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") continue;
    const name = String(issue.path[0] ?? "");
    if (raw.unreadable.has(name) || rejected.has(name) || meant.has(name)) continue;
    rejected.add(name);
    const written = raw.entries.find((o) => o.name === name);
    const key = owner.constructorName === undefined ? name : `${owner.constructorName}.${name}`;
    const expected = EXPECTED[key] ?? EXPECTED[name] ?? "valid";
    if (written === undefined) {
      const example = EXAMPLES[key] ?? EXAMPLES[name] ?? `\`${name}\``;
      problems.add(raw.loc, `${owner.label} needs \`${name}\`, ${expected} such as ${example}`);
    } else {
      problems.add(written.loc, `option \`${name}\` of ${owner.name} must be ${expected}`);
    }
  }
  const accepted = Object.fromEntries(Object.entries(input).filter(([k]) => !rejected.has(k)));
  const partial = schema.partial().safeParse(accepted);
  return (partial.success ? partial.data : {}) as Partial<z.infer<S>>;
}

function unknownOption(
  key: string,
  close: string | undefined,
  owner: OptionsOwner,
  known: readonly string[],
): string {
  const listed = isRelationConstructor(owner.constructorName ?? "")
    ? known.filter((k) => k !== "pk")
    : known;
  const hint =
    close === undefined ? `it accepts ${listed.join(", ")}` : `did you mean \`${close}\`?`;
  return `unknown option \`${key}\` on ${owner.label}; ${hint}`;
}
