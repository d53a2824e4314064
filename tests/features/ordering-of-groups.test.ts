/**
 * Orderings that differ from a model's plain rows: grouped and whole-table aggregates never
 * take the model's default `ordering` (Book has `ordering: ["-id"]`), distinct rows are ordered
 * by what they select, and an ordering a DISTINCT does not select is selected too — the same
 * SQL shape and the same rows on every database.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Count, Max, Sum } from "./generated/index.js";
import { forEachTarget, resetData, takeStatements, type Target } from "./harness.js";

forEachTarget((target: Target) => {
  let ada: Author;
  let grace: Author;
  const nulls = (s: string): string => (target.dialect === "sqlite" ? s : "");

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.00", author: grace },
      { title: "Emma", price: "5.25", author: ada },
      { title: "Notes", price: null, author: grace },
      { title: "Dune", price: "2.00", author: ada },
    ]);
    takeStatements();
  });

  it("runs api.md's groupBy sample on a model with ordering, ordered by the selected values", async () => {
    const rows = await Book.all()
      .annotate({ n: Count(), top: Max("price") })
      .groupBy("author__name")
      .filter({ n__gt: 1 })
      .values("author__name", "n", "top");
    expectTypeOf(rows).toEqualTypeOf<{ author__name: string; n: number; top: string | null }[]>();
    expect(rows).toEqual([
      { author__name: "Ada", n: 2, top: "5.25" },
      { author__name: "Grace", n: 2, top: "9.00" },
    ]);
    // MySQL spells NULL's place out before the value: `x IS NULL ASC, x ASC`.
    const sql = takeStatements()[0]!.sql.replace(/("t1"\."name") IS NULL ASC, /g, "");
    expect(sql).not.toContain(`"books"."id"`);
    expect(sql).toMatch(
      /GROUP BY "t1"."name" HAVING COUNT\(\*\) > .+ ORDER BY "t1"."name" ASC.* COUNT\(\*\) ASC/,
    );
  });

  it("aggregates the whole table of a model with ordering (no ORDER BY id)", async () => {
    const rows = await Book.all()
      .annotate({ n: Count(), total: Sum("price") })
      .values("n", "total");
    expect(rows).toEqual([{ n: 4, total: "16.25" }]);
    expect(await Book.all().annotate({ n: Count() }).valuesList("n", { flat: true }).first()).toBe(
      4,
    );
    const streamed: unknown[] = [];
    for await (const row of Book.all().annotate({ n: Count() }).values("n")) streamed.push(row);
    expect(streamed).toEqual([{ n: 4 }]);
    expect(
      await Book.all().annotate({ n: Count() }).groupBy("authorId").values("authorId", "n").count(),
    ).toBe(2);
  });

  it("streams and takes the first of grouped values by the selected values", async () => {
    const query = Book.all().annotate({ n: Count() }).groupBy("title").values("title", "n");
    const streamed: unknown[] = [];
    for await (const row of query) streamed.push(row);
    const expected = [
      { title: "Dune", n: 2 },
      { title: "Emma", n: 1 },
      { title: "Notes", n: 1 },
    ];
    expect(streamed).toEqual(expected);
    expect(await query).toEqual(expected);
    expect(await query.first()).toEqual(expected[0]);
  });

  it("orders values().distinct() by the selected values on every database", async () => {
    expect(await Book.all().values("title").distinct()).toEqual([
      { title: "Dune" },
      { title: "Emma" },
      { title: "Notes" },
    ]);
    expect(await Book.all().valuesList("authorId", "title").distinct()).toEqual([
      [ada.id, "Dune"],
      [ada.id, "Emma"],
      [grace.id, "Dune"],
      [grace.id, "Notes"],
    ]);
  });

  it("selects an ordering DISTINCT does not select, and returns only the asked values", async () => {
    const query = Book.all().orderBy("-author__name").values("title").distinct();
    const rows = await query;
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT DISTINCT "books"."title", "t1"."name" FROM "books" ` +
          `LEFT JOIN "author" AS "t1" ON "t1"."id" = "books"."author_id" ORDER BY ${target.dialect === "mysql" ? `"t1"."name" IS NULL DESC, ` : ""}"t1"."name" DESC${nulls(" NULLS FIRST")}`,
        params: [],
      },
    ]);
    // Distinct over (title, author name), as in Django: "Dune" once per author.
    expect(rows.map((r) => Object.keys(r))).toEqual([["title"], ["title"], ["title"], ["title"]]);
    expect(
      rows
        .map((r) => r.title)
        .slice(0, 2)
        .sort(),
    ).toEqual(["Dune", "Notes"]);
    expect(await query.count()).toBe(rows.length);
    // Instances too: the decoder reads its own columns only.
    const books = await Book.all().orderBy("author__name", "title").distinct();
    expect(books.map((b) => [b.title, b.authorId])).toEqual([
      ["Dune", ada.id],
      ["Emma", ada.id],
      ["Dune", grace.id],
      ["Notes", grace.id],
    ]);
    expect(Object.keys(books[0]!)).toEqual(["id", "title", "price", "published", "authorId"]);
  });
});
