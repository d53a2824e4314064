/**
 * The differential fuzzer's lookup cases (regex, iregex, date parts, JSON), kept apart from
 * fuzz-case.ts's Item cases: Entry rows with a text, a datetime and a JSON document, and a
 * chain of filter / exclude steps over `body__regex`, `body__iregex`, `at__<part>__<lookup>`
 * and `data__<path>[__lookup]`, `data__contains`, `data__contained_by`, `data__has_key`, in Q
 * trees. Patterns come from a small grammar of the documented subset, over characters that
 * stress case folding, newlines and surrogate pairs; the reference evaluates them with
 * JavaScript's RegExp (flags `su` / `siu`), the parts with Date's UTC getters, and JSON with
 * its own reading of Postgres' jsonb rules (containment, typed scalar comparison).
 */
import fc from "fast-check";
import { Entry, Q } from "../../features/generated/index.js";
import type { JsonValue } from "../../../runtime/types/json.js";

export interface EntryRow {
  readonly id: number;
  readonly body: string | null;
  /** ISO instant or null. */
  readonly at: string | null;
  /** A document, or null for SQL NULL. */
  readonly data: JsonValue;
}

type PartValue = number | string;
export type LookupCond =
  | { readonly field: "body"; readonly lookup: "regex" | "iregex"; readonly value: string }
  | {
      readonly field: "at";
      readonly part: Part;
      readonly lookup: string;
      readonly value: PartValue | PartValue[];
    }
  | { readonly field: "data"; readonly key: string; readonly value: JsonValue }
  | {
      readonly connector: "and" | "or";
      readonly negated: boolean;
      readonly children: LookupCond[];
    };

export interface LookupCase {
  readonly rows: EntryRow[];
  readonly steps: Array<{ readonly op: "filter" | "exclude"; readonly cond: LookupCond }>;
}

const PARTS = [
  "year", "quarter", "month", "week", "week_day", "iso_week_day", "day",
  "hour", "minute", "second", "date", "time",
] as const; // prettier-ignore
type Part = (typeof PARTS)[number];

// ---- generation ----------------------------------------------------------------------------

const CHARS = ["a", "b", "A", "B", "é", "É", "1", " ", "\n", "😀", "."];
const body = fc.array(fc.constantFrom(...CHARS), { maxLength: 5 }).map((cs) => cs.join(""));

/** One atom of the subset, as a user writes it (the reference reads it as JavaScript does). */
const atom = fc.constantFrom(
  "a", "b", "A", "é", "É", "1", " ", "😀", "\\.", ".", "\\n",
  "[ab]", "[^a]", "[a-z]", "[A-Zé]", "\\d", "\\w", "\\W", "\\s", "\\S",
); // prettier-ignore
const quantifier = fc.constantFrom("", "", "*", "+", "?", "{1,2}", "{2}", "*?");
const piece = fc.tuple(atom, quantifier).map(([a, q]) => a + q);
const branch = fc.array(piece, { maxLength: 3 }).map((ps) => ps.join(""));
const pattern = fc
  .tuple(fc.boolean(), fc.array(branch, { minLength: 1, maxLength: 2 }), fc.boolean(), fc.boolean())
  .map(([start, branches, group, end]) => {
    const alt = branches.join("|");
    const core = group || branches.length > 1 ? `(${alt})` : alt;
    return `${start ? "^" : ""}${core}${end ? "$" : ""}`;
  });

/** Instants around year and ISO-week boundaries, and anywhere in 1999–2031. */
const instant = fc.oneof(
  fc.constantFrom(
    "2020-12-31T23:59:59.999Z",
    "2021-01-03T00:00:00.000Z",
    "2021-01-04T00:00:00.000Z",
    "2024-12-30T12:30:45.500Z",
    "2026-01-01T00:00:00.000Z",
    "2024-02-29T06:05:04.000Z",
    "2015-12-31T12:00:00.250Z",
  ),
  fc
    .integer({ min: Date.UTC(1999, 11, 25), max: Date.UTC(2031, 0, 5) })
    .map((t) => new Date(t).toISOString()),
);

function partValue(part: Part): fc.Arbitrary<PartValue> {
  const int = (min: number, max: number): fc.Arbitrary<PartValue> => fc.integer({ min, max });
  switch (part) {
    case "year":
      return int(1999, 2031);
    case "quarter":
      return int(1, 4);
    case "month":
      return int(1, 12);
    case "week":
      return int(1, 53);
    case "week_day":
    case "iso_week_day":
      return int(1, 7);
    case "day":
      return int(1, 31);
    case "hour":
      return int(0, 23);
    case "minute":
    case "second":
      return int(0, 59);
    case "date":
      return instant.map((i) => i.slice(0, 10));
    case "time":
      return instant.map(timeOf);
  }
}

const PART_LOOKUPS = ["exact", "not", "gt", "gte", "lt", "lte", "in", "not_in", "range"];

const partLeaf: fc.Arbitrary<LookupCond> = fc
  .tuple(fc.constantFrom(...PARTS), fc.constantFrom(...PART_LOOKUPS))
  .chain(([part, lookup]) => {
    const single = partValue(part);
    const value: fc.Arbitrary<PartValue | PartValue[]> =
      lookup === "in" || lookup === "not_in"
        ? fc.array(single, { maxLength: 3 })
        : lookup === "range"
          ? fc.tuple(single, single)
          : single;
    return value.map((v): LookupCond => ({ field: "at", part, lookup, value: v }));
  });

const jsonScalar = fc.constantFrom<JsonValue>(1, 2, 1.5, -1, "1", "x", "", true, false, null);
const jsonKey = fc.constantFrom("a", "b", "0", "é");
const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    jsonScalar,
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(jsonKey, tie("v"), { maxKeys: 3 }),
  ),
})).v;
/** A path as filter-key steps: keys (not digit-only: those are indexes) and indexes. */
const jsonPath = fc.array(fc.constantFrom("a", "b", "é", "0", "1"), { minLength: 1, maxLength: 3 });
const PATH_LOOKUPS = ["", "exact", "gt", "gte", "lt", "lte", "isnull"];

const jsonLeaf: fc.Arbitrary<LookupCond> = fc.oneof(
  fc.tuple(jsonPath, fc.constantFrom(...PATH_LOOKUPS)).chain(([path, lookup]) => {
    const key = path.join("__") + (lookup === "" ? "" : `__${lookup}`);
    const value: fc.Arbitrary<JsonValue> =
      lookup === "isnull"
        ? fc.boolean()
        : lookup === "" || lookup === "exact"
          ? jsonScalar
          : fc.constantFrom<JsonValue>(0, 1, 1.5, 2, "", "1", "x");
    return value.map((v): LookupCond => ({ field: "data", key, value: v }));
  }),
  fc
    .tuple(fc.constantFrom("contains", "contained_by"), jsonValue)
    .filter(([, v]) => v !== null)
    .map(([key, value]): LookupCond => ({ field: "data", key, value })),
  jsonKey.map((k): LookupCond => ({ field: "data", key: "has_key", value: k })),
);

const leaf: fc.Arbitrary<LookupCond> = fc.oneof(
  jsonLeaf,
  fc
    .tuple(fc.constantFrom<"regex" | "iregex">("regex", "iregex"), pattern)
    .map(([lookup, value]): LookupCond => ({ field: "body", lookup, value })),
  partLeaf,
);

const cond: fc.Arbitrary<LookupCond> = fc.letrec<{ cond: LookupCond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({
      connector: fc.constantFrom<"and" | "or">("and", "or"),
      negated: fc.boolean(),
      children: fc.array(tie("cond"), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).cond;

export const arbitraryLookupCase: fc.Arbitrary<LookupCase> = fc.record({
  rows: fc.integer({ min: 0, max: 8 }).chain((n) =>
    fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.record({
          id: fc.constant(i + 1),
          body: fc.option(body, { nil: null }),
          at: fc.option(instant, { nil: null }),
          data: fc.option(jsonValue, { nil: null }),
        }),
      ),
    ),
  ),
  steps: fc.array(
    fc.record({ op: fc.constantFrom<"filter" | "exclude">("filter", "exclude"), cond }),
    { minLength: 1, maxLength: 2 },
  ),
});

// ---- the ORM side --------------------------------------------------------------------------

function toWhere(c: LookupCond): object {
  if ("field" in c) {
    if (c.field === "body") return { [`body__${c.lookup}`]: c.value };
    if (c.field === "data") return { [`data__${c.key}`]: c.value };
    return { [`at__${c.part}__${c.lookup}`]: c.value };
  }
  const items = c.children.map(toWhere) as never[];
  const q = c.connector === "and" ? Q.and(...items) : Q.or(...items);
  return c.negated ? q.not() : q;
}

/** The ids the case's query returns, in id order. */
export async function runLookupCase(c: LookupCase): Promise<number[]> {
  let qs = Entry.all();
  for (const step of c.steps) {
    const where = toWhere(step.cond) as never;
    qs = step.op === "filter" ? qs.filter(where) : qs.exclude(where);
  }
  return (await qs.orderBy("id").valuesList("id", { flat: true })) as number[];
}

/** Replaces the Entry table's rows with the case's. */
export async function loadLookupRows(c: LookupCase): Promise<void> {
  await Entry.all().delete();
  if (c.rows.length > 0)
    await Entry.bulkCreate(
      c.rows.map((r) => ({
        id: r.id,
        label: `e${r.id}`,
        body: r.body,
        at: r.at === null ? null : new Date(r.at),
        data: r.data,
      })),
    );
}

// ---- the reference ---------------------------------------------------------------------------

/** `HH:MM:SS[.fff]` without trailing fractional zeros, as a time field stores it. */
function timeOf(iso: string): string {
  const fraction = iso.slice(20, 23).replace(/0+$/, "");
  return iso.slice(11, 19) + (fraction ? `.${fraction}` : "");
}

/** The ISO week: the week (Monday first) holding the Thursday, counted in the Thursday's year. */
function isoWeek(d: Date): number {
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((thursday.getTime() - yearStart) / 86_400_000);
  return Math.floor(dayOfYear / 7) + 1;
}

function partOf(iso: string, part: Part): PartValue {
  const d = new Date(iso);
  switch (part) {
    case "year":
      return d.getUTCFullYear();
    case "quarter":
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case "month":
      return d.getUTCMonth() + 1;
    case "week":
      return isoWeek(d);
    case "week_day":
      return d.getUTCDay() + 1;
    case "iso_week_day":
      return ((d.getUTCDay() + 6) % 7) + 1;
    case "day":
      return d.getUTCDate();
    case "hour":
      return d.getUTCHours();
    case "minute":
      return d.getUTCMinutes();
    case "second":
      return d.getUTCSeconds();
    case "date":
      return iso.slice(0, 10);
    case "time":
      return timeOf(iso);
  }
}

function matchPart(v: PartValue | null, lookup: string, value: PartValue | PartValue[]): boolean {
  const list = value as PartValue[];
  switch (lookup) {
    case "not": // IS DISTINCT FROM: NULL rows kept
      return v === null || v !== value;
    case "not_in":
      return v === null || !list.includes(v);
  }
  if (v === null) return false;
  switch (lookup) {
    case "exact":
      return v === value;
    case "in":
      return list.includes(v);
    case "gt":
      return v > (value as PartValue);
    case "gte":
      return v >= (value as PartValue);
    case "lt":
      return v < (value as PartValue);
    case "lte":
      return v <= (value as PartValue);
    case "range":
      return v >= list[0]! && v <= list[1]!;
  }
  throw new Error(`reference: unknown lookup ${lookup}`);
}

type Json = JsonValue;
const isObject = (v: Json): v is { readonly [key: string]: Json } =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const isScalar = (v: Json): boolean => v === null || typeof v !== "object";
/** jsonb scalar equality: same JSON type, same value (numbers by value). */
const sameScalar = (a: Json, b: Json): boolean =>
  isScalar(a) && isScalar(b) && typeof a === typeof b && a === b;

/** Postgres' `a @> b`: objects by key, arrays as sets, and at the top an array holds a scalar. */
function jsonContains(a: Json, b: Json, top: boolean): boolean {
  if (isObject(b))
    return (
      isObject(a) && Object.entries(b).every(([k, v]) => k in a && jsonContains(a[k]!, v, false))
    );
  if (Array.isArray(b))
    return Array.isArray(a) && b.every((e) => a.some((x) => jsonContains(x, e, false)));
  if (sameScalar(a, b)) return true;
  return top && Array.isArray(a) && a.some((x) => sameScalar(x, b));
}

/** The value at a filter key's steps (digits: an array index), undefined when absent. */
function at(doc: Json | undefined, steps: readonly string[]): Json | undefined {
  let v = doc;
  for (const step of steps) {
    if (v === undefined || v === null || typeof v !== "object") return undefined;
    if (/^\d+$/.test(step)) v = Array.isArray(v) ? v[Number(step)] : undefined;
    else v = isObject(v) && Object.hasOwn(v, step) ? v[step] : undefined;
  }
  return v;
}

function matchJson(doc: Json, key: string, value: Json): boolean {
  const parts = key.split("__");
  const last = parts[parts.length - 1]!;
  if (key === "contains") return doc !== null && jsonContains(doc, value, true);
  if (key === "contained_by") return doc !== null && jsonContains(value, doc, true);
  if (key === "has_key") return isObject(doc) && Object.hasOwn(doc, value as string);
  const lookup = ["exact", "gt", "gte", "lt", "lte", "isnull"].includes(last) ? last : "exact";
  const steps = lookup === last ? parts.slice(0, -1) : parts;
  const v = at(doc === null ? undefined : doc, steps);
  if (lookup === "isnull") return (v === undefined) === value;
  if (v === undefined) return false;
  if (lookup === "exact") return value === null ? v === null : sameScalar(v, value);
  if (typeof v !== typeof value || (typeof v !== "number" && typeof v !== "string")) return false;
  const [x, y] = [v as number | string, value as number | string];
  return lookup === "gt" ? x > y : lookup === "gte" ? x >= y : lookup === "lt" ? x < y : x <= y;
}

function matches(row: EntryRow, c: LookupCond): boolean {
  if ("connector" in c) {
    const r =
      c.connector === "and"
        ? c.children.every((x) => matches(row, x))
        : c.children.some((x) => matches(row, x));
    return c.negated ? !r : r;
  }
  if (c.field === "data") return matchJson(row.data, c.key, c.value);
  if (c.field === "body") {
    if (row.body === null) return false;
    return new RegExp(c.value, c.lookup === "iregex" ? "siu" : "su").test(row.body);
  }
  return matchPart(row.at === null ? null : partOf(row.at, c.part), c.lookup, c.value);
}

/** The ids the case's query must return: filter keeps, exclude drops (the complement). */
export function evaluateLookups(c: LookupCase): number[] {
  return c.rows
    .filter((r) => c.steps.every((s) => matches(r, s.cond) === (s.op === "filter")))
    .map((r) => r.id);
}
