/**
 * Tortoise's forms that used to fail or be ignored: values() under aliases, aggregates with a
 * `filter` (FILTER (WHERE …) on both databases, or the correlated subquery's own WHERE over a
 * to-many relation), and options yara does not know, which are refused rather than ignored.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Avg, Book, Count, Q, Sum, ValidationError } from "./generated/index.js";
import {
  compared,
  forEachTarget,
  rejects,
  resetData,
  takeStatements,
  type Target,
} from "./harness.js";

forEachTarget((target: Target) => {
  let ada: Author;
  let grace: Author;
  const cmp = (n: number): string => compared(target, n);

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.00", author: ada, published: true },
      { title: "Emma", price: "5.25", author: ada },
      { title: "Notes", price: "1.00", author: grace, published: true },
    ]);
    takeStatements();
  });

  it("values() takes Tortoise's aliases, typed, beside plain paths", async () => {
    const rows = await Book.all()
      .orderBy("title")
      .values("title", { authorName: "author__name", cost: "price" });
    expectTypeOf(rows).toEqualTypeOf<
      { title: string; authorName: string; cost: string | null }[]
    >();
    expect(rows).toEqual([
      { title: "Dune", authorName: "Ada", cost: "9.00" },
      { title: "Emma", authorName: "Ada", cost: "5.25" },
      { title: "Notes", authorName: "Grace", cost: "1.00" },
    ]);
    // An annotation under an alias; distinct aliased values are ordered by what they read.
    const counted = await Author.all()
      .annotate({ n: Count("books") })
      .orderBy("name")
      .values({ who: "name", books: "n" });
    expect(counted).toEqual([
      { who: "Ada", books: 2 },
      { who: "Grace", books: 1 },
    ]);
    expect(await Book.all().values({ author: "author__name" }).distinct()).toEqual([
      { author: "Ada" },
      { author: "Grace" },
    ]);
  });

  it("refuses a bad alias form with a ValidationError or FieldError, never a TypeError", async () => {
    const bad = (q: PromiseLike<unknown>) => rejects(q).then((e) => (e as Error).name);
    // @ts-expect-error an alias names a field path as a string
    expect(await bad(Book.all().values({ n: 1 }))).toBe("ValidationError");
    // @ts-expect-error not a field of Book
    expect(await bad(Book.all().values({ n: "nope" }))).toBe("FieldError");
    expect(await bad(Book.all().values("title", { title: "author__name" }))).toBe(
      "ValidationError",
    );
    // @ts-expect-error a number is not a field path
    expect(await bad(Book.all().values(3))).toBe("ValidationError");
    // @ts-expect-error nor in orderBy / only
    expect(await bad(Book.all().orderBy(3))).toBe("FieldError");
  });

  it("aggregates only the rows a filter keeps: FILTER (WHERE …) over the query's rows", async () => {
    const rows = await Book.all()
      .annotate({
        n: Count(),
        pub: Count("id", { filter: { published: true } }),
        cheap: Sum("price", { filter: Q.or({ price__lt: "2" }, { title: "Emma" }) }),
      })
      .groupBy("authorId")
      .orderBy("authorId")
      .values("authorId", "n", "pub", "cheap");
    expect(rows).toEqual([
      { authorId: ada.id, n: 2, pub: 1, cheap: "5.25" },
      { authorId: grace.id, n: 1, pub: 1, cheap: "1.00" },
    ]);
    const sql = takeStatements()[0]!.sql;
    // MySQL has no FILTER clause: the condition moves into the aggregate as a CASE.
    expect(sql).toContain(
      target.dialect === "mysql"
        ? `COUNT(CASE WHEN "books"."published" = ? THEN "books"."id" END)`
        : `COUNT("books"."id") FILTER (WHERE "books"."published" = ${cmp(1)})`,
    );
    expect(
      await Book.all()
        .annotate({ n: Count(undefined, { filter: { published: false } }) })
        .values("n"),
    ).toEqual([{ n: 1 }]);
  });

  it("aggregates only the related rows a filter keeps over a to-many relation", async () => {
    const rows = await Author.all()
      .annotate({
        all: Count("books"),
        published: Count("books", { filter: { books__published: true } }),
        avg: Avg("books__price", { filter: { books__title__startswith: "E" } }),
      })
      .orderBy("name")
      .values("name", "all", "published", "avg");
    expect(rows).toEqual([
      { name: "Ada", all: 2, published: 1, avg: 5.25 },
      { name: "Grace", all: 1, published: 1, avg: null },
    ]);
    const sql = takeStatements()[0]!.sql;
    expect(sql).toContain(
      `(SELECT COUNT("t2"."id") FROM "books" AS "t2" WHERE ("t2"."author_id" = "author"."id" AND "t2"."published" = ${cmp(1)}))`,
    );
    // Filter on annotation: HAVING / WHERE uses the same filtered aggregate.
    expect(
      await Author.all()
        .annotate({ published: Count("books", { filter: { books__published: true } }) })
        .filter({ published__gte: 1 })
        .orderBy("name")
        .valuesList("name", { flat: true }),
    ).toEqual(["Ada", "Grace"]);
  });

  it("refuses unknown options and filters that cannot apply, naming them", async () => {
    const thrown = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
      return "no error";
    };
    // @ts-expect-error Django's spelling is not an option
    expect(thrown(() => Count("books", { filtr: { books__published: true } }))).toMatch(
      /^ValidationError: Count\(\) has no option "filtr"/,
    );
    // @ts-expect-error distinct is a boolean
    expect(thrown(() => Sum("price", { distinct: "yes" }))).toMatch(/^ValidationError/);
    const e = await rejects(
      Author.all().annotate({ n: Count("books", { filter: { name: "Ada" } }) }),
    );
    expect(e).toMatchObject({ name: "FieldError" });
    expect((e as Error).message).toMatch(/may only name paths through "books"/);
    const bad = (q: PromiseLike<unknown>) => rejects(q).then((x) => (x as Error).name);
    // @ts-expect-error unknown valuesList option
    expect(await bad(Book.all().valuesList("title", { flatt: true }))).toBe("ValidationError");
    // @ts-expect-error unknown selectForUpdate option
    expect(await bad(Book.all().selectForUpdate({ skip_locked: true }))).toBe("ValidationError");
    expect(await bad(Book.all().selectForUpdate({ skipLocked: true, nowait: true }))).toBe(
      "ValidationError",
    );
    // @ts-expect-error unknown bulkCreate option
    expect(await bad(Book.bulkCreate([], { batch_size: 10 }))).toBe("ValidationError");
    expect(
      // @ts-expect-error ignore must be true
      await bad(Book.bulkCreate([{ title: "x", author: ada }], { onConflict: { ignore: false } })),
    ).toBe("ValidationError");
    expect(await Book.count()).toBe(3);
    expect(ValidationError).toBeDefined();
  });
});
