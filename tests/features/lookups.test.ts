import { beforeEach, describe, expect, it } from "vitest";
import { Author, Book, Item, Q } from "./generated/index.js";
import { forEachTarget, resetData, takeStatements } from "./harness.js";

const T = `SELECT "books"."title" FROM "books"`;
const BY_TITLE = `ORDER BY "books"."title" ASC`;
const JOIN_AUTHOR = `LEFT JOIN "author" AS "t1" ON "t1"."id" = "books"."author_id"`;

/** Each lookup: the filter, the SQL and params sent on each database, and the titles found. */
const cases: Array<{
  where: Parameters<typeof Book.filter>[0];
  postgres: [string, unknown[]];
  sqlite: [string, unknown[]];
  mysql: [string, unknown[]];
  titles: string[];
}> = [
  {
    where: { title: "Compilers" },
    postgres: [`${T} WHERE "books"."title" = $1 ${BY_TITLE}`, ["Compilers"]],
    sqlite: [`${T} WHERE "books"."title" = +? ${BY_TITLE}`, ["Compilers"]],
    mysql: [`${T} WHERE "books"."title" = ? ${BY_TITLE}`, ["Compilers"]],
    titles: ["Compilers"],
  },
  {
    where: { price__not: "5.00" },
    postgres: [`${T} WHERE "books"."price" IS DISTINCT FROM $1 ${BY_TITLE}`, ["5.00"]],
    sqlite: [`${T} WHERE "books"."price" IS NOT +? ${BY_TITLE}`, ["5.00"]],
    mysql: [
      `${T} WHERE NOT ("books"."price" <=> CAST(? AS DECIMAL(65, 30))) ${BY_TITLE}`,
      ["5.00"],
    ],
    titles: ["100% Pure_COBOL\\", "Analytical Engine", "Compilers"],
  },
  {
    where: { price__in: ["5", "42.5"] },
    postgres: [`${T} WHERE "books"."price" = ANY($1) ${BY_TITLE}`, [["5.00", "42.50"]]],
    sqlite: [
      `${T} WHERE "books"."price" IN (SELECT value FROM json_each(?)) ${BY_TITLE}`,
      ['["5.00","42.50"]'],
    ],
    mysql: [
      `${T} WHERE "books"."price" IN (SELECT "v" FROM JSON_TABLE(?, '$[*]' COLUMNS ("v" DECIMAL(65, 30) PATH '$')) AS "yara_in") ${BY_TITLE}`,
      ['["5.00","42.50"]'],
    ],
    titles: ["Compilers", "analytic notes"],
  },
  {
    where: { price__not_in: ["5.00"] },
    postgres: [
      `${T} WHERE ("books"."price" IS NULL OR NOT ("books"."price" = ANY($1))) ${BY_TITLE}`,
      [["5.00"]],
    ],
    sqlite: [
      `${T} WHERE ("books"."price" IS NULL OR "books"."price" NOT IN (SELECT value FROM json_each(?))) ${BY_TITLE}`,
      ['["5.00"]'],
    ],
    mysql: [
      `${T} WHERE ("books"."price" IS NULL OR "books"."price" NOT IN (SELECT "v" FROM JSON_TABLE(?, '$[*]' COLUMNS ("v" DECIMAL(65, 30) PATH '$')) AS "yara_in")) ${BY_TITLE}`,
      ['["5.00"]'],
    ],
    titles: ["100% Pure_COBOL\\", "Analytical Engine", "Compilers"],
  },
  {
    where: { price__range: ["5", "19.99"] },
    postgres: [
      `${T} WHERE ("books"."price" >= $1 AND "books"."price" <= $2) ${BY_TITLE}`,
      ["5.00", "19.99"],
    ],
    sqlite: [
      `${T} WHERE (CAST("books"."price" AS REAL) >= CAST(? AS REAL) AND CAST("books"."price" AS REAL) <= CAST(? AS REAL)) ${BY_TITLE}`,
      ["5.00", "19.99"],
    ],
    mysql: [
      `${T} WHERE ("books"."price" >= CAST(? AS DECIMAL(65, 30)) AND "books"."price" <= CAST(? AS DECIMAL(65, 30))) ${BY_TITLE}`,
      ["5.00", "19.99"],
    ],
    titles: ["Analytical Engine", "analytic notes"],
  },
  {
    where: { title__contains: "_C" },
    postgres: [`${T} WHERE "books"."title" LIKE $1 ESCAPE '\\' ${BY_TITLE}`, ["%\\_C%"]],
    sqlite: [`${T} WHERE instr("books"."title", ?) > 0 ${BY_TITLE}`, ["_C"]],
    mysql: [`${T} WHERE "books"."title" LIKE ? ESCAPE '\\' ${BY_TITLE}`, ["%\\_C%"]],
    titles: ["100% Pure_COBOL\\"],
  },
  {
    where: { title__istartswith: "ANALYTIC" },
    postgres: [`${T} WHERE "books"."title" ILIKE $1 ESCAPE '\\' ${BY_TITLE}`, ["ANALYTIC%"]],
    sqlite: [
      `${T} WHERE substr(yara_lower("books"."title"), 1, length(yara_lower(?))) = yara_lower(?) ${BY_TITLE}`,
      ["ANALYTIC", "ANALYTIC"],
    ],
    mysql: [
      `${T} WHERE LOWER("books"."title") LIKE LOWER(?) ESCAPE '\\' ${BY_TITLE}`,
      ["ANALYTIC%"],
    ],
    titles: ["Analytical Engine", "analytic notes"],
  },
  {
    where: { author__name: "Ada", published: true },
    postgres: [
      `${T} ${JOIN_AUTHOR} WHERE ("t1"."name" = $1 AND "books"."published" = $2) ${BY_TITLE}`,
      ["Ada", true],
    ],
    sqlite: [
      `${T} ${JOIN_AUTHOR} WHERE ("t1"."name" = +? AND "books"."published" = +?) ${BY_TITLE}`,
      ["Ada", 1],
    ],
    mysql: [
      `${T} ${JOIN_AUTHOR} WHERE ("t1"."name" = ? AND "books"."published" = ?) ${BY_TITLE}`,
      ["Ada", 1],
    ],
    titles: ["Analytical Engine"],
  },
];

forEachTarget((target) => {
  let ada: Author;
  let grace: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada", email: "ada@example.com" });
    grace = await Author.create({ name: "Grace", email: null });
    await Book.bulkCreate([
      { title: "Analytical Engine", price: "19.99", published: true, author: ada },
      { title: "analytic notes", price: "5.00", author: ada },
      { title: "100% Pure_COBOL\\", price: null, author: grace },
      { title: "Compilers", price: "42.50", published: true, author: grace },
    ]);
  });

  const titles = async (where: Parameters<typeof Book.filter>[0]) =>
    (await Book.filter(where).orderBy("title").valuesList("title", { flat: true })) as string[];

  it("sends exactly the SQL and parameters it compiles, and finds the right rows", async () => {
    for (const c of cases) {
      takeStatements();
      const found = await Book.filter(c.where).orderBy("title").valuesList("title", { flat: true });
      const [sql, params] = c[target.dialect];
      expect(takeStatements(), JSON.stringify(c.where)).toEqual([{ sql, params }]);
      expect(found, JSON.stringify(c.where)).toEqual(c.titles);
    }
  });

  it("exact and not; not keeps NULL rows", async () => {
    expect(await titles({ title: "Compilers" })).toEqual(["Compilers"]);
    expect(await titles({ title__exact: "compilers" })).toEqual([]);
    expect(await titles({ price__not: "5.00" })).toEqual([
      "100% Pure_COBOL\\",
      "Analytical Engine",
      "Compilers",
    ]);
    expect(await titles({ price: null })).toEqual(["100% Pure_COBOL\\"]);
  });

  it("in and not_in; not_in keeps NULL rows", async () => {
    expect(await titles({ price__in: ["5.00", "42.50"] })).toEqual(["Compilers", "analytic notes"]);
    expect(await titles({ price__not_in: ["5.00", "42.50"] })).toEqual([
      "100% Pure_COBOL\\",
      "Analytical Engine",
    ]);
    expect(await titles({ title__in: [] })).toEqual([]);
    expect((await titles({ title__not_in: [] })).length).toBe(4);
  });

  it("comparisons and range compare decimals as numbers", async () => {
    expect(await titles({ price__gt: "5.00" })).toEqual(["Analytical Engine", "Compilers"]);
    expect(await titles({ price__gte: "5" })).toEqual([
      "Analytical Engine",
      "Compilers",
      "analytic notes",
    ]);
    expect(await titles({ price__lt: "20" })).toEqual(["Analytical Engine", "analytic notes"]);
    expect(await titles({ price__lte: "19.99" })).toEqual(["Analytical Engine", "analytic notes"]);
    expect(await titles({ price__range: ["5.00", "19.99"] })).toEqual([
      "Analytical Engine",
      "analytic notes",
    ]);
  });

  it("isnull and not_isnull", async () => {
    expect(await titles({ price__isnull: true })).toEqual(["100% Pure_COBOL\\"]);
    expect((await titles({ price__not_isnull: true })).length).toBe(3);
    expect((await titles({ price__isnull: false })).length).toBe(3);
  });

  it("contains, startswith and endswith are case-sensitive on every database", async () => {
    expect(await titles({ title__contains: "nalytic" })).toEqual([
      "Analytical Engine",
      "analytic notes",
    ]);
    expect(await titles({ title__contains: "ENGINE" })).toEqual([]);
    expect(await titles({ title__startswith: "A" })).toEqual(["Analytical Engine"]);
    expect(await titles({ title__endswith: "notes" })).toEqual(["analytic notes"]);
    expect(await titles({ title__endswith: "NOTES" })).toEqual([]);
  });

  it("the i-variants ignore case", async () => {
    expect(await titles({ title__icontains: "ENGINE" })).toEqual(["Analytical Engine"]);
    expect(await titles({ title__istartswith: "ANALYTIC" })).toEqual([
      "Analytical Engine",
      "analytic notes",
    ]);
    expect(await titles({ title__iendswith: "NOTES" })).toEqual(["analytic notes"]);
    expect(await titles({ title__iexact: "COMPILERS" })).toEqual(["Compilers"]);
  });

  it("%, _ and \\ in a value match literally", async () => {
    expect(await titles({ title__contains: "%" })).toEqual(["100% Pure_COBOL\\"]);
    expect(await titles({ title__contains: "_" })).toEqual(["100% Pure_COBOL\\"]);
    expect(await titles({ title__icontains: "e_c" })).toEqual(["100% Pure_COBOL\\"]);
    expect(await titles({ title__endswith: "\\" })).toEqual(["100% Pure_COBOL\\"]);
    expect(await titles({ title__startswith: "1_0" })).toEqual([]);
    expect(await titles({ title__iexact: "100% pure_cobol\\" })).toEqual(["100% Pure_COBOL\\"]);
  });

  it("filters through a relation and by a related instance", async () => {
    expect(await titles({ author__name: "Ada" })).toEqual(["Analytical Engine", "analytic notes"]);
    expect(await titles({ author__name__icontains: "RAC" })).toEqual([
      "100% Pure_COBOL\\",
      "Compilers",
    ]);
    expect(await titles({ author__email__isnull: true })).toEqual([
      "100% Pure_COBOL\\",
      "Compilers",
    ]);
    expect(await titles({ author: grace })).toEqual(["100% Pure_COBOL\\", "Compilers"]);
    expect(await titles({ authorId: ada.id, published: true })).toEqual(["Analytical Engine"]);
  });

  it("excludes, and combines Q trees with or, and, not", async () => {
    expect(
      await Book.exclude({ author__name: "Ada" })
        .orderBy("title")
        .valuesList("title", { flat: true }),
    ).toEqual(["100% Pure_COBOL\\", "Compilers"]);
    const cheapOrNull = Q.or(Q({ price__lt: "10" }), Q({ price__isnull: true }));
    expect(await titles(cheapOrNull)).toEqual(["100% Pure_COBOL\\", "analytic notes"]);
    expect(await titles(Q.and(cheapOrNull, Q({ author__name: "Ada" })))).toEqual([
      "analytic notes",
    ]);
    expect(await titles(Q({ published: true }).not())).toEqual([
      "100% Pure_COBOL\\",
      "analytic notes",
    ]);
    expect(
      await Author.filter({ books__title__contains: "Engine" }).valuesList("name", { flat: true }),
    ).toEqual(["Ada"]);
  });

  describe("dates", () => {
    it("year, month and day of datetimes (UTC) and dates", async () => {
      await Item.create({ name: "a", at: new Date("2024-02-29T23:30:00.000Z"), day: "2023-12-31" });
      await Item.create({ name: "b", at: new Date("2025-01-01T00:00:00.000Z"), day: "2024-01-15" });
      const names = async (where: Parameters<typeof Item.filter>[0]) =>
        await Item.filter(where).orderBy("name").valuesList("name", { flat: true });
      expect(await names({ at__year: 2024 })).toEqual(["a"]);
      expect(await names({ at__month: 2 })).toEqual(["a"]);
      expect(await names({ at__day: 29 })).toEqual(["a"]);
      expect(await names({ day__year: 2024 })).toEqual(["b"]);
      expect(await names({ day__month: 12, day__day: 31 })).toEqual(["a"]);
      expect(await names({ at__gt: new Date("2024-12-31T23:59:59.999Z") })).toEqual(["b"]);
    });
  });
});
