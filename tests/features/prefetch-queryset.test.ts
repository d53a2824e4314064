// Prefetch(path, { queryset, toAttr }): a prefetchRelated level loaded through a query set.
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import {
  Author,
  Book,
  FieldError,
  Prefetch,
  RelationNotLoadedError,
  Review,
  Tag,
  ValidationError,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, sqlFor, takeStatements } from "./harness.js";

forEachTarget((target) => {
  const sql = (postgres: string): string => sqlFor(target, postgres);
  const titles = (books: readonly Book[]) => books.map((b) => b.title);
  let ada: Author;
  let zoe: Author;
  let nobody: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    zoe = await Author.create({ name: "Zoë 🦊" });
    nobody = await Author.create({ name: "Nobody" });
    const [dune, , eve, notes] = (await Book.bulkCreate([
      { title: "Dune", price: "9.50", author: ada, published: true },
      { title: "Emma", price: null, author: ada },
      { title: "Ève", price: "12.00", author: ada, published: true },
      { title: "Notes", price: "1.00", author: zoe },
    ])) as [Book, Book, Book, Book];
    const [sf, classic] = (await Tag.bulkCreate([{ name: "sf" }, { name: "classic" }])) as [
      Tag,
      Tag,
    ];
    await dune.tags.add(sf, classic);
    await eve.tags.add(sf);
    await notes.tags.add(classic);
    await Review.create({ book: dune, reviewer: zoe, stars: 5 });
    takeStatements();
  });

  it("loads a to-many level through a filtered, ordered query set, one query", async () => {
    const authors = await Author.all()
      .prefetchRelated(
        Prefetch("books", { queryset: Book.filter({ published: true }).orderBy("-price") }),
      )
      .orderBy("name");
    const statements = takeStatements();
    expect(statements).toHaveLength(2);
    // SQLite orders its text decimals as numbers, NULL first as Postgres does.
    const priceDesc =
      target.dialect === "postgres"
        ? `"books"."price" DESC`
        : target.dialect === "mysql"
          ? `"books"."price" IS NULL DESC, "books"."price" DESC`
          : `CAST("books"."price" AS REAL) DESC NULLS FIRST`;
    expect(statements[1]).toEqual({
      sql: sql(
        `SELECT "books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id" ` +
          `FROM "books" WHERE ("books"."published" = $1 AND "books"."author_id" = ANY($2)) ORDER BY ${priceDesc}`,
      ),
      params: [
        target.dialect === "postgres" ? true : 1,
        target.dialect === "postgres"
          ? [ada.id, nobody.id, zoe.id]
          : JSON.stringify([ada.id, nobody.id, zoe.id]),
      ],
    });
    expect(authors.map((a) => [a.name, titles(a.books.loaded)])).toEqual([
      ["Ada", ["Ève", "Dune"]],
      ["Nobody", []],
      ["Zoë 🦊", []],
    ]);
  });

  it("stores the rows under toAttr, typed, leaving the relation itself unloaded", async () => {
    const [first] = await Author.filter({ id: ada.id }).prefetchRelated(
      "profile",
      Prefetch("books", { queryset: Book.filter({ price__isnull: true }), toAttr: "unpriced" }),
      Prefetch("books", { queryset: Book.all().orderBy("title"), toAttr: "byTitle" }),
    );
    const author = first!;
    expectTypeOf(author.unpriced).toEqualTypeOf<Book[]>();
    expectTypeOf(author.byTitle).toEqualTypeOf<Book[]>();
    expect(titles(author.unpriced)).toEqual(["Emma"]);
    expect(titles(author.byTitle)).toEqual(["Dune", "Emma", "Ève"]);
    expect(() => author.books.loaded).toThrow(RelationNotLoadedError);
    expect(author.profile).toBeNull();
    // Not a field: not in Object.keys() nor in JSON.
    expect(Object.keys(author)).not.toContain("unpriced");
    expect(JSON.parse(JSON.stringify(author))).not.toHaveProperty("unpriced");
    // Without toAttr the type stays the model's.
    expectTypeOf(await Author.all().prefetchRelated("books")).toEqualTypeOf<Author[]>();
  });

  it("keeps the query set's order in many-to-many lists, both ways, and on nested paths", async () => {
    const books = await Book.all()
      .orderBy("title")
      .prefetchRelated(Prefetch("tags", { queryset: Tag.all().orderBy("-name") }));
    expect(books.map((b) => [b.title, b.tags.loaded.map((t) => t.name)])).toEqual([
      ["Dune", ["sf", "classic"]],
      ["Emma", []],
      ["Notes", ["classic"]],
      ["Ève", ["sf"]],
    ]);
    const tags = await Tag.all()
      .orderBy("name")
      .prefetchRelated(Prefetch("books", { queryset: Book.filter({ title__startswith: "D" }) }));
    expect(tags.map((t) => [t.name, titles(t.books.loaded)])).toEqual([
      ["classic", ["Dune"]],
      ["sf", ["Dune"]],
    ]);
    // The query set applies to the last level; the levels before it load as usual.
    const [author] = await Author.filter({ id: ada.id }).prefetchRelated(
      Prefetch("books__tags", { queryset: Tag.filter({ name: "sf" }), toAttr: "sfTags" }),
    );
    expect(
      author!.books.loaded.map((b) => [b.title, (b as Book & { sfTags: Tag[] }).sfTags.length]),
    ).toEqual([
      ["Ève", 1],
      ["Emma", 0],
      ["Dune", 1],
    ]);
  });

  it("runs the query set's own selectRelated and prefetchRelated, and only()", async () => {
    const [author] = await Author.filter({ id: ada.id }).prefetchRelated(
      Prefetch("books", {
        queryset: Book.filter({ title: "Dune" }).selectRelated("author").prefetchRelated("reviews"),
      }),
    );
    const [dune] = author!.books.loaded;
    expect(dune!.author.name).toBe("Ada");
    expect(dune!.reviews.loaded.map((r) => r.stars)).toEqual([5]);
    // only() without the key it groups by: the key is read too.
    const [again] = await Author.filter({ id: ada.id }).prefetchRelated(
      Prefetch("books", { queryset: Book.all().only("title").orderBy("title") }),
    );
    expect(titles(again!.books.loaded)).toEqual(["Dune", "Emma", "Ève"]);
    expect(again!.books.loaded[0]!.price).toBeUndefined();
  });

  it("to-one relations take a query set that does not filter a non-null key", async () => {
    const books = await Book.all()
      .orderBy("title")
      .prefetchRelated(Prefetch("author", { queryset: Author.all().prefetchRelated("profile") }));
    expect(books.map((b) => b.author.name)).toEqual(["Ada", "Ada", "Zoë 🦊", "Ada"]);
    const reviews = await Review.all().prefetchRelated(
      Prefetch("reviewer", { queryset: Author.filter({ name: "nobody else" }) }),
    );
    expect(reviews.map((r) => r.reviewer)).toEqual([null]); // a nullable key may read null
    const filtered = await rejects(
      Book.all().prefetchRelated(Prefetch("author", { queryset: Author.filter({ name: "Ada" }) })),
    );
    expect(filtered).toBeInstanceOf(ValidationError);
    expect((filtered as Error).message).toBe(
      'Book: Prefetch("author") cannot filter a to-one relation: Book.author would read null where its type promises a Author; filter the Book rows instead',
    );
  });

  it("sends nothing more for no rows", async () => {
    const none = await Author.filter({ name: "none" }).prefetchRelated(
      Prefetch("books", { queryset: Book.all(), toAttr: "all" }),
    );
    expect(none).toEqual([]);
    expect(takeStatements()).toHaveLength(1);
  });

  it("refuses values() query sets, other models, slices, clashing names and unknown options", async () => {
    expect(() =>
      // @ts-expect-error: a values() query set is not a QuerySet
      Prefetch("books", { queryset: Book.all().values("title") }),
    ).toThrow(
      'Prefetch("books"): the queryset is a values() / valuesList() query, whose rows are plain objects; prefetch needs instances: pass the QuerySet itself',
    );
    expect(() =>
      // @ts-expect-error: an unknown option is a compile error
      Prefetch("books", { queryset: Book.all(), to_attr: "x" }),
    ).toThrow(ValidationError);
    expect(() => Prefetch("books", { queryset: Book.all(), toAttr: "not a name" })).toThrow(
      'Prefetch("books"): option toAttr must be a property name such as "publishedBooks"',
    );
    const refusals: [PromiseLike<unknown>, string][] = [
      [
        Author.all().prefetchRelated(Prefetch("books", { queryset: Tag.all() })),
        'Author: Prefetch("books") needs a query set of Book, the target of Author.books; got one of Tag',
      ],
      [
        Author.all().prefetchRelated(Prefetch("books", { queryset: Book.all().limit(1) })),
        'Author: Prefetch("books") cannot take a sliced query set: limit() and offset() would apply to the related rows of every instance together',
      ],
      [
        Author.all().prefetchRelated(Prefetch("books", { queryset: Book.all(), toAttr: "email" })),
        'Author: Prefetch("books") toAttr "email" is a field or relation of Author; choose another name',
      ],
      [
        Author.all().prefetchRelated(Prefetch("books", { queryset: Book.all(), toAttr: "save" })),
        'Author: Prefetch("books") toAttr "save" is a member every Author has; choose another name',
      ],
      [
        Book.all().prefetchRelated(Prefetch("author", { queryset: Author.all(), toAttr: "a" })),
        'Book: Prefetch("author") toAttr holds a list, and Book.author is a to-one relation: leave toAttr out (the query set then decides what author holds)',
      ],
      [
        Author.all().prefetchRelated("books", Prefetch("books", { queryset: Book.all() })),
        'Author: prefetchRelated() loads "books" twice, in two ways; give one of them a toAttr',
      ],
    ];
    for (const [query, message] of refusals) {
      const error = await rejects(query);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(message);
    }
    // A values() query has no instances to prefetch onto.
    const values = await rejects(Author.all().prefetchRelated("books").values("name"));
    expect(values).toBeInstanceOf(ValidationError);
    expect((values as Error).message).toBe(
      'Author: values() and valuesList() rows are plain objects, with nothing to prefetch onto; drop prefetchRelated(), or read related values by path (values("books__title"))',
    );
    expect(
      await rejects(Author.all().prefetchRelated("books").valuesList("name", { flat: true })),
    ).toBeInstanceOf(ValidationError);
    const forged = await rejects(
      Author.all().prefetchRelated({ path: "books", queryset: Book.all() } as never),
    );
    expect(forged).toBeInstanceOf(FieldError);
    expect((forged as Error).message).toBe(
      "Author: prefetchRelated() takes relation paths and Prefetch() objects",
    );
    const misspelt = await rejects(
      // @ts-expect-error: a misspelt path is a compile error
      Author.all().prefetchRelated(Prefetch("boks", { queryset: Book.all() })),
    );
    expect(misspelt).toBeInstanceOf(FieldError);
    expect(takeStatements()).toEqual([]);
  });
});
