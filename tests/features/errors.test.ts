import { beforeEach, expect, it } from "vitest";
import {
  Author,
  Book,
  DatabaseError,
  FieldError,
  RelationNotLoadedError,
  IntegrityError,
  Item,
  inTransaction,
  Profile,
  TransactionError,
  ValidationError,
  YaraError,
} from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget((target) => {
  beforeEach(resetData);

  const integrity = async (promise: Promise<unknown>): Promise<IntegrityError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IntegrityError);
    return error as IntegrityError;
  };

  it("reports a unique violation with kind, code and constraint, never the value", async () => {
    await Author.create({ name: "A", email: "secret@example.com" });
    const e = await integrity(Author.create({ name: "B", email: "secret@example.com" }));
    expect(e.kind).toBe("unique");
    expect(e.code).toBe(
      { postgres: "23505", sqlite: "SQLITE_CONSTRAINT_UNIQUE", mysql: "ER_DUP_ENTRY" }[
        target.dialect
      ],
    );
    expect(e.constraint).toBe("author_email_key"); // the same name on both databases
    expect(e.message).not.toContain("secret@example.com");
    expect(e).toBeInstanceOf(YaraError);
  });

  it("reports a foreign-key violation", async () => {
    const e = await integrity(Book.create({ title: "orphan", authorId: 424242 }));
    expect(e.kind).toBe("foreign_key");
    expect(e.message).not.toContain("424242");
  });

  it("names the violated foreign key, its table and column on every database", async () => {
    const named = (e: IntegrityError) => [e.kind, e.constraint, e.table, e.column];
    const books = ["foreign_key", "books_author_id_fkey", "books", "author_id"];
    expect(named(await integrity(Book.create({ title: "orphan", authorId: 424242 })))).toEqual(
      books,
    );
    const ada = await Author.create({ name: "Ada" });
    const book = await Book.create({ title: "Dune", author: ada });
    expect(
      named(await integrity(Book.filter({ id: book.id }).update({ authorId: 424242 }))),
    ).toEqual(books);
    book.authorId = 424242;
    expect(named(await integrity(book.save()))).toEqual(books);
    expect(named(await integrity(book.tags.add(424242)))).toEqual([
      "foreign_key",
      "books_tag_tag_id_fkey",
      "books_tag",
      "tag_id",
    ]);
    // RESTRICT: the referencing table and constraint, and the referenced column, as Postgres says.
    await Profile.create({ author: ada });
    expect(named(await integrity(Author.filter({ id: ada.id }).delete()))).toEqual([
      "foreign_key",
      "profile_author_id_fkey",
      "profile",
      "id",
    ]);
    // Inside a transaction the failed statement alone is undone (the diagnosis leaves nothing).
    await inTransaction(async () => {
      await Book.create({ title: "Kept", author: ada });
      expect(
        named(await integrity(Book.create({ title: "x", authorId: 1 + ada.id * 1000 }))),
      ).toEqual(books);
    }).catch((e: unknown) => {
      // Postgres refuses to commit after a failed statement (api.md, Transactions).
      expect(target.dialect).toBe("postgres");
      expect(e).toBeInstanceOf(TransactionError);
    });
    const titles = await Book.all().orderBy("title").valuesList("title", { flat: true });
    expect(titles).toEqual(target.dialect === "postgres" ? ["Dune"] : ["Dune", "Kept"]);
    expect(await Author.count()).toBe(1);
  });

  it("reports unique-together violations", async () => {
    const ada = await Author.create({ name: "Ada" });
    await Book.create({ title: "Same", author: ada });
    const e = await integrity(Book.create({ title: "Same", author: ada }));
    expect(e.kind).toBe("unique");
    expect(e.constraint).toBe("books_title_author_id_key");
    // The table and the key's columns in key order, on every database.
    expect([e.table, e.column]).toEqual(["books", "title, author_id"]);
  });

  it("rejects input of the wrong type before any SQL, naming the field", async () => {
    const bad: Array<[string, () => Promise<unknown>]> = [
      ["name", () => Author.create({ name: 42 as unknown as string })],
      ["name", () => Author.create({ name: "x".repeat(101) })],
      ["price", () => Book.create({ title: "t", authorId: 1, price: "1.234" })],
      ["price", () => Book.create({ title: "t", authorId: 1, price: "12345678901" })],
      ["status", () => Item.create({ name: "i", status: "archived" as "draft" })],
      ["small", () => Item.create({ name: "i", small: 1.5 })],
      ["small", () => Item.create({ name: "i", small: 40_000 })],
      ["uid", () => Item.create({ name: "i", uid: "not-a-uuid" })],
      ["at", () => Item.create({ name: "i", at: new Date("nope") })],
      ["day", () => Item.create({ name: "i", day: "2024-13-01" })],
    ];
    for (const [field, run] of bad) {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field, field).toBe(field);
    }
    expect(await Author.all().count()).toBe(0);
  });

  it("rejects a filter value of the wrong type with ValidationError", async () => {
    await expect(Author.filter({ id: "1" as unknown as number })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(Author.filter({ id__in: [1, "x" as unknown as number] })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("rejects unknown fields, relations and lookups with FieldError, never SQL", async () => {
    const cases: Array<() => PromiseLike<unknown>> = [
      () => Author.filter({ nope: 1 } as never),
      () => Author.filter({ name__nolookup: "x" } as never),
      () => Book.filter({ author__nope: 1 } as never),
      () => Book.filter({ nope__name: 1 } as never),
      () => Book.all().orderBy("nope" as never),
      () => Book.all().values("nope" as never),
      () => Book.filter({ id: 1 }).update({ nope: 1 } as never),
    ];
    for (const run of cases) {
      await expect(run()).rejects.toBeInstanceOf(FieldError);
    }
    try {
      await Author.filter({ "name; DROP TABLE author; --": "x" } as never);
    } catch (e) {
      expect(e).toBeInstanceOf(FieldError);
      expect((e as FieldError).message).toContain("Author");
    }
    expect(await Author.all().count()).toBe(0);
  });

  it("throws RelationNotLoadedError when an unloaded relation is read", async () => {
    const ada = await Author.create({ name: "Ada" });
    const book = await Book.create({ title: "T", author: ada });
    const fresh = await Book.get({ id: book.id });
    expect(() => fresh.author).toThrow(RelationNotLoadedError);
    expect(() => fresh.author).toThrow('Book.author is not loaded; use selectRelated("author")');
    expect(fresh.authorId).toBe(ada.id);
  });

  it("reports a database error from raw SQL with its code", async () => {
    const error = await Author.raw("SELECT nope FROM author").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe(
      { postgres: "42703", sqlite: "SQLITE_ERROR", mysql: "ER_BAD_FIELD_ERROR" }[target.dialect],
    );
  });
});
