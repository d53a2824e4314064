/**
 * QuerySet entry points are model statics, as in Tortoise (`Book.count()`, `Book.annotate(…)`),
 * each the method of `Book.all()` with the same types, SQL and rows.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Count, inTransaction } from "./generated/index.js";
import { forEachTarget, resetData, takeStatements } from "./harness.js";

forEachTarget(() => {
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.00", author: ada },
      { title: "Emma", author: ada },
    ]);
    await Author.create({ name: "Grace" });
    takeStatements();
  });

  it("answers like the same call on all(), with the same SQL", async () => {
    const pairs: [() => PromiseLike<unknown>, () => PromiseLike<unknown>][] = [
      [() => Book.count(), () => Book.all().count()],
      [() => Book.exists(), () => Book.all().exists()],
      [
        () =>
          Author.annotate({ n: Count("books") })
            .orderBy("name")
            .valuesList("name", "n"),
        () =>
          Author.all()
            .annotate({ n: Count("books") })
            .orderBy("name")
            .valuesList("name", "n"),
      ],
      [
        () => Book.orderBy("title").values("title"),
        () => Book.all().orderBy("title").values("title"),
      ],
      [
        () => Book.values("title", { who: "author__name" }),
        () => Book.all().values("title", { who: "author__name" }),
      ],
      [
        () => Book.valuesList("title", { flat: true }),
        () => Book.all().valuesList("title", { flat: true }),
      ],
      [() => Book.only("author").orderBy("id"), () => Book.all().only("author").orderBy("id")],
      [() => Book.selectRelated("author"), () => Book.all().selectRelated("author")],
      [() => Author.prefetchRelated("books"), () => Author.all().prefetchRelated("books")],
      [
        () => inTransaction(() => Book.selectForUpdate()),
        () => inTransaction(() => Book.all().selectForUpdate()),
      ],
    ];
    for (const [statics, all] of pairs) {
      const a = JSON.stringify(await statics());
      const viaStatic = takeStatements();
      const b = JSON.stringify(await all());
      expect(a).toBe(b);
      expect(viaStatic).toEqual(takeStatements());
    }
    expect(await Book.count()).toBe(2);
    expect(
      await Author.annotate({ n: Count("books") })
        .filter({ n: 0 })
        .valuesList("name", { flat: true }),
    ).toEqual(["Grace"]);
  });

  it("works taken off the class, and is not an enumerable property of it", async () => {
    const { filter, get, count, create, values } = Book;
    expect(await filter({ title: "Dune" }).count()).toBe(1);
    expect((await get({ title: "Emma" })).authorId).toBe(ada.id);
    expect(await count()).toBe(2);
    const made = await create({ title: "Kindred", author: ada });
    expect(made).toBeInstanceOf(Book);
    expect(await values("title")).toHaveLength(3);
    expect(Object.keys(Book)).not.toContain("filter");
    expect(Object.keys(Book)).not.toContain("count");
  });

  it("is typed as the QuerySet method", async () => {
    expectTypeOf(Book.count).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(Book.exists).returns.toEqualTypeOf<Promise<boolean>>();
    const [row] = await Author.annotate({ n: Count("books") }).orderBy("-n");
    expectTypeOf(row!.n).toEqualTypeOf<number>();
    expectTypeOf(await Book.values("title", { who: "author__name" })).toEqualTypeOf<
      { title: string; who: string }[]
    >();
    const [partial] = await Book.only("author");
    expect(partial!.authorId).toBe(ada.id);
    expect(partial!.title).toBeUndefined();
  });
});
