/**
 * The differential fuzzer's cases, as plain JSON (so a shrunk failure can be saved under
 * tests/reliability/regressions and replayed): Item rows, and a chain of filter / exclude steps
 * (leaves and Q trees), orderings and a limit. `arbitraryCase` generates them (fast-check);
 * `runCase` turns one into a QuerySet; `evaluate` is the in-memory reference.
 */
import fc from "fast-check";
import { Item, Q } from "../../features/generated/index.js";
import {
  annotationsOf,
  arbitraryExpressions,
  evaluateExpression,
  type Expr,
} from "./fuzz-expressions.js";

export interface ItemRow {
  readonly id: number;
  readonly name: string;
  readonly small: number;
  readonly body: string | null;
  readonly flag: boolean;
  readonly ratio: number | null;
  readonly level: 1 | 2 | 3 | null;
}

export type Field = "name" | "small" | "body" | "flag" | "ratio" | "level";
type Value = string | number | boolean | null;

export type Cond =
  | { readonly field: Field; readonly lookup: string; readonly value: Value | Value[] }
  | { readonly connector: "and" | "or"; readonly negated: boolean; readonly children: Cond[] };

export interface Step {
  readonly op: "filter" | "exclude";
  readonly cond: Cond;
}

export interface FuzzCase {
  readonly rows: ItemRow[];
  readonly steps: Step[];
  readonly orderBy: Array<{ readonly field: Field; readonly desc: boolean }>;
  readonly limit: number | null;
  /** Annotations e0, e1, … (fuzz-expressions.ts), appended to each row; absent in older cases. */
  readonly exprs?: Expr[];
}

// Characters chosen to stress case folding, LIKE metacharacters, escapes and surrogate pairs;
// none in U+D800–U+FFFF besides the pair, so UTF-16 order is code point order (as both databases sort).
const CHARS = ["a", "b", "A", "B", "é", "É", "ß", "%", "_", "\\", " ", "😀"];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 4 }).map((cs) => cs.join(""));
const small = fc.constantFrom(-32768, -5, -1, 0, 1, 2, 7, 32767);
const ratio = fc.constantFrom(-1.5, 0, 0.25, 2, 1e10, -0);
const level = fc.constantFrom<1 | 2 | 3>(1, 2, 3);

const STRING_LOOKUPS = [
  "exact", "not", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "icontains",
  "startswith", "istartswith", "endswith", "iendswith", "iexact",
] as const; // prettier-ignore
const NUMBER_LOOKUPS = ["exact", "not", "in", "not_in", "gt", "gte", "lt", "lte", "range"] as const;

/** A value for `lookup` on a field whose single values come from `single`. */
function valueFor(lookup: string, single: fc.Arbitrary<Value>): fc.Arbitrary<Value | Value[]> {
  if (lookup === "in" || lookup === "not_in") return fc.array(single, { maxLength: 3 });
  if (lookup === "range") return fc.tuple(single, single);
  if (lookup === "isnull") return fc.boolean();
  return single;
}

function leaf(
  field: Field,
  lookups: readonly string[],
  single: fc.Arbitrary<Value>,
): fc.Arbitrary<Cond> {
  return fc
    .constantFrom(...lookups)
    .chain((lookup) => valueFor(lookup, single).map((value) => ({ field, lookup, value })));
}

const leafCond: fc.Arbitrary<Cond> = fc.oneof(
  leaf("name", STRING_LOOKUPS, text),
  leaf("body", [...STRING_LOOKUPS.filter((l) => l !== "in" && l !== "not_in"), "isnull"], text),
  leaf("body", ["exact", "not"], fc.constant(null)),
  leaf("small", NUMBER_LOOKUPS, small),
  leaf("ratio", ["exact", "not", "gt", "gte", "lt", "lte", "isnull", "in"], ratio),
  leaf("flag", ["exact", "not"], fc.boolean()),
  leaf("level", ["exact", "not", "in", "not_in", "isnull"], level),
  leaf("level", ["exact"], fc.constant(null)),
);

const cond: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafCond,
    fc.record({
      connector: fc.constantFrom<"and" | "or">("and", "or"),
      negated: fc.boolean(),
      children: fc.array(tie("cond"), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).cond;

const row = (id: number): fc.Arbitrary<ItemRow> =>
  fc.record({
    id: fc.constant(id),
    name: text,
    small,
    body: fc.option(text, { nil: null }),
    flag: fc.boolean(),
    ratio: fc.option(ratio, { nil: null }),
    level: fc.option(level, { nil: null }),
  });

export const arbitraryCase: fc.Arbitrary<FuzzCase> = fc.record({
  rows: fc
    .integer({ min: 0, max: 12 })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => row(i + 1)))),
  steps: fc.array(
    fc.record({ op: fc.constantFrom<"filter" | "exclude">("filter", "exclude"), cond }),
    { maxLength: 3 },
  ),
  orderBy: fc.array(
    fc.record({
      field: fc.constantFrom<Field>("name", "small", "body", "flag", "ratio", "level"),
      desc: fc.boolean(),
    }),
    { maxLength: 2 },
  ),
  limit: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
  exprs: arbitraryExpressions(cond),
});

// ---- the ORM side --------------------------------------------------------------------------

function toWhere(c: Cond): object {
  if ("field" in c) return { [`${c.field}__${c.lookup}`]: c.value };
  const items = c.children.map((child) => ("field" in child ? toWhere(child) : toQ(child)));
  const q = c.connector === "and" ? Q.and(...(items as never[])) : Q.or(...(items as never[]));
  return c.negated ? q.not() : q;
}

function toQ(c: Cond): object {
  return toWhere(c);
}

/** The case's query through the generated Item model; rows as comparable tuples. */
export async function runCase(c: FuzzCase): Promise<unknown[][]> {
  let qs = Item.all();
  const exprs = c.exprs ?? [];
  if (exprs.length > 0) qs = qs.annotate(annotationsOf(exprs, (x) => toWhere(x as Cond))) as never;
  for (const step of c.steps) {
    const where = toWhere(step.cond) as never;
    qs = step.op === "filter" ? qs.filter(where) : qs.exclude(where);
  }
  qs = qs.orderBy(...(c.orderBy.map((o) => (o.desc ? `-${o.field}` : o.field)) as never[]), "id");
  if (c.limit !== null) qs = qs.limit(c.limit);
  return (await qs).map((i) => [
    ...[i.id, i.name, i.small, i.body, i.flag, i.ratio, i.level],
    ...exprs.map((_, k) => (i as unknown as Record<string, unknown>)[`e${k}`]),
  ]);
}

/** Replaces the Item table's rows with the case's. */
export async function loadRows(c: FuzzCase): Promise<void> {
  await Item.all().delete();
  if (c.rows.length > 0) await Item.bulkCreate(c.rows.map((r) => ({ ...r })));
}

// ---- the reference ---------------------------------------------------------------------------

const fold = (s: string) => s.toLowerCase();

function compare(a: Value, b: Value): number {
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

function matchLeaf(row: ItemRow, field: Field, lookup: string, value: Value | Value[]): boolean {
  const v = row[field] as Value;
  const eq = (x: Value, y: Value) => x !== null && y !== null && compare(x, y) === 0;
  switch (lookup) {
    case "exact":
      return value === null ? v === null : eq(v, value as Value);
    case "not": // IS DISTINCT FROM: NULL rows kept
      return value === null ? v !== null : v === null || !eq(v, value as Value);
    case "in":
      return (value as Value[]).some((x) => eq(v, x));
    case "not_in":
      return v === null || !(value as Value[]).some((x) => eq(v, x));
    case "isnull":
      return (v === null) === value;
  }
  if (v === null || value === null) return false;
  switch (lookup) {
    case "gt":
      return compare(v, value as Value) > 0;
    case "gte":
      return compare(v, value as Value) >= 0;
    case "lt":
      return compare(v, value as Value) < 0;
    case "lte":
      return compare(v, value as Value) <= 0;
    case "range": {
      const [lo, hi] = value as Value[];
      return compare(v, lo!) >= 0 && compare(v, hi!) <= 0;
    }
  }
  const s = v as string;
  const x = value as string;
  switch (lookup) {
    case "contains":
      return s.includes(x);
    case "icontains":
      return fold(s).includes(fold(x));
    case "startswith":
      return s.startsWith(x);
    case "istartswith":
      return fold(s).startsWith(fold(x));
    case "endswith":
      return s.endsWith(x);
    case "iendswith":
      return fold(s).endsWith(fold(x));
    case "iexact":
      return fold(s) === fold(x);
  }
  throw new Error(`reference: unknown lookup ${lookup}`);
}

export function matches(row: ItemRow, c: Cond): boolean {
  if ("field" in c) return matchLeaf(row, c.field, c.lookup, c.value);
  const r =
    c.connector === "and"
      ? c.children.every((x) => matches(row, x))
      : c.children.some((x) => matches(row, x));
  return c.negated ? !r : r;
}

/** What the case's query must return: filter keeps, exclude drops (exactly the complement). */
export function evaluate(c: FuzzCase): unknown[][] {
  let rows = c.rows.filter((r) => c.steps.every((s) => matches(r, s.cond) === (s.op === "filter")));
  const keys = [...c.orderBy, { field: "id" as const, desc: false }];
  rows = [...rows].sort((a, b) => {
    for (const { field, desc } of keys) {
      const x = a[field as keyof ItemRow] as Value;
      const y = b[field as keyof ItemRow] as Value;
      if (x === y) continue;
      // NULL sorts last ascending, first descending (Postgres' default, on both databases).
      if (x === null) return desc ? -1 : 1;
      if (y === null) return desc ? 1 : -1;
      const d = compare(x, y);
      if (d !== 0) return desc ? -d : d;
    }
    return 0;
  });
  if (c.limit !== null) rows = rows.slice(0, c.limit);
  return rows.map((r) => [
    ...[r.id, r.name, r.small, r.body, r.flag, r.ratio, r.level],
    ...(c.exprs ?? []).map((e) => evaluateExpression(e, r, (x) => matches(r, x as Cond))),
  ]);
}
