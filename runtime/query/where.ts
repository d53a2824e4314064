/**
 * Filter objects and Q trees → a resolved condition tree (`Cond`). Every key is parsed
 * (`field`, `field__lookup`, `rel__…__field__lookup`, `rel` with an instance or pk) and every
 * value validated here, before any SQL exists; `build.ts` later turns a `Cond` into AST for a
 * dialect.
 */
import type { DatePart } from "../ast/extract.js";
import type { JsonStep } from "../ast/json.js";
import { FieldError, ValidationError } from "../errors.js";
import { encodeValue } from "../dialect/encode.js";
import type { FieldKind, FieldMeta, ModelMeta } from "../model/meta.js";
import { ModelRecord } from "../model/record.js";
import { resultKind } from "./expressions.js";
import { Expression } from "./f.js";
import { closestName } from "../../schema/naming.js";
import { PART_NAMES, PARTS_OF, partField } from "./date-parts.js";
import {
  DOCUMENT_LOOKUPS,
  jsonSteps,
  keyList,
  PATH_LOOKUPS,
  pathValueProblem,
  patternProblem,
} from "./json-lookups.js";
import { checkRegex } from "./regex-pattern.js";
import { searchWords } from "./search-words.js";
import { type FieldPath, noMemberError, resolvePath } from "./path.js";
import { plainObject } from "./plain-object.js";
import { isQ, qParts, type Q } from "./q.js";
import { inSubquery } from "./subquery.js";
import type { Annotation } from "./state.js";

export type Lookup =
  | "exact"
  | "not"
  | "in"
  | "not_in"
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "range"
  | "isnull"
  | "not_isnull"
  | "contains"
  | "icontains"
  | "startswith"
  | "istartswith"
  | "endswith"
  | "iendswith"
  | "iexact"
  | "regex"
  | "iregex"
  | "search"
  | "contained_by"
  | "has_key"
  | "has_keys"
  | "has_any_keys";

export interface Leaf {
  readonly kind: "leaf";
  /** For an annotation, a path of no steps to a stand-in field of the annotation's result kind. */
  readonly path: FieldPath;
  /** Set when the key names an annotation (`n__gte` after `annotate({ n: Count("books") })`). */
  readonly annotation?: Annotation | undefined;
  readonly lookup: Lookup;
  /** A date part (`year`, `hour`, `date`, …) applied before the lookup. */
  readonly part: DatePart | undefined;
  /** On a JSON field, the path the lookup applies at (`data__a__0__gte`: `["a", 0]`). */
  readonly jsonPath?: readonly JsonStep[] | undefined;
  /** Validated value: a scalar, an array for in/not_in/range, a boolean for isnull, or an Expression. */
  readonly value: unknown;
}

/** True for a condition that matches every row (`{}`, `Q({})`). */
export function isEmpty(cond: Cond): boolean {
  return (cond.kind === "and" || cond.kind === "or") && cond.items.length === 0;
}

export type Cond =
  | { readonly kind: "and" | "or"; readonly items: readonly Cond[] }
  | { readonly kind: "not"; readonly item: Cond }
  | Leaf;

/** Lookups a date part may be followed by (`published__year__gte`). */
const PART_LOOKUPS = new Set<string>([
  "exact",
  "not",
  "in",
  "not_in",
  "gt",
  "gte",
  "lt",
  "lte",
  "range",
]);
/** Lookups that parse on a field of any kind (checkLeafValue still narrows json and binary). */
const ANY_KIND_LOOKUPS = new Set<string>([...PART_LOOKUPS, "isnull", "not_isnull"]);
/** Substring and case-insensitive lookups, for text kinds only. */
const TEXT_LOOKUPS = new Set<string>([
  "contains",
  "icontains",
  "startswith",
  "istartswith",
  "endswith",
  "iendswith",
  "iexact",
]);
/** Regular expressions and full-text search, for text kinds only (the value is rewritten). */
const MATCH_LOOKUPS = new Set<string>(["regex", "iregex", "search"]);
const TEXT_KINDS = new Set<FieldKind>(["char", "text", "charEnum"]);
/** Every name that may follow a field in a filter key. */
const LOOKUP_NAMES = new Set<string>([
  ...ANY_KIND_LOOKUPS,
  ...TEXT_LOOKUPS,
  ...MATCH_LOOKUPS,
  ...DOCUMENT_LOOKUPS,
  ...PART_NAMES,
]);
const EXPRESSION_LOOKUPS = new Set<string>(["exact", "not", "gt", "gte", "lt", "lte"]);

/**
 * Resolves a filter object or Q against `meta`; a key whose first segment names one of
 * `annotations` filters on that annotation (`n__gte: 2`).
 */
export function resolveWhere(
  meta: ModelMeta,
  where: object,
  annotations: readonly Annotation[] = [],
): Cond {
  if (isQ(where)) return resolveQ(meta, where, annotations);
  const conditions = plainObject(meta.name, "a filter", where, "a plain object or a Q");
  const items: Cond[] = [];
  for (const [key, value] of Object.entries(conditions)) {
    if (value === undefined) {
      // Ignoring it would widen the filter (a delete() could hit every row): refuse instead.
      resolvePath(meta, key, true);
      throw new ValidationError(
        `${meta.name}: the filter value of "${key}" is undefined (use null to match NULL)`,
        meta.name,
        key,
      );
    }
    const annotation = annotations.find((a) => a.name === key.split("__")[0]);
    items.push(
      annotation ? annotationLeaf(meta, annotation, key, value) : resolveLeaf(meta, key, value),
    );
  }
  return items.length === 1 ? items[0]! : { kind: "and", items };
}

/**
 * An empty child (`{}`, `Q()`, `Q.or()`) is dropped, as in Django: `Q.or({}, { a })` is `{ a }`,
 * and a Q left empty (negated or not) matches every row.
 */
function resolveQ(meta: ModelMeta, node: Q<object>, annotations: readonly Annotation[]): Cond {
  const q = qParts(node);
  const items = q.children
    .map((child) => resolveWhere(meta, child, annotations))
    .filter((c) => !isEmpty(c));
  if (items.length === 0) return { kind: "and", items: [] };
  const cond: Cond = items.length === 1 ? items[0]! : { kind: q.connector, items };
  return q.negated ? { kind: "not", item: cond } : cond;
}

interface Parsed {
  lookup: Lookup;
  part: DatePart | undefined;
  jsonPath?: JsonStep[] | undefined;
}

function parseLookup(meta: ModelMeta, path: FieldPath): Parsed {
  const [first, second, ...more] = path.rest;
  const kind = path.field.kind;
  const bad = (): never => {
    // `author__emial`: a field of the related model was meant, not a lookup on its key.
    if (path.instanceOf && first !== undefined && !LOOKUP_NAMES.has(first))
      throw noMemberError(meta, path.instanceOf, first, path.key);
    const unknown = [first, second, ...more].find((s) => s !== undefined && !LOOKUP_NAMES.has(s));
    const close = unknown === undefined ? undefined : closestName(unknown, LOOKUP_NAMES);
    throw new FieldError(
      `${meta.name}: "${path.key}" is not a valid lookup for a ${kind} field${close === undefined ? "" : `; did you mean "${close}"?`}`,
      meta.name,
      path.key,
    );
  };
  if (first === undefined) return { lookup: "exact", part: undefined };
  if (kind === "json") return parseJsonLookup(meta, path);
  if (PART_NAMES.has(first)) {
    if (!PARTS_OF[kind]?.has(first)) bad();
    if (more.length > 0 || (second !== undefined && !PART_LOOKUPS.has(second))) bad();
    return { lookup: (second ?? "exact") as Lookup, part: first as DatePart };
  }
  if (second !== undefined) bad();
  if (ANY_KIND_LOOKUPS.has(first)) return { lookup: first as Lookup, part: undefined };
  if ((TEXT_LOOKUPS.has(first) || MATCH_LOOKUPS.has(first)) && TEXT_KINDS.has(kind))
    return { lookup: first as Lookup, part: undefined };
  return bad();
}

/**
 * `data__has_key` (a lookup on the document) or a path `data__a__0[__lookup]` (see
 * json-lookups.ts); a path ending in a lookup a path cannot take is refused, never read as a key.
 */
function parseJsonLookup(meta: ModelMeta, path: FieldPath): Parsed {
  const rest = path.rest;
  const fail = (why: string): never => {
    throw new FieldError(`${meta.name}: "${path.key}": ${why}`, meta.name, path.key);
  };
  if (rest.length === 1 && (ANY_KIND_LOOKUPS.has(rest[0]!) || DOCUMENT_LOOKUPS.has(rest[0]!)))
    return { lookup: rest[0] as Lookup, part: undefined };
  const last = rest[rest.length - 1]!;
  let lookup: Lookup = "exact";
  let segments = rest;
  if (PATH_LOOKUPS.has(last)) {
    lookup = last as Lookup;
    segments = rest.slice(0, -1);
  } else if (LOOKUP_NAMES.has(last) && rest.length === 1) {
    fail(`${last} is not a valid lookup for a json field`);
  } else if (LOOKUP_NAMES.has(last)) {
    fail(`${last} is not supported on a JSON path (a path takes ${[...PATH_LOOKUPS].join(", ")})`);
  }
  const steps = jsonSteps(segments);
  if (typeof steps === "string") fail(steps);
  return { lookup, part: undefined, jsonPath: steps as JsonStep[] };
}

function resolveLeaf(meta: ModelMeta, key: string, raw: unknown): Leaf {
  const path = resolvePath(meta, key, true);
  const { lookup, part, jsonPath } = parseLookup(meta, path);
  if (jsonPath !== undefined) {
    const why = pathValueProblem(lookup, raw);
    if (why !== undefined) invalid(path, why);
    return { kind: "leaf", path, lookup, part, value: raw, jsonPath };
  }
  const value = checkLeafValue(path, lookup, part, raw);
  return { kind: "leaf", path, lookup, part, value };
}

/**
 * A condition on an annotation: the lookups and value checks of a field of the annotation's
 * result kind (a Count compares with integers, a Sum of decimals with decimals).
 */
function annotationLeaf(meta: ModelMeta, annotation: Annotation, key: string, raw: unknown): Leaf {
  const field: FieldMeta = {
    name: annotation.name,
    column: annotation.name,
    kind: resultKind(meta, annotation.term),
    pk: false,
    nullable: true,
    unique: false,
    index: false,
    generated: false,
    autoNow: false,
    autoNowAdd: false,
  };
  const path: FieldPath = {
    key,
    steps: [],
    model: meta,
    field,
    rest: key.split("__").slice(1),
    instanceOf: undefined,
  };
  const { lookup, part } = parseLookup(meta, path);
  const value = checkLeafValue(path, lookup, part, raw);
  return { kind: "leaf", path, lookup, part, value, annotation };
}

function invalid(path: FieldPath, why: string): never {
  throw new ValidationError(
    `${path.model.name}.${path.field.name}: ${why} (in "${path.key}")`,
    path.model.name,
    path.field.name,
  );
}

/** Turns a model instance given for a relation into its primary key. */
function keyOf(path: FieldPath, value: unknown): unknown {
  if (!(value instanceof ModelRecord)) return value;
  const target = path.instanceOf;
  const ctor = value.constructor as { meta?: ModelMeta };
  if (!target || ctor.meta?.name !== target.name)
    invalid(path, `expected a ${target?.name ?? "value"}, got a model instance`);
  const pk = (value as unknown as Record<string, unknown>)[target.pk];
  // Without a key the comparison would be `= NULL`: exclude() would then keep, and delete, every row.
  if (pk === undefined || pk === null)
    invalid(path, `the ${target.name} instance has no primary key yet (save it first)`);
  return pk;
}

/**
 * The items of an array value, refusing holes (`[1, , 2]`): `map` skips them and leaves holes
 * that every driver would read differently.
 */
function denseItems(path: FieldPath, lookup: Lookup, value: readonly unknown[]): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) invalid(path, `${lookup} list has a hole at index ${i} (a sparse array)`);
    items.push(value[i]);
  }
  return items;
}

function checkScalar(path: FieldPath, part: DatePart | undefined, value: unknown): unknown {
  const v = keyOf(path, value);
  const asPart = part === undefined ? undefined : partField(path.field, part);
  if (part !== undefined && asPart === undefined) {
    if (typeof v !== "number" || !Number.isSafeInteger(v))
      invalid(path, `${part} expects an integer`);
    return v;
  }
  const field = asPart ?? path.field;
  encodeValue({ dialect: undefined, model: path.model.name, mode: "filter" }, field, v);
  return v;
}

/** A query given as an `in` list (`authorId__in: Author.filter(…).valuesList("id", { flat: true })`). */
function isQuery(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { subqueryNode?: unknown }).subqueryNode === "function"
  );
}

function checkLeafValue(
  path: FieldPath,
  lookup: Lookup,
  part: DatePart | undefined,
  value: unknown,
): unknown {
  if (path.field.kind === "json" && DOCUMENT_LOOKUPS.has(lookup))
    return checkDocumentValue(path, lookup, value);
  if (MATCH_LOOKUPS.has(lookup)) return checkMatchValue(path, lookup, value);
  if (
    path.field.kind === "json" &&
    value !== null &&
    lookup !== "isnull" &&
    lookup !== "not_isnull"
  )
    // jsonb equality ignores key order and spacing, SQLite's text does not: refuse rather than differ.
    invalid(path, `JSON fields can be filtered with isnull or null only, not ${lookup}`);
  if ((lookup === "in" || lookup === "not_in") && isQuery(value)) return inSubquery(value);
  if (value instanceof Expression) {
    if (!EXPRESSION_LOOKUPS.has(lookup) || part !== undefined)
      invalid(path, `an F() expression is not allowed with ${lookup}`);
    return value;
  }
  switch (lookup) {
    case "isnull":
    case "not_isnull":
      if (typeof value !== "boolean") invalid(path, `${lookup} expects true or false`);
      return value;
    case "in":
    case "not_in":
      if (!Array.isArray(value)) invalid(path, `${lookup} expects an array`);
      if (path.field.kind === "binary")
        invalid(path, `${lookup} is not supported on binary fields`);
      return denseItems(path, lookup, value).map((v) => {
        if (v === null || v === undefined)
          invalid(path, `${lookup} lists may not contain null; use isnull`);
        return checkScalar(path, part, v);
      });
    case "range":
      if (!Array.isArray(value) || value.length !== 2) invalid(path, "range expects [low, high]");
      return denseItems(path, lookup, value).map((v) => {
        if (v === null || v === undefined) invalid(path, "range bounds may not be null");
        return checkScalar(path, part, v);
      });
    case "exact":
    case "not":
      return value === null ? null : checkScalar(path, part, value);
    default:
      if (value === null) invalid(path, `null is only allowed with exact and not (use isnull)`);
      if (TEXT_LOOKUPS.has(lookup) && typeof value !== "string")
        invalid(path, `${lookup} expects a string`);
      return checkScalar(path, part, value);
  }
}

/**
 * A regex / iregex pattern in the canonical spelling every database reads alike
 * (regex-pattern.ts), or search's words joined by spaces (search-words.ts).
 */
function checkMatchValue(path: FieldPath, lookup: Lookup, value: unknown): string {
  if (typeof value !== "string") invalid(path, `${lookup} expects a string`);
  if (lookup === "search") {
    const words = searchWords(value);
    if (words.length === 0) invalid(path, "search needs at least one word (letters or digits)");
    return words.join(" ");
  }
  const checked = checkRegex(value);
  if (!checked.ok) invalid(path, `${lookup}: ${checked.why}`);
  return checked.pattern;
}

/** The value of contains / contained_by (plain JSON) or has_key(s) (keys). */
function checkDocumentValue(path: FieldPath, lookup: Lookup, value: unknown): unknown {
  if (lookup === "has_key") {
    if (typeof value !== "string") invalid(path, "has_key expects a string");
    if (value.includes("\0")) invalid(path, "has_key: a key may not contain NUL");
    return value;
  }
  if (lookup === "has_keys" || lookup === "has_any_keys") {
    const keys = keyList(lookup, value);
    if (typeof keys === "string") invalid(path, keys);
    return keys;
  }
  if (value === null) invalid(path, `${lookup} expects a JSON value other than null (use isnull)`);
  const text = encodeValue(
    { dialect: undefined, model: path.model.name, mode: "filter" },
    path.field,
    value,
  ) as string;
  const parsed: unknown = JSON.parse(text);
  const why = patternProblem(parsed);
  if (why !== undefined) invalid(path, why);
  return parsed;
}
