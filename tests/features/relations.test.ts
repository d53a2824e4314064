import { beforeEach, expect, expectTypeOf, it } from "vitest";
import {
  Author,
  Book,
  IntegrityError,
  Profile,
  Q,
  RelatedManager,
  RelationNotLoadedError,
  Review,
  Tag,
  ValidationError,
  type BookTypes,
  type TagTypes,
} from "./generated/index.js";
import {
  boundColumns,
  forEachTarget,
  rejects,
  resetData,
  sqlFor,
  takeStatements,
  type Target,
} from "./harness.js";

const AUTHOR = `"author"."id", "author"."name", "author"."email", "author"."created_at"`;
const BOOK = `"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"`;
const REVIEW = `"review"."id", "review"."book_id", "review"."reviewer_id", "review"."stars"`;
const TAG = `"tag"."id", "tag"."name"`;

forEachTarget((target: Target) => {
  /**
   * The Postgres text of a statement as the target sends it: on SQLite `?` placeholders, and a
   * list parameter read with json_each instead of `= ANY($n)`.
   */
  const sql = (postgres: string): string => sqlFor(target, postgres);
  /** A list bound as one parameter: an array on Postgres, JSON text for json_each on SQLite. */
  const list = (values: readonly unknown[]): unknown =>
    target.dialect === "postgres" ? values : JSON.stringify(values);
  const titles = (books: readonly Book[]) => books.map((b) => b.title).sort();
  /** AUTHOR in a statement with parameters. */
  const authorBound = boundColumns(target, AUTHOR, ["created_at"]);

  let ada: Author;
  let grace: Author;
  let dune: Book;
  let emma: Book;
  let notes: Book;
  let sf: Tag;
  let classic: Tag;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
    [dune, emma, notes] = (await Book.bulkCreate([
      { title: "Dune", price: "9.00", author: ada },
      { title: "Emma", price: "5.00", author: ada },
      { title: "Notes", price: null, author: grace },
    ])) as [Book, Book, Book];
    [sf, classic] = (await Tag.bulkCreate([{ name: "sf" }, { name: "classic" }])) as [Tag, Tag];
    await dune.tags.add(sf, classic);
    await notes.tags.add(classic);
    await Profile.create({ author: ada, bio: "analyst" });
    await Review.bulkCreate([
      { book: dune, reviewer: grace, stars: 5 },
      { book: dune, stars: 3 },
      { book: notes, reviewer: ada, stars: 4 },
    ]);
    takeStatements();
  });

  it("selectRelated loads to-one relations at any depth with LEFT JOINs, in one query", async () => {
    const reviews = await Review.all().selectRelated("book__author", "reviewer").orderBy("id");
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT ${REVIEW}, "t1"."id", "t1"."title", "t1"."price", "t1"."published", "t1"."author_id", ` +
          `"t2"."id", "t2"."name", "t2"."email", "t2"."created_at", "t3"."id", "t3"."name", "t3"."email", "t3"."created_at" ` +
          `FROM "review" LEFT JOIN "books" AS "t1" ON "t1"."id" = "review"."book_id" ` +
          `LEFT JOIN "author" AS "t2" ON "t2"."id" = "t1"."author_id" ` +
          `LEFT JOIN "author" AS "t3" ON "t3"."id" = "review"."reviewer_id" ORDER BY "review"."id" ASC`,
        params: [],
      },
    ]);
    expect(
      reviews.map((r) => [r.book.title, r.book.author.name, r.reviewer?.name ?? null]),
    ).toEqual([
      ["Dune", "Ada", "Grace"],
      ["Dune", "Ada", null],
      ["Notes", "Grace", "Ada"],
    ]);
    // The reverse side of a one-to-one joins too; a missing row is null.
    const authors = await Author.all().selectRelated("profile").orderBy("id");
    expect(authors.map((a) => a.profile?.bio ?? null)).toEqual(["analyst", null]);
    expect(takeStatements()).toHaveLength(1);
  });

  it("types loaded relations and relation paths", () => {
    expectTypeOf<Review["book"]>().toEqualTypeOf<Book>();
    expectTypeOf<Review["reviewer"]>().toEqualTypeOf<Author | null>();
    expectTypeOf<Author["profile"]>().toEqualTypeOf<Profile | null>();
    expectTypeOf<Author["books"]>().toEqualTypeOf<
      RelatedManager<BookTypes, "author" | "authorId">
    >();
    expectTypeOf<Book["tags"]["loaded"]>().toEqualTypeOf<Tag[]>();
    expectTypeOf<Tag["books"]>().toEqualTypeOf<RelatedManager<BookTypes>>();
    expectTypeOf<Awaited<ReturnType<Book["tags"]["all"]>>>().toEqualTypeOf<Tag[]>();
    expectTypeOf<Parameters<Book["tags"]["add"]>>().toEqualTypeOf<(Tag | number)[]>();
    expectTypeOf<RelatedManager<TagTypes>>().toEqualTypeOf<Book["tags"]>();
    // Compiled, never run: each is a compile error.
    void (() => {
      // @ts-expect-error selectRelated takes to-one relations only
      Author.all().selectRelated("books");
      // @ts-expect-error a misspelt relation
      Review.all().selectRelated("book__autor");
      // @ts-expect-error a misspelt prefetch path
      Author.all().prefetchRelated("books__tag");
      // @ts-expect-error fetchRelated paths are typed too
      void dune.fetchRelated("author__nope");
      // @ts-expect-error a to-many relation is a manager, not an array
      void ada.books.length;
      // @ts-expect-error a manager adds instances of its own target
      void dune.tags.add(ada);
    });
  });

  it("reading a relation nothing loaded throws RelationNotLoadedError", async () => {
    const review = await Review.get({ stars: 5 });
    expect(() => review.book).toThrow(RelationNotLoadedError);
    expect(() => ada.books.loaded).toThrow(RelationNotLoadedError);
    expect(() => review.book).toThrow(/Review\.book is not loaded/);
  });

  it("prefetchRelated runs one query per level, the keys bound as one array parameter", async () => {
    const authors = await Author.all().orderBy("id").prefetchRelated("books__tags", "profile");
    const statements = takeStatements();
    // Tag keys come in the order the join table returned its pairs (it has no ORDER BY).
    const tagKeys = statements[3]?.params[0];
    const parsed = (typeof tagKeys === "string" ? JSON.parse(tagKeys) : tagKeys) as number[];
    expect([...parsed].sort()).toEqual([sf.id, classic.id].sort());
    expect(statements).toEqual([
      { sql: `SELECT ${AUTHOR} FROM "author" ORDER BY "author"."id" ASC`, params: [] },
      {
        sql: sql(
          `SELECT ${BOOK} FROM "books" WHERE "books"."author_id" = ANY($1) ORDER BY "books"."id" DESC`,
        ),
        params: [list([ada.id, grace.id])],
      },
      {
        sql: sql(
          `SELECT "books_tag"."book_id", "books_tag"."tag_id" FROM "books_tag" WHERE "books_tag"."book_id" = ANY($1)`,
        ),
        params: [list([emma.id, dune.id, notes.id])],
      },
      {
        sql: sql(`SELECT ${TAG} FROM "tag" WHERE "tag"."id" = ANY($1)`),
        params: [tagKeys],
      },
      {
        sql: sql(
          `SELECT "profile"."id", "profile"."author_id", "profile"."bio" FROM "profile" WHERE "profile"."author_id" = ANY($1)`,
        ),
        params: [list([ada.id, grace.id])],
      },
    ]);
    const [a, g] = authors as [Author, Author];
    expect(titles(a.books.loaded)).toEqual(["Dune", "Emma"]);
    expect(titles(g.books.loaded)).toEqual(["Notes"]);
    const duneLoaded = a.books.loaded.find((b) => b.title === "Dune")!;
    expect(duneLoaded.tags.loaded.map((t) => t.name).sort()).toEqual(["classic", "sf"]);
    expect(a.books.loaded.find((b) => b.title === "Emma")!.tags.loaded).toEqual([]);
    expect(a.profile?.bio).toBe("analyst");
    expect(g.profile).toBeNull();
  });

  it("prefetchRelated reuses what selectRelated joined and loads to-one relations by key", async () => {
    const reviews = await Review.all()
      .selectRelated("book")
      .prefetchRelated("book__author", "reviewer")
      .orderBy("id");
    const statements = takeStatements();
    expect(statements).toHaveLength(3);
    expect(statements[1]!.sql).toBe(
      sql(`SELECT ${authorBound} FROM "author" WHERE "author"."id" = ANY($1)`),
    );
    expect(reviews.map((r) => [r.book.author.name, r.reviewer?.name ?? null])).toEqual([
      ["Ada", "Grace"],
      ["Ada", null],
      ["Grace", "Ada"],
    ]);
    // The same author is one instance wherever it was loaded.
    expect(reviews[0]!.book.author).toBe(reviews[1]!.book.author);
  });

  it("prefetchRelated back to the instance a level was loaded under reuses it, with no query", async () => {
    // Typed paths leave out the way back (AuthorPrefetchPath); untyped code can still ask for it.
    const authors = await Author.all()
      .orderBy("id")
      .prefetchRelated("books__author" as never);
    expect(takeStatements()).toHaveLength(2);
    const books = authors.flatMap((a) => a.books.loaded.map((b) => [a, b] as const));
    expect(books.length).toBeGreaterThan(0);
    for (const [author, book] of books) expect(book.author).toBe(author);
    // Further down the same path, and through a one-to-one relation.
    const again = await Author.all().prefetchRelated(
      "books__author__profile" as never,
      "profile__author" as never,
    );
    expect(takeStatements()).toHaveLength(3);
    for (const author of again) {
      for (const book of author.books.loaded) expect(book.author).toBe(author);
      if (author.profile !== null) expect(author.profile.author).toBe(author);
    }
  });

  it("fetchRelated loads relation paths onto one instance", async () => {
    const book = await Book.get({ title: "Dune" });
    takeStatements();
    await book.fetchRelated("author__profile", "tags", "reviews");
    expect(book.author.name).toBe("Ada");
    expect(book.author.profile?.bio).toBe("analyst");
    expect(book.tags.loaded.map((t) => t.name).sort()).toEqual(["classic", "sf"]);
    expect(book.reviews.loaded.map((r) => r.stars).sort()).toEqual([3, 5]);
    expect(takeStatements()).toHaveLength(5);
    expect(await rejects(book.fetchRelated("nope" as "tags"))).toBeInstanceOf(Error);
  });

  it("reverse foreign-key managers query the related rows and move them", async () => {
    expect(titles(await ada.books.all())).toEqual(["Dune", "Emma"]);
    expect(takeStatements()).toEqual([
      {
        sql: sql(
          `SELECT ${BOOK} FROM "books" WHERE "books"."author_id" = $1 ORDER BY "books"."id" DESC`,
        ),
        params: [ada.id],
      },
    ]);
    expect(titles(await ada.books.filter({ price__gt: "6" }))).toEqual(["Dune"]);
    expect(titles(await ada.books.exclude({ title: "Dune" }))).toEqual(["Emma"]);
    expect(await ada.books.count()).toBe(2);
    expect(await grace.reviews.exists()).toBe(true);

    await grace.books.add(emma);
    expect(takeStatements().at(-1)).toEqual({
      sql: sql(`UPDATE "books" SET "author_id" = $1 WHERE "books"."id" = ANY($2)`),
      params: [grace.id, list([emma.id])],
    });
    expect(emma.authorId).toBe(grace.id);
    expect(titles(await grace.books.all())).toEqual(["Emma", "Notes"]);

    // A key that may not be NULL cannot be removed, only moved or deleted.
    const refused = await rejects(grace.books.remove(emma));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(String(refused)).toMatch(/Book\.author may not be null/);
    expect(await rejects(grace.books.clear())).toBeInstanceOf(ValidationError);
  });

  it("reverse managers of a nullable key remove and clear by setting it NULL", async () => {
    const [five, three] = await Review.all().orderBy("id").limit(2);
    await ada.reviews.add(five!, three!.id);
    expect(await ada.reviews.count()).toBe(3);
    takeStatements();
    await ada.reviews.remove(five!);
    expect(takeStatements()).toEqual([
      {
        sql: sql(
          `UPDATE "review" SET "reviewer_id" = $1 WHERE ("review"."id" = ANY($2) AND "review"."reviewer_id" = $3)`,
        ),
        params: [null, list([five!.id]), ada.id],
      },
    ]);
    expect(five!.reviewerId).toBeNull();
    await ada.reviews.clear();
    expect(await ada.reviews.count()).toBe(0);
    expect(await Review.filter({ reviewer__isnull: true }).count()).toBe(3);
  });

  it("many-to-many managers add idempotently, remove and clear, from either side", async () => {
    takeStatements();
    await dune.tags.add(sf, classic.id);
    expect(takeStatements()).toEqual([
      {
        sql: sql(
          `INSERT INTO "books_tag" ("book_id", "tag_id") VALUES ($1, $2), ($3, $4) ON CONFLICT ("book_id", "tag_id") DO NOTHING`,
        ),
        params: [dune.id, sf.id, dune.id, classic.id],
      },
    ]);
    expect(await dune.tags.count()).toBe(2);
    expect((await classic.books.all()).map((b) => b.title)).toEqual(["Notes", "Dune"]);
    expect(takeStatements().at(-1)).toEqual({
      sql: sql(
        `SELECT ${BOOK} FROM "books" WHERE EXISTS (SELECT 1 FROM "books_tag" AS "t1" ` +
          `WHERE ("t1"."book_id" = "books"."id" AND "t1"."tag_id" = $1)) ORDER BY "books"."id" DESC`,
      ),
      params: [classic.id],
    });

    await classic.books.add(emma);
    expect(titles(await classic.books.all())).toEqual(["Dune", "Emma", "Notes"]);
    await dune.tags.remove(classic);
    expect(takeStatements().at(-1)).toEqual({
      sql: sql(
        `DELETE FROM "books_tag" WHERE ("books_tag"."book_id" = $1 AND "books_tag"."tag_id" = ANY($2))`,
      ),
      params: [dune.id, list([classic.id])],
    });
    expect((await dune.tags.all()).map((t) => t.name)).toEqual(["sf"]);
    await classic.books.clear();
    expect(takeStatements().at(-1)).toEqual({
      sql: sql(`DELETE FROM "books_tag" WHERE "books_tag"."tag_id" = $1`),
      params: [classic.id],
    });
    expect(await classic.books.count()).toBe(0);
    expect(await sf.books.count()).toBe(1);
  });

  it("managers refuse unsaved owners and items, and drop what prefetch loaded when they change", async () => {
    const unsaved = new Author(undefined as unknown as number, "Nobody", null, new Date());
    expect(await rejects(unsaved.books.all())).toBeInstanceOf(ValidationError);
    expect(await rejects(unsaved.books.add(dune))).toBeInstanceOf(ValidationError);
    const fresh = new Tag(undefined as unknown as number, "new");
    expect(await rejects(dune.tags.add(fresh))).toBeInstanceOf(ValidationError);
    expect(await rejects(dune.tags.add(ada as never))).toBeInstanceOf(ValidationError);

    const [book] = await Book.filter({ id: dune.id }).prefetchRelated("tags");
    expect(book!.tags.loaded).toHaveLength(2);
    await book!.tags.remove(sf);
    expect(() => book!.tags.loaded).toThrow(RelationNotLoadedError);
  });

  it("onDelete CASCADE, SET NULL and RESTRICT behave as declared", async () => {
    // RESTRICT: an author with a profile cannot be deleted.
    const restricted = await rejects(ada.delete());
    expect(restricted).toBeInstanceOf(IntegrityError);
    expect((restricted as IntegrityError).kind).toBe("foreign_key");
    // SET NULL: deleting a reviewer keeps the review.
    await grace.books.all().delete();
    await grace.delete();
    expect(await Review.filter({ stars: 5 }).valuesList("reviewerId", { flat: true })).toEqual([
      null,
    ]);
    // CASCADE two levels: author → books → reviews, and the join rows of the books.
    await Profile.all().delete();
    await ada.delete();
    expect(await Book.all().count()).toBe(0);
    expect(await Review.all().count()).toBe(0);
    expect(await sf.books.count()).toBe(0);
  });

  it("filters through to-many relations return each row once", async () => {
    const names = (authors: readonly Author[]) => authors.map((a) => a.name).sort();
    expect(names(await Author.filter({ books__title__contains: "e" }))).toEqual(["Ada", "Grace"]);
    expect(names(await Author.filter({ books__tags: classic }))).toEqual(["Ada", "Grace"]);
    expect(takeStatements().at(-1)).toEqual({
      sql: sql(
        `SELECT ${authorBound} FROM "author" WHERE EXISTS (SELECT 1 FROM "books" AS "t1" WHERE ("t1"."author_id" = "author"."id" AND ` +
          `EXISTS (SELECT 1 FROM "books_tag" AS "t2" WHERE ("t2"."book_id" = "t1"."id" AND "t2"."tag_id" = $1))))`,
      ),
      params: [classic.id],
    });
    expect(await Author.filter({ books__price__gte: "0" }).count()).toBe(1);
    expect((await Tag.filter({ books__author__name: "Ada" })).map((t) => t.name).sort()).toEqual([
      "classic",
      "sf",
    ]);
    expect(names(await Author.filter({ reviews__stars__gte: 4, profile__isnull: true }))).toEqual([
      "Grace",
    ]);
    // Q trees mix to-one and to-many paths in both directions.
    expect(
      names(
        await Author.filter(
          Q.or({ books__tags: sf }, { profile__bio: "nobody" }).and(
            Q({ reviews__book__title: "Notes" }),
          ),
        ),
      ),
    ).toEqual(["Ada"]);
    expect(
      titles(
        await Book.filter(Q.or({ author__profile__bio: "analyst" }, { reviews__stars: 4 }).not()),
      ),
    ).toEqual([]);
    expect(titles(await Book.exclude({ tags__name: "sf" }))).toEqual(["Emma", "Notes"]);
  });
});
