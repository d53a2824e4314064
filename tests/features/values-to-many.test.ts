// values() / valuesList() across to-many paths: one row per related row (LEFT JOINs), null
// where there is none, as in Tortoise and Django; filters still pick rows with EXISTS.
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Count, FieldError, Tag } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  // SQLite spells out Postgres' NULL ordering, for nullable values (a path through a relation).
  const last = target.dialect === "sqlite" ? " NULLS LAST" : "";
  const first = target.dialect === "sqlite" ? " NULLS FIRST" : "";

  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    const zoe = await Author.create({ name: "Zoë 🦊" });
    await Author.create({ name: "Nobody" });
    const [dune, , notes] = (await Book.bulkCreate([
      { title: "Dune", price: "9.50", author: ada },
      { title: "Emma", price: null, author: ada },
      { title: "Notes", price: "1.00", author: zoe },
    ])) as [Book, Book, Book];
    const [sf, classic] = (await Tag.bulkCreate([
      { name: "sf" },
      { name: "classic" },
      { name: "unused" },
    ])) as [Tag, Tag, Tag];
    await dune.tags.add(sf, classic);
    await notes.tags.add(classic);
    takeStatements();
  });

  it("gives one row per related row of a reverse foreign key, null without one", async () => {
    const rows = await Author.all().values("name", "books__title").orderBy("name", "books__title");
    expectTypeOf(rows).toEqualTypeOf<{ name: string; books__title: string | null }[]>();
    expect(rows).toEqual([
      { name: "Ada", books__title: "Dune" },
      { name: "Ada", books__title: "Emma" },
      { name: "Nobody", books__title: null },
      { name: "Zoë 🦊", books__title: "Notes" },
    ]);
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT "author"."name", "t1"."title" FROM "author" ` +
          `LEFT JOIN "books" AS "t1" ON "t1"."author_id" = "author"."id" ` +
          `ORDER BY "author"."name" ASC, ${target.dialect === "mysql" ? `"t1"."title" IS NULL ASC, ` : ""}"t1"."title" ASC${last}`,
        params: [],
      },
    ]);
  });

  it("goes through many-to-many relations, both ways, with the join table", async () => {
    const rows = await Book.all().valuesList("title", "tags__name").orderBy("title", "-tags__name");
    expectTypeOf(rows).toEqualTypeOf<[string, string | null][]>();
    expect(rows).toEqual([
      ["Dune", "sf"],
      ["Dune", "classic"],
      ["Emma", null],
      ["Notes", "classic"],
    ]);
    expect(takeStatements()[0]!.sql).toBe(
      `SELECT "books"."title", "t2"."name" FROM "books" ` +
        `LEFT JOIN "books_tag" AS "t1" ON "t1"."book_id" = "books"."id" ` +
        `LEFT JOIN "tag" AS "t2" ON "t2"."id" = "t1"."tag_id" ` +
        `ORDER BY "books"."title" ASC, ${target.dialect === "mysql" ? `"t2"."name" IS NULL DESC, ` : ""}"t2"."name" DESC${first}`,
    );
    expect(
      await Tag.all().values("name", { book: "books__title" }).orderBy("name", "books__title"),
    ).toEqual([
      { name: "classic", book: "Dune" },
      { name: "classic", book: "Notes" },
      { name: "sf", book: "Dune" },
      { name: "unused", book: null },
    ]);
  });

  it("reads fields past the to-many relation, and NULL fields of related rows as null", async () => {
    // A to-one hop after the to-many one (typed up to the to-many hop; the runtime takes more).
    const rows = await Author.all()
      .values("name", "books__price", "books__author__name" as "books__title")
      .orderBy("name", "books__title");
    expect(rows).toEqual([
      { name: "Ada", books__price: "9.50", books__author__name: "Ada" },
      { name: "Ada", books__price: null, books__author__name: "Ada" },
      { name: "Nobody", books__price: null, books__author__name: null },
      { name: "Zoë 🦊", books__price: "1.00", books__author__name: "Zoë 🦊" },
    ]);
    // Two to-many hops (typed up to one; the runtime takes more).
    const deep = await Author.all()
      .valuesList("name", "books__tags__name" as "books__title")
      .orderBy("name", "books__title", "books__tags__name" as "books__title");
    expect(deep).toEqual([
      ["Ada", "classic"],
      ["Ada", "sf"],
      ["Ada", null],
      ["Nobody", null],
      ["Zoë 🦊", "classic"],
    ]);
  });

  it("keeps filters on the rows queried (EXISTS), counts and streams the rows it returns", async () => {
    const query = Author.filter({ books__title: "Dune" }).values("name", "books__title");
    expect(await query.orderBy("books__title")).toEqual([
      { name: "Ada", books__title: "Dune" },
      { name: "Ada", books__title: "Emma" },
    ]);
    expect(await query.count()).toBe(2);
    expect(await Author.all().valuesList("books__title", { flat: true }).count()).toBe(4);
    expect(await Author.all().valuesList("name", { flat: true }).distinct().count()).toBe(3);
    expect(await Author.filter({ name: "none" }).values("name", "books__title")).toEqual([]);
    const streamed: unknown[] = [];
    for await (const row of Author.all().valuesList("name", "books__title").orderBy("name"))
      streamed.push(row);
    expect(streamed).toHaveLength(4);
    // Streaming pages by offset under a total order: the related row's key after the model's.
    expect(takeStatements().at(-1)!.sql).toMatch(
      /ORDER BY "author"\."name" ASC, "author"\."id" ASC, ("t1"\."id" IS NULL ASC, )?"t1"\."id" ASC( NULLS LAST)? LIMIT/,
    );
    expect(
      streamed
        .slice(0, 2)
        .map((r) => (r as string[])[1])
        .sort(),
    ).toEqual(["Dune", "Emma"]);
  });

  it("leaves annotations per row of the model, not per related row", async () => {
    const rows = await Author.all()
      .annotate({ n: Count("books") })
      .values("name", "n", "books__title")
      .orderBy("name", "books__title");
    expect(rows.map((r) => [r.name, r.n, r.books__title])).toEqual([
      ["Ada", 2, "Dune"],
      ["Ada", 2, "Emma"],
      ["Nobody", 0, null],
      ["Zoë 🦊", 1, "Notes"],
    ]);
    expect(await Author.all().values("books__title").distinct().orderBy("books__title")).toEqual([
      { books__title: "Dune" },
      { books__title: "Emma" },
      { books__title: "Notes" },
      { books__title: null },
    ]);
  });

  it("is typed, and a to-many path outside values() is still refused", async () => {
    // @ts-expect-error: a misspelt to-many path is a compile error
    const misspelt = await rejects(Author.all().values("books__titel"));
    expect(misspelt).toBeInstanceOf(FieldError);
    const ordered = await rejects(Author.all().orderBy("books__title" as "name"));
    expect(ordered).toBeInstanceOf(FieldError);
    expect((ordered as Error).message).toBe(
      'Author: "books" is a to-many relation and cannot be used here',
    );
  });
});
