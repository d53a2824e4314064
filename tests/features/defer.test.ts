// defer(...fields): instances without those fields, typed without them.
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, FieldError, ValidationError } from "./generated/index.js";
import { forEachTarget, rejects, resetData, sqlFor, takeStatements } from "./harness.js";

forEachTarget((target) => {
  const sql = (postgres: string): string => sqlFor(target, postgres);
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada", email: "ada@example.com" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.50", author: ada },
      { title: "Ève ✨", price: null, author: ada, published: true },
    ]);
    takeStatements();
  });

  it("reads every field but the deferred ones, and types instances without them", async () => {
    const books = await Book.all().defer("title", "price").orderBy("id");
    expect(takeStatements()).toEqual([
      {
        sql: `SELECT "books"."id", "books"."published", "books"."author_id" FROM "books" ORDER BY "books"."id" ASC`,
        params: [],
      },
    ]);
    const [dune, eve] = books as [(typeof books)[0], (typeof books)[0]];
    expectTypeOf(dune).not.toHaveProperty("title");
    expectTypeOf(dune).not.toHaveProperty("price");
    expectTypeOf(dune.published).toEqualTypeOf<boolean>();
    expectTypeOf(dune.authorId).toEqualTypeOf<number>();
    expect(dune).toBeInstanceOf(Book);
    expect([dune.published, eve.published, eve.authorId]).toEqual([false, true, ada.id]);
    // At run time (untyped code) a deferred field reads undefined, as with only().
    expect((dune as unknown as Book).title).toBeUndefined();
    expect(JSON.parse(JSON.stringify(eve))).toEqual({
      id: eve.id,
      published: true,
      authorId: ada.id,
    });
  });

  it("takes a to-one relation for its key, accumulates, and narrows only()", async () => {
    const [book] = await Book.filter({ title: "Dune" }).defer("author").defer("price");
    expectTypeOf(book!).not.toHaveProperty("authorId");
    expectTypeOf(book!).not.toHaveProperty("price");
    expectTypeOf(book!.title).toEqualTypeOf<string>();
    expect(takeStatements()[0]!.sql).toBe(
      sql(
        `SELECT "books"."id", "books"."title", "books"."published" FROM "books" WHERE "books"."title" = $1 ORDER BY "books"."id" DESC`,
      ),
    );
    const [narrowed] = await Book.all().only("title", "price").defer("price").limit(1);
    expect(Object.keys(narrowed!).filter((k) => narrowed![k as never] !== undefined)).toEqual([
      "id",
      "title",
    ]);
    // Every field but the key deferred; a query over no rows.
    const [bare] = await Author.all().defer("name", "email", "createdAt");
    expect(bare).toEqual(expect.objectContaining({ id: ada.id }));
    expect(await Book.filter({ title: "none" }).defer("title")).toEqual([]);
  });

  it("get() and first() return deferred instances; refreshFromDb() loads a field", async () => {
    const book = await Book.all().defer("title").get({ title: "Ève ✨" });
    expectTypeOf(book).not.toHaveProperty("title");
    await book.refreshFromDb(["title"]);
    expect((book as unknown as Book).title).toBe("Ève ✨");
    const first = await Author.all().defer("email").first();
    expectTypeOf(first!).not.toHaveProperty("email");
    expect(first!.name).toBe("Ada");
  });

  it("save() writes what changed and never the deferred fields", async () => {
    const [book] = await Book.filter({ title: "Dune" }).defer("title", "price");
    book!.published = true;
    takeStatements();
    await book!.save();
    expect(takeStatements()).toEqual([
      {
        sql: sql(`UPDATE "books" SET "published" = $1 WHERE "books"."id" = $2`),
        params: [target.dialect === "postgres" ? true : 1, book!.id],
      },
    ]);
    const again = await Book.get({ id: book!.id });
    expect([again.title, again.price, again.published]).toEqual(["Dune", "9.50", true]);
  });

  it("refuses the primary key, unknown fields and paths into other models", async () => {
    for (const key of ["id", "pk"] as const) {
      const error = await rejects(Book.all().defer(key as "id"));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(
        'Book: defer() cannot leave out the primary key "id" (it is always loaded)',
      );
    }
    // @ts-expect-error: a misspelt field is a compile error
    const misspelt = await rejects(Book.all().defer("titel"));
    expect(misspelt).toBeInstanceOf(FieldError);
    expect((misspelt as Error).message).toMatch(/did you mean "title"/);
    // @ts-expect-error: only own fields and to-one relations
    const path = await rejects(Book.all().defer("author__name"));
    expect((path as Error).message).toBe('Book: defer() takes own fields (in "author__name")');
    expect(takeStatements()).toEqual([]);
  });
});
