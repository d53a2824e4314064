// distinct("field", …): Postgres DISTINCT ON, ordered by the distinct paths first; a
// NotSupportedError on SQLite.
import { beforeEach, expect, it } from "vitest";
import { Author, Book, Count, NotSupportedError, ValidationError } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

const BOOK = `"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"`;

forEachTarget((target) => {
  const postgres = target.dialect === "postgres";
  let ada: Author;
  let zoe: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    zoe = await Author.create({ name: "Zoë 🦊" });
    await Author.create({ name: "Nobody" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.50", author: ada },
      { title: "Emma", price: null, author: ada },
      { title: "Ève", price: "12.00", author: ada },
      { title: "Notes", price: "1.00", author: zoe },
      { title: "Odes", price: null, author: zoe },
    ]);
    takeStatements();
  });

  /** The rows on Postgres; on SQLite and MySQL the NotSupportedError, with nothing sent. */
  async function rows<R>(query: PromiseLike<R[]>): Promise<R[] | undefined> {
    if (postgres) return await query;
    const error = await rejects(query);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as NotSupportedError).dialect).toBe(target.dialect);
    expect(takeStatements()).toEqual([]);
    return undefined;
  }

  it("keeps the first row of each group under the ordering, the distinct paths ordered first", async () => {
    const query = Book.all().distinct("authorId").orderBy("-price");
    const books = await rows(query);
    if (!postgres) {
      expect(() => query.sql()).toThrow(
        `Book: distinct("authorId") is SELECT DISTINCT ON, which ${target.dialect} does not have (Postgres only); use distinct() without fields, on values(), or groupBy() instead`,
      );
      return;
    }
    // NULL sorts first descending: Emma (no price) is Ada's first book by -price.
    expect(books!.map((b) => b.title)).toEqual(["Emma", "Odes"]);
    expect(takeStatements()).toEqual([
      {
        sql: `SELECT DISTINCT ON ("books"."author_id") ${BOOK} FROM "books" ORDER BY "books"."author_id" ASC, "books"."price" DESC`,
        params: [],
      },
    ]);
  });

  it("keeps an ordering that already starts with the distinct paths, and their direction", async () => {
    const books = await rows(
      Book.filter({ price__isnull: false }).distinct("authorId").orderBy("-authorId", "price"),
    );
    if (!books) return;
    expect(books.map((b) => b.title)).toEqual(["Notes", "Dune"]);
    expect(takeStatements()[0]!.sql).toMatch(
      /ORDER BY "books"\."author_id" DESC, "books"\."price" ASC$/,
    );
    // A distinct path written later in the ordering moves to the front with its direction.
    const moved = await rows(
      Book.filter({ price__isnull: false }).distinct("authorId").orderBy("price", "-authorId"),
    );
    expect(moved!.map((b) => b.title)).toEqual(["Notes", "Dune"]);
    expect(takeStatements()[0]!.sql).toMatch(
      /ORDER BY "books"\."author_id" DESC, "books"\."price" ASC$/,
    );
  });

  it("uses the model's ordering when there is no orderBy()", async () => {
    // Book orders by -id: the newest book of each author.
    const books = await rows(Book.all().distinct("authorId"));
    if (books) expect(books.map((b) => b.title)).toEqual(["Ève", "Odes"]);
  });

  it("takes paths through relations, annotations, and several fields", async () => {
    const names = await rows(
      Book.all()
        .distinct("author__name")
        .orderBy("author__name", "title")
        .values("author__name", "title"),
    );
    if (names)
      expect(names).toEqual([
        { author__name: "Ada", title: "Dune" },
        { author__name: "Zoë 🦊", title: "Notes" },
      ]);
    // NULL is one group.
    const prices = await rows(
      Book.all().distinct("price").orderBy("price", "title").valuesList("price", "title"),
    );
    if (prices)
      expect(prices).toEqual([
        ["1.00", "Notes"],
        ["9.50", "Dune"],
        ["12.00", "Ève"],
        [null, "Emma"],
      ]);
    const pairs = await rows(
      Book.all()
        .distinct("authorId", "published")
        .orderBy("title")
        .valuesList("title", { flat: true }),
    );
    if (pairs) expect(pairs).toEqual(["Dune", "Notes"]);
    const counted = await rows(
      Author.all()
        .annotate({ n: Count("books") })
        .distinct("n")
        .orderBy("n", "name")
        .values("n", "name"),
    );
    if (counted)
      expect(counted).toEqual([
        { n: 0, name: "Nobody" },
        { n: 2, name: "Zoë 🦊" },
        { n: 3, name: "Ada" },
      ]);
  });

  it("counts, tests and streams the distinct rows; an empty set is empty", async () => {
    const query = Book.all().distinct("authorId");
    if (postgres) {
      expect(await query.count()).toBe(2);
      expect(await query.exists()).toBe(true);
      const streamed: string[] = [];
      for await (const book of query.orderBy("title")) streamed.push(book.title);
      expect(streamed).toEqual(["Dune", "Notes"]);
      expect((await query.first())?.title).toBe("Ève");
    } else {
      expect(await rejects(query.count())).toBeInstanceOf(NotSupportedError);
      expect(await rejects(query.exists())).toBeInstanceOf(NotSupportedError);
    }
    const none = await rows(Book.filter({ title: "none" }).distinct("authorId"));
    if (none) expect(none).toEqual([]);
  });

  it("compiles each set of distinct paths to its own SQL (the per-shape cache keeps them apart)", async () => {
    const byAuthor = await rows(Book.filter({ price__isnull: false }).distinct("authorId"));
    const byPublished = await rows(Book.filter({ price__isnull: false }).distinct("published"));
    if (!byAuthor || !byPublished) return;
    const [first, second] = takeStatements();
    expect(first!.sql).toMatch(/^SELECT DISTINCT ON \("books"\."author_id"\) /);
    expect(second!.sql).toMatch(/^SELECT DISTINCT ON \("books"\."published"\) /);
    expect(byAuthor.map((b) => b.title)).toEqual(["Ève", "Notes"]);
    expect(byPublished.map((b) => b.title)).toEqual(["Notes"]);
  });

  it("distinct() without fields is a plain DISTINCT again, on both databases", async () => {
    const titles = await Book.all()
      .distinct("authorId")
      .distinct()
      .orderBy("title")
      .values("title");
    expect(titles.map((r) => r.title)).toEqual(["Dune", "Emma", "Notes", "Odes", "Ève"]);
  });

  it("refuses update() and delete() after distinct(fields), and unknown fields", async () => {
    const update = await rejects(Book.all().distinct("authorId").update({ published: true }));
    expect(update).toBeInstanceOf(ValidationError);
    expect((update as Error).message).toBe(
      "Book: update() and delete() cannot follow distinct(fields)",
    );
    expect(await rejects(Book.all().distinct("authorId").delete())).toBeInstanceOf(ValidationError);
    expect(await Book.count()).toBe(5);
    const unknown = await rejects(
      // @ts-expect-error: a misspelt field is a compile error
      Book.all().distinct("autor"),
    );
    expect((unknown as Error).message).toMatch(
      /has no field or relation "autor".*did you mean "author"/,
    );
  });
});
