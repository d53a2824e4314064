import { describe, expect, test } from "vitest";
import { Author, Book, Item } from "./fixtures.js";
import { both, SELECT_AUTHORS, SELECT_BOOKS } from "./helpers.js";

const ORDER = ` ORDER BY "books"."id" DESC`;

/** WHERE clause and params of `Book.filter(where)` on each dialect. */
function where(filter: Record<string, unknown>) {
  const q = both(Book.objects.filter(filter));
  const strip = (sql: string) => {
    expect(sql.startsWith(`${SELECT_BOOKS} WHERE `)).toBe(true);
    expect(sql.endsWith(ORDER)).toBe(true);
    return sql.slice(`${SELECT_BOOKS} WHERE `.length, -ORDER.length);
  };
  return {
    pg: strip(q.postgres.sql),
    pgParams: q.postgres.params,
    lite: strip(q.sqlite.sql),
    liteParams: q.sqlite.params,
  };
}

describe("comparison lookups", () => {
  test("exact is the default and binds the value", () => {
    expect(where({ title: "Dune" })).toEqual({
      pg: `"books"."title" = $1`,
      pgParams: ["Dune"],
      lite: `"books"."title" = +?`,
      liteParams: ["Dune"],
    });
    expect(where({ title__exact: "Dune" }).pg).toBe(`"books"."title" = $1`);
  });

  test("exact null is IS NULL; not null is IS NOT NULL", () => {
    expect(where({ price: null })).toEqual({
      pg: `"books"."price" IS NULL`,
      pgParams: [],
      lite: `"books"."price" IS NULL`,
      liteParams: [],
    });
    expect(where({ price__not: null }).lite).toBe(`"books"."price" IS NOT NULL`);
  });

  test("not keeps NULL rows (IS DISTINCT FROM / IS NOT)", () => {
    expect(where({ title__not: "x" })).toEqual({
      pg: `"books"."title" IS DISTINCT FROM $1`,
      pgParams: ["x"],
      lite: `"books"."title" IS NOT +?`,
      liteParams: ["x"],
    });
  });

  test.each([
    ["gt", ">"],
    ["gte", ">="],
    ["lt", "<"],
    ["lte", "<="],
  ])("%s", (lookup, op) => {
    expect(where({ [`id__${lookup}`]: 3 })).toEqual({
      pg: `"books"."id" ${op} $1`,
      pgParams: [3],
      lite: `"books"."id" ${op} +?`,
      liteParams: [3],
    });
  });

  test("range is inclusive on both ends", () => {
    expect(where({ id__range: [1, 5] })).toEqual({
      pg: `("books"."id" >= $1 AND "books"."id" <= $2)`,
      pgParams: [1, 5],
      lite: `("books"."id" >= +? AND "books"."id" <= +?)`,
      liteParams: [1, 5],
    });
  });

  test("isnull / not_isnull", () => {
    expect(where({ price__isnull: true }).pg).toBe(`"books"."price" IS NULL`);
    expect(where({ price__isnull: false }).pg).toBe(`"books"."price" IS NOT NULL`);
    expect(where({ price__not_isnull: true }).lite).toBe(`"books"."price" IS NOT NULL`);
    expect(where({ price__not_isnull: false }).lite).toBe(`"books"."price" IS NULL`);
  });

  test("decimals compare as numbers on SQLite and canonicalise the bound value", () => {
    expect(where({ price__gt: 1.5 })).toEqual({
      pg: `"books"."price" > $1`,
      pgParams: ["1.50"],
      lite: `CAST("books"."price" AS REAL) > CAST(? AS REAL)`,
      liteParams: ["1.50"],
    });
    // equality stays textual on SQLite: both sides are canonical with exactly 2 places
    expect(where({ price: "3" })).toMatchObject({
      lite: `"books"."price" = +?`,
      liteParams: ["3.00"],
    });
  });
});

describe("in / not_in bind ONE parameter", () => {
  test("in", () => {
    expect(where({ id__in: [1, 2, 3] })).toEqual({
      pg: `"books"."id" = ANY($1)`,
      pgParams: [[1, 2, 3]],
      lite: `"books"."id" IN (SELECT value FROM json_each(?))`,
      liteParams: ["[1,2,3]"],
    });
  });

  test("not_in keeps NULL rows", () => {
    expect(where({ price__not_in: ["1", 2] })).toEqual({
      pg: `("books"."price" IS NULL OR NOT ("books"."price" = ANY($1)))`,
      pgParams: [["1.00", "2.00"]],
      lite: `("books"."price" IS NULL OR "books"."price" NOT IN (SELECT value FROM json_each(?)))`,
      liteParams: ['["1.00","2.00"]'],
    });
  });

  test("100 000 ids are still one parameter", () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);
    const q = both(Book.objects.filter({ id__in: ids }));
    expect(q.postgres.params).toHaveLength(1);
    expect(q.postgres.params[0]).toHaveLength(100_000);
    expect(q.sqlite.params).toHaveLength(1);
    expect(JSON.parse(q.sqlite.params[0] as string)).toHaveLength(100_000);
  });

  test("empty list matches nothing (in) and everything (not_in)", () => {
    expect(where({ id__in: [] })).toMatchObject({ pgParams: [[]], liteParams: ["[]"] });
  });

  test("bigints in a SQLite list stay exact", () => {
    const q = Item.objects.filter({ big__in: [9007199254740993n, 1] }).sql("sqlite");
    expect(q.params).toEqual(["[9007199254740993,1]"]);
  });
});

describe("text lookups: case-sensitive plain ones, insensitive i-ones, wildcards literal", () => {
  const nasty = `50%_off\\`;

  test("contains", () => {
    expect(where({ title__contains: nasty })).toEqual({
      pg: `"books"."title" LIKE $1 ESCAPE '\\'`,
      pgParams: [`%50\\%\\_off\\\\%`],
      lite: `instr("books"."title", ?) > 0`,
      liteParams: [nasty],
    });
  });

  test("startswith", () => {
    expect(where({ title__startswith: nasty })).toEqual({
      pg: `"books"."title" LIKE $1 ESCAPE '\\'`,
      pgParams: [`50\\%\\_off\\\\%`],
      lite: `substr("books"."title", 1, length(?)) = ?`,
      liteParams: [nasty, nasty],
    });
  });

  test("endswith", () => {
    expect(where({ title__endswith: nasty })).toEqual({
      pg: `"books"."title" LIKE $1 ESCAPE '\\'`,
      pgParams: [`%50\\%\\_off\\\\`],
      lite: `substr("books"."title", length("books"."title") - length(?) + 1) = ?`,
      liteParams: [nasty, nasty],
    });
  });

  const lower = `yara_lower("books"."title")`;
  test.each([
    ["icontains", `%50\\%\\_off\\\\%`, `instr(${lower}, yara_lower(?)) > 0`, 1],
    [
      "istartswith",
      `50\\%\\_off\\\\%`,
      `substr(${lower}, 1, length(yara_lower(?))) = yara_lower(?)`,
      2,
    ],
    [
      "iendswith",
      `%50\\%\\_off\\\\`,
      `substr(${lower}, length(${lower}) - length(yara_lower(?)) + 1) = yara_lower(?)`,
      2,
    ],
    ["iexact", `50\\%\\_off\\\\`, `${lower} = yara_lower(?)`, 1],
  ] as const)("%s", (lookup, pattern, lite, binds) => {
    expect(where({ [`title__${lookup}`]: nasty })).toEqual({
      pg: `"books"."title" ILIKE $1 ESCAPE '\\'`,
      pgParams: [pattern],
      lite,
      liteParams: Array<string>(binds).fill(nasty),
    });
  });
});

describe("date parts", () => {
  test("year/month/day at UTC, with an optional comparison", () => {
    const q = both(
      Author.objects.filter({
        createdAt__year: 2024,
        createdAt__month__gte: 3,
        createdAt__day__in: [1, 2],
      }),
    );
    expect(q.postgres.sql).toBe(
      `${SELECT_AUTHORS} WHERE (CAST(EXTRACT(YEAR FROM "authors"."created_at" AT TIME ZONE 'UTC') AS INTEGER) = $1 AND ` +
        `CAST(EXTRACT(MONTH FROM "authors"."created_at" AT TIME ZONE 'UTC') AS INTEGER) >= $2 AND ` +
        `CAST(EXTRACT(DAY FROM "authors"."created_at" AT TIME ZONE 'UTC') AS INTEGER) = ANY($3))`,
    );
    expect(q.postgres.params).toEqual([2024, 3, [1, 2]]);
    expect(q.sqlite.sql).toBe(
      `${SELECT_AUTHORS} WHERE (CAST(strftime('%Y', "authors"."created_at") AS INTEGER) = +? AND ` +
        `CAST(strftime('%m', "authors"."created_at") AS INTEGER) >= +? AND ` +
        `CAST(strftime('%d', "authors"."created_at") AS INTEGER) IN (SELECT value FROM json_each(?)))`,
    );
    expect(q.sqlite.params).toEqual([2024, 3, "[1,2]"]);
  });

  test("date fields extract without a time zone on Postgres", () => {
    expect(Item.objects.filter({ day__year: 2020 }).sql("postgres").sql).toContain(
      `CAST(EXTRACT(YEAR FROM "items"."day") AS INTEGER) = $1`,
    );
  });
});
