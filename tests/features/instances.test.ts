/**
 * Instances built in memory and written later: `build`, `clone`, `updateFromDict`,
 * `refreshFromDb({ fields })`, relation writes (`book.author = ada`, `author.books.create`,
 * related `getOrCreate`) and `fetchForList`, on every database and driver.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Review, Tag } from "./generated/index.js";
import {
  compared,
  forEachTarget,
  insertsReadBack,
  rejects,
  resetData,
  takeStatements,
  type Target,
} from "./harness.js";

const failure = async (p: PromiseLike<unknown> | (() => unknown)): Promise<string> => {
  const e = (await rejects(typeof p === "function" ? Promise.resolve().then(p) : p)) as Error;
  return e === undefined ? "resolved" : `${e.name}: ${e.message}`;
};

forEachTarget((target: Target) => {
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
  const cmp = (n: number): string => compared(target, n);
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    takeStatements();
  });

  it("builds an unsaved instance with defaults, then save() inserts it", async () => {
    const book = Book.build({ title: "Dune", author: ada });
    expectTypeOf(book).toEqualTypeOf<Book>();
    expect(takeStatements()).toEqual([]);
    expect([book.id, book.title, book.published, book.price, book.authorId]).toEqual([
      undefined,
      "Dune",
      false,
      null,
      ada.id,
    ]);
    expect(book.author).toBe(ada);
    await book.save();
    expect(takeStatements().map((s) => s.sql.split(" ")[0])).toEqual(
      insertsReadBack() ? ["INSERT", "SELECT"] : ["INSERT"],
    );
    expect(typeof book.id).toBe("number");
    const stored = await Book.get({ id: book.id });
    expect([stored.title, stored.published, stored.authorId]).toEqual(["Dune", false, ada.id]);
    // Saved, it remembers its values: a second save writes nothing but checks the row.
    takeStatements();
    await book.save();
    expect(takeStatements().map((s) => s.sql.split(" ")[0])).toEqual(["SELECT"]);
  });

  it.each([
    [
      "a wrong type",
      () => Book.build({ title: 5 as unknown as string, author: ada }),
      /^ValidationError: Book\.title/,
    ],
    [
      "an unknown key",
      () => Book.build({ title: "x", author: ada, titel: "y" } as never),
      /^ValidationError: Book/,
    ],
    [
      "a class instance",
      () => Book.build(new Date() as never),
      /^ValidationError: Book: build\(\) data/,
    ],
    [
      "an unsaved related instance",
      () => Book.build({ title: "x", author: Author.build({ name: "B" }) }),
      /^ValidationError: Book\.author: .*save it first/,
    ],
  ])("refuses %s before any SQL", async (_what, build, message) => {
    expect(await failure(build)).toMatch(message);
    expect(takeStatements()).toEqual([]);
  });

  it("clones an instance into an unsaved copy without its key", async () => {
    const book = await Book.create({ title: "Dune", price: "9.50", author: ada });
    const copy = book.clone();
    expectTypeOf(copy).toEqualTypeOf<Book>();
    expect(copy).not.toBe(book);
    expect([copy.id, copy.title, copy.price, copy.authorId]).toEqual([
      undefined,
      "Dune",
      "9.50",
      ada.id,
    ]);
    copy.title = "Dune II";
    await copy.save();
    expect(copy.id).not.toBe(book.id);
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual([
      "Dune",
      "Dune II",
    ]);
    // autoNowAdd fields are set again for the copy.
    const copied = ada.clone();
    expect(copied.createdAt).toBeUndefined();
    await copied.save();
    expect(copied.createdAt).toBeInstanceOf(Date);
  });

  it("updateFromDict sets fields and relations in memory; save() writes the changed ones", async () => {
    const grace = await Author.create({ name: "Grace" });
    const book = await Book.create({ title: "Dune", author: ada });
    takeStatements();
    expect(book.updateFromDict({ title: "Notes", author: grace, price: "3.00" })).toBe(book);
    expect(takeStatements()).toEqual([]);
    expect([book.title, book.authorId, book.author]).toEqual(["Notes", grace.id, grace]);
    await book.save();
    const [update] = takeStatements();
    expect(update!.sql).toBe(
      `UPDATE "books" SET "title" = ${p(1)}, "price" = ${p(2)}, "author_id" = ${p(3)} WHERE "books"."id" = ${cmp(4)}`,
    );
    const stored = await Book.get({ id: book.id });
    expect([stored.title, stored.price, stored.authorId]).toEqual(["Notes", "3.00", grace.id]);
  });

  it.each([
    ["an unknown key", { titel: "x" }, /^FieldError: Book has no writable field "titel"/],
    ["a wrong type", { title: 1 }, /^ValidationError: Book\.title/],
    ["a string over maxLength", { title: "x".repeat(201) }, /^ValidationError: Book\.title/],
    ["a Map", new Map([["title", "x"]]), /^ValidationError: Book: updateFromDict\(\) data/],
    ["a to-many relation", { tags: [] }, /^FieldError: Book has no writable field "tags"/],
  ])("updateFromDict refuses %s and changes nothing", async (_what, data, message) => {
    const book = await Book.create({ title: "Dune", author: ada });
    expect(await failure(() => book.updateFromDict(data as never))).toMatch(message);
    expect(book.title).toBe("Dune");
  });

  it("refreshFromDb({ fields }) reloads just those fields", async () => {
    const book = await Book.create({ title: "Dune", price: "1.00", author: ada });
    await Book.filter({ id: book.id }).update({ title: "New", price: "2.00" });
    takeStatements();
    await book.refreshFromDb(["title"]);
    // SQLite writes the LIMIT of a query shape as a literal; Postgres binds it.
    const limit2 = p(2) === "?" ? "2" : p(2);
    expect(takeStatements()[0]!.sql).toBe(
      `SELECT "books"."id", "books"."title" FROM "books" WHERE "books"."id" = ${cmp(1)} LIMIT ${limit2}`,
    );
    expect([book.title, book.price]).toEqual(["New", "1.00"]);
    // Django's and Tortoise's spelling, the same statement.
    await book.refreshFromDb({ fields: ["price"] });
    expect(takeStatements()[0]!.sql).toBe(
      `SELECT "books"."id", "books"."price" FROM "books" WHERE "books"."id" = ${cmp(1)} LIMIT ${limit2}`,
    );
    expect(book.price).toBe("2.00");
    await book.refreshFromDb({});
    expect(takeStatements()[0]!.sql).toContain(`"books"."published"`);
    // @ts-expect-error not a field of Book
    expect(await failure(book.refreshFromDb({ fields: ["titel"] }))).toMatch(
      /^FieldError: .*titel/,
    );
    // @ts-expect-error Django's other option is not one here
    expect(await failure(book.refreshFromDb({ using: "x" }))).toMatch(/^ValidationError: .*using/);
  });

  it("book.author = x writes the key on save(); a nullable key takes null", async () => {
    const grace = await Author.create({ name: "Grace" });
    const book = await Book.create({ title: "Dune", author: ada });
    takeStatements();
    book.author = grace;
    expect([book.authorId, book.author]).toEqual([grace.id, grace]);
    await book.save();
    expect(takeStatements()[0]!.sql).toBe(
      `UPDATE "books" SET "author_id" = ${p(1)} WHERE "books"."id" = ${cmp(2)}`,
    );
    expect((await Book.get({ id: book.id })).authorId).toBe(grace.id);
    const review = await Review.create({ book, reviewer: ada, stars: 5 });
    review.reviewer = null;
    await review.save();
    expect((await Review.get({ id: review.id })).reviewerId).toBeNull();
  });

  it.each([
    ["null on a required key", () => null, /^ValidationError: Book\.author may not be null/],
    [
      "an unsaved instance",
      () => Author.build({ name: "B" }),
      /^ValidationError: Book\.author: .*save it first/,
    ],
    [
      "another model's instance",
      () => Tag.build({ name: "t" }),
      /^ValidationError: Book\.author: expected a Author instance/,
    ],
    [
      "a key instead of an instance",
      () => 1,
      /^ValidationError: Book\.author: expected a Author instance/,
    ],
  ])("book.author = … refuses %s at once", async (_what, value, message) => {
    const book = await Book.create({ title: "Dune", author: ada });
    expect(
      await failure(() => {
        book.author = value() as Author;
      }),
    ).toMatch(message);
    expect(book.authorId).toBe(ada.id);
  });

  it("author.books.create() fills the key; book.tags.create() creates and pairs", async () => {
    const book = await ada.books.create({ title: "Dune" });
    expect(book.authorId).toBe(ada.id);
    expect(await ada.books.count()).toBe(1);
    const tag = await book.tags.create({ name: "sf" });
    expect(await book.tags.all().valuesList("name", { flat: true })).toEqual(["sf"]);
    expect(await tag.books.count()).toBe(1);
    expect(await failure(ada.books.create({ title: "X", authorId: 1 } as never))).toMatch(
      /^ValidationError: Book\.authorId: books sets it; leave it out/,
    );
    expect(await failure(Author.build({ name: "B" }).books.create({ title: "Y" }))).toMatch(
      /^ValidationError: Author\.books: the Author instance has no primary key/,
    );
  });

  it("getOrCreate on related managers finds within the relation, else creates and relates", async () => {
    const grace = await Author.create({ name: "Grace" });
    await Book.create({ title: "Dune", author: grace });
    const [made, created] = await ada.books.getOrCreate({ title: "Dune" }, { published: true });
    expect([created, made.authorId, made.published]).toEqual([true, ada.id, true]);
    const [again, createdAgain] = await ada.books.getOrCreate({ title: "Dune" });
    expect([createdAgain, again.id]).toEqual([false, made.id]);
    const [tag, tagCreated] = await made.tags.getOrCreate({ name: "sf" });
    expect(tagCreated).toBe(true);
    const [same, sameCreated] = await made.tags.getOrCreate({ name: "sf" });
    expect([sameCreated, same.id]).toEqual([false, tag.id]);
    expect(await made.tags.count()).toBe(1);
  });

  it("fetchForList loads relations onto every instance, one query per level", async () => {
    const grace = await Author.create({ name: "Grace" });
    const b1 = await Book.create({ title: "A", author: ada });
    await Book.create({ title: "B", author: grace });
    const tag = await Tag.create({ name: "sf" });
    await b1.tags.add(tag);
    const books = await Book.all().orderBy("title");
    takeStatements();
    await Book.fetchForList(books, "author", "tags");
    expect(takeStatements().map((s) => s.sql.split(" FROM ")[1]!.split(" ")[0])).toEqual([
      '"author"',
      '"books_tag"',
      '"tag"',
    ]);
    expect(books.map((b) => b.author.name)).toEqual(["Ada", "Grace"]);
    expect(books.map((b) => b.tags.loaded.map((t) => t.name))).toEqual([["sf"], []]);
    await Author.fetchForList([ada, grace], "books__tags");
    expect(ada.books.loaded[0]!.tags.loaded.map((t) => t.name)).toEqual(["sf"]);
    // @ts-expect-error not a relation path of Book
    expect(await failure(Book.fetchForList(books, "autor"))).toMatch(/^FieldError/);
    expect(await failure(Book.fetchForList([ada as never]))).toMatch(
      /^ValidationError: Book: fetchForList\(\) instance 0 is not a saved Book/,
    );
    expect(
      await failure(Book.fetchForList([Book.build({ title: "x", author: ada })], "author")),
    ).toMatch(/instance 0 is not a saved Book/);
  });
});
