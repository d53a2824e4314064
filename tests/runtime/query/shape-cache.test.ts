/**
 * The per-shape SQL cache (runtime/query/shape-cache.ts) must never hand a query the SQL of a
 * different query: every statement a query sends through the cache is compared with the same
 * query compiled from scratch (`sql()`), over many generated shapes and values, on both dialects.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { F, Q, ValidationError, type Param } from "../../../runtime/index.js";
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { BaseQuery } from "../../../runtime/query/base.js";
import { SHAPES_PER_MODEL } from "../../../runtime/query/shape-cache.js";
import { Book, BOOK_COLUMNS } from "./fixtures.js";
import { useFake } from "./fake-driver.js";

type Dialect = "postgres" | "sqlite";
type BookQuery = ReturnType<typeof Book.objects.all>;

/** A small seeded PRNG (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random query whose structure (keys, Q tree, ordering, slicing, …) is drawn from `shapeSeed`
 * and whose values from `valueSeed`: the same shape seed with other value seeds gives queries
 * of the same shape, except where a value changes the SQL (null, isnull's boolean, F()).
 */
function generate(shapeSeed: number, valueSeed: number): BookQuery {
  const next = random(shapeSeed);
  const value = random(valueSeed);
  const pick = <T>(items: readonly T[], from = next): T =>
    items[Math.floor(from() * items.length)]!;
  const int = (): number => Math.floor(value() * 5) + 1;
  const list = <T>(item: () => T): T[] => Array.from({ length: Math.floor(value() * 4) }, item);
  const text = (): string => pick(["Dune", "a%b_c\\", "", "ÉCOLE", "x"], value);
  const bool = (): boolean => value() < 0.5;
  const leaves: [string, () => unknown][] = [
    ["title", text],
    ["title__in", () => list(text)],
    ["title__not_in", () => list(text)],
    ["title__icontains", text],
    ["title__contains", text],
    ["title__startswith", text],
    ["title__iendswith", text],
    ["title__iexact", text],
    ["price", () => pick([null, "1.50", 3, "0.10"], value)],
    ["price__not", () => pick([null, "2.00"], value)],
    ["price__isnull", bool],
    ["price__not_isnull", bool],
    ["price__lt", () => pick(["9.99", 4], value)],
    ["price__range", () => ["1.00", pick(["5.00", "7.25"], value)]],
    ["id", () => pick<unknown>([int(), F("authorId")], value)],
    ["id__gte", int],
    ["id__range", () => [int(), int() + 5]],
    ["id__in", () => list(int)],
    ["published", bool],
    ["author", int],
    ["author__name", text],
    ["author__name__icontains", text],
    ["author__email", () => pick([null, "a@b.c"], value)],
    ["author__email__isnull", bool],
    ["author__createdAt__year", int],
    ["author__createdAt__year__in", () => list(int)],
    ["author__createdAt__week__gte", int],
    [
      "author__createdAt__date__in",
      () => list(() => pick(["2024-01-0" + int(), "2021-01-03"], value)),
    ],
    ["author__createdAt__time__lt", () => pick(["09:00", "12:30:45.5"], value)],
    ["title__regex", () => pick(["^D", "a.b", "[0-9]+\\.", ""], value)],
    ["title__iregex", () => pick(["école", "x|y"], value)],
    ["title__search", () => pick(["dune", "école x"], value)],
    ["tags", int],
    ["tags__in", () => list(int)],
    ["tags__name", text],
    ["tags__isnull", bool],
    ["tags__name__isnull", bool],
  ];
  const where = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const n = 1 + Math.floor(next() * 3);
    for (let i = 0; i < n; i++) {
      const [key, make] = pick(leaves);
      out[key] = make();
    }
    return out;
  };
  const condition = (): Record<string, unknown> | Q<object> => {
    const r = next();
    if (r < 0.6) return where();
    if (r < 0.8) return Q.or(where(), where());
    return Q(where()).not();
  };
  const orderings: string[][] = [[], ["title"], ["-price", "id"], ["author__name"]];
  let q: BookQuery = Book.objects.all();
  const filters = 1 + Math.floor(next() * 2);
  for (let i = 0; i < filters; i++) q = q.filter(condition() as never);
  if (next() < 0.3) q = q.exclude(condition() as never);
  if (next() < 0.5) q = q.orderBy(...(pick(orderings) as never[]));
  if (next() < 0.5) q = q.limit(Math.floor(next() * 3));
  if (next() < 0.3) q = q.offset(Math.floor(next() * 3));
  if (next() < 0.2) q = q.only("title");
  if (next() < 0.2) q = q.selectRelated("author");
  if (next() < 0.1) q = q.distinct();
  return q;
}

/** What the query sends when awaited (through the cache) on a fake driver of `dialect`. */
async function sent(
  query: BookQuery,
  dialect: Dialect,
): Promise<{ sql: string; params: readonly Param[] }> {
  const db = useFake(dialect);
  await query;
  const { sql, params } = db.last;
  return { sql, params };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("per-shape SQL cache", () => {
  for (const dialect of ["postgres", "sqlite"] as const) {
    test(`${dialect}: every cached statement equals the query compiled from scratch`, async () => {
      const compiler = dialectNamed(dialect).compiler;
      const plans = vi.spyOn(compiler, "compilePlan");
      const compiles = vi.spyOn(compiler, "compile");
      let compared = 0;
      for (let shape = 0; shape < 300; shape++) {
        for (let values = 0; values < 8; values++) {
          const query = generate(shape, 1000 + values);
          const expected = query.sql(dialect);
          const actual = await sent(query, dialect);
          expect(actual, `shape ${shape}, values ${values}: ${expected.sql}`).toEqual({
            sql: expected.sql,
            params: expected.params,
          });
          compared++;
        }
      }
      // compile() (what sql() calls) goes through compilePlan too: the rest were cache misses.
      const misses = plans.mock.calls.length - compiles.mock.calls.length;
      expect(misses).toBeLessThan(compared / 3);
    });
  }

  test("a repeated shape with other values neither builds nor compiles again", async () => {
    const compiler = dialectNamed("sqlite").compiler;
    const query = (title: string, ids: number[]) =>
      Book.objects.filter({ title__icontains: title, id__in: ids }).orderBy("-id").limit(10);
    await sent(query("first", [1]), "sqlite");
    const plans = vi.spyOn(compiler, "compilePlan");
    const compiles = vi.spyOn(compiler, "compile");
    const builds = vi.spyOn(
      BaseQuery.prototype as unknown as { selectNode: () => unknown },
      "selectNode",
    );
    expect(await sent(query("ÉCOLE", [4, 5, 6]), "sqlite")).toEqual({
      sql:
        `SELECT ${BOOK_COLUMNS} FROM "books" WHERE (instr(yara_lower("books"."title"), ` +
        `yara_lower(?)) > 0 AND "books"."id" IN (SELECT value FROM json_each(?))) ` +
        `ORDER BY "books"."id" DESC LIMIT 10`,
      params: ["ÉCOLE", "[4,5,6]"],
    });
    expect(plans).not.toHaveBeenCalled();
    expect(compiles).not.toHaveBeenCalled();
    expect(builds).not.toHaveBeenCalled();
  });

  test("a full cache evicts the shape used least recently, never one in use", async () => {
    // Shapes told apart by their LIMIT (in the key as a number). Shapes earlier tests left are
    // older than all of these, so they go first; then the first of these.
    const compiler = dialectNamed("postgres").compiler;
    const shape = (n: number) => Book.objects.filter({ title: "t" }).limit(1000 + n);
    const hot = Book.objects.filter({ title__startswith: "hot" });
    await sent(hot, "postgres");
    for (let n = 0; n < SHAPES_PER_MODEL; n++) {
      await sent(shape(n), "postgres");
      await sent(hot, "postgres"); // used after every other shape: never the oldest
    }
    const plans = vi.spyOn(compiler, "compilePlan");
    await sent(hot, "postgres");
    expect(plans).not.toHaveBeenCalled();
    // Inserting SHAPES_PER_MODEL + 1 shapes evicted the first of them, used least recently.
    await sent(shape(SHAPES_PER_MODEL - 1), "postgres");
    expect(plans).not.toHaveBeenCalled();
    await sent(shape(0), "postgres");
    expect(plans).toHaveBeenCalledTimes(1);
  });

  test("a plan binds each value as the dialect stores it, refusals included", async () => {
    const compilers = ["postgres", "sqlite"].map((d) => dialectNamed(d as Dialect).compiler);
    await sent(Book.objects.filter({ published: true, title: "a" }), "sqlite");
    await sent(Book.objects.filter({ published: true, title: "a" }), "postgres");
    const plans = compilers.map((c) => vi.spyOn(c, "compilePlan"));
    expect(
      (await sent(Book.objects.filter({ published: false, title: "b" }), "sqlite")).params,
    ).toEqual([0, "b"]);
    expect(
      (await sent(Book.objects.filter({ published: false, title: "b" }), "postgres")).params,
    ).toEqual([false, "b"]);
    // The same shape on Postgres, from the plan: NUL in text is refused before anything is sent.
    const nul = Book.objects.filter({ published: false, title: "a\0b" });
    await expect(sent(nul, "postgres")).rejects.toThrow(ValidationError);
    expect((await sent(nul, "sqlite")).params).toEqual([0, "a\0b"]);
    for (const p of plans) expect(p).not.toHaveBeenCalled();
  });

  test("values that change the SQL text never share a plan", async () => {
    for (const dialect of ["postgres", "sqlite"] as const) {
      const pairs: [BookQuery, BookQuery][] = [
        [Book.objects.filter({ price: null }), Book.objects.filter({ price: "1.00" })],
        [Book.objects.filter({ price__not: "1.00" }), Book.objects.filter({ price__not: null })],
        [
          Book.objects.filter({ price__isnull: true }),
          Book.objects.filter({ price__isnull: false }),
        ],
        [Book.objects.filter({ tags__isnull: true }), Book.objects.filter({ tags__isnull: false })],
        [Book.objects.filter({ id: 1 }), Book.objects.filter({ id: F("authorId") })],
        [Book.objects.filter({ id__in: [1] }), Book.objects.filter({ id__in: [1, 2, 3] })],
        [Book.objects.all().limit(1), Book.objects.all().limit(2)],
        [Book.objects.all().offset(1), Book.objects.all().offset(2)],
        [Book.objects.filter({ title: "a" }), Book.objects.filter(Q({ title: "a" }).not())],
      ];
      for (const [a, b] of pairs) {
        for (const query of [a, b, a, b])
          expect(await sent(query, dialect)).toEqual(query.sql(dialect));
      }
    }
  });
});
