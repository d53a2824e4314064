// Errors that say what to do: a misspelt field behind a relation names the related model and
// the closest field, a relation that was not loaded suggests a loader that works for its kind,
// and a table or column the database lacks says how to create it — on every database × driver.
import { describe, expect, it } from "vitest";
import { YaraOrm } from "../../runtime/orm.js";
import { targets, useDatabase } from "../support/targets.js";
import {
  Author,
  Book,
  DatabaseError,
  FieldError,
  RelationNotLoadedError,
  Tag,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData } from "./harness.js";

forEachTarget(() => {
  it("a typo behind a relation names the related model and the closest field", async () => {
    await resetData();
    const where = { author__emial: "a@b.c" } as never;
    const error = await rejects(Book.filter(where));
    expect(error).toBeInstanceOf(FieldError);
    expect((error as Error).message).toBe(
      'Author has no field "emial" (in "author__emial"); did you mean "email"?',
    );
    // Through a to-many relation, in orderBy, and at the root.
    await expect(Author.filter({ books__titel: "x" } as never)).rejects.toThrow(
      'Book has no field "titel" (in "books__titel"); did you mean "title"?',
    );
    await expect(Book.all().orderBy("author__nmae" as never)).rejects.toThrow(
      'Author has no field "nmae" (in "author__nmae"); did you mean "name"?',
    );
    await expect(Book.filter({ titel: "x" } as never)).rejects.toThrow(
      'Book has no field or relation "titel" (in "titel"); did you mean "title"?',
    );
    // A lookup typo is still a lookup problem, with the closest lookup.
    await expect(Book.filter({ title__icontain: "x" } as never)).rejects.toThrow(
      '"title__icontain" is not a valid lookup for a char field; did you mean "icontains"?',
    );
    // A real lookup on the relation's key keeps working.
    expect(await Book.filter({ author__in: [1, 2] }).count()).toBe(0);
  });

  it("a relation that was not loaded suggests a loader that works for its kind", async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    await Book.create({ title: "Notes", author: ada });
    const book = (await Book.filter({ title: "Notes" }).first())!;
    expect(() => book.author).toThrow(RelationNotLoadedError);
    expect(() => book.author).toThrow(
      'Book.author is not loaded; use selectRelated("author"), prefetchRelated("author") or fetchRelated("author")',
    );
    const author = await Author.get({ id: ada.id });
    const message =
      'Author.books is not loaded; use prefetchRelated("books") on the query or fetchRelated("books") on the instance, or query it with books.all()';
    expect(() => author.books.loaded).toThrow(message);
    // The suggestions work; the one the old message gave (selectRelated) is refused for to-many,
    // and that refusal names the loader that works.
    await expect(Author.all().selectRelated("books" as never)).rejects.toThrow(
      'Author has no to-one relation "books" (in "books"); "books" is a to-many relation: load it with prefetchRelated("books")',
    );
    await expect(Book.all().selectRelated("autor" as never)).rejects.toThrow(
      'Book has no to-one relation "autor" (in "autor"); did you mean "author"?',
    );
    await expect(Author.all().prefetchRelated("boks" as never)).rejects.toThrow(
      'Author has no relation "boks" (in "boks"); did you mean "books"?',
    );
    const [prefetched] = await Author.filter({ id: ada.id }).prefetchRelated("books");
    expect(prefetched!.books.loaded.map((b) => b.title)).toEqual(["Notes"]);
    await author.fetchRelated("books");
    expect(author.books.loaded).toHaveLength(1);
  });
});

for (const target of targets()) {
  describe(`${target.name} without the schema`, () => {
    useDatabase(target, { generateSchemas: false });

    it("a missing table says to run generateSchemas() or apply migrations", async () => {
      const error = await rejects(Tag.create({ name: "sf" }));
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).code).toBe(
        { postgres: "42P01", sqlite: "SQLITE_ERROR", mysql: "ER_NO_SUCH_TABLE" }[target.dialect],
      );
      expect((error as Error).message).toMatch(
        /"?tag"?.*; run YaraOrm\.generateSchemas\(\) or apply your migrations to create it$/,
      );
      await expect(Tag.all()).rejects.toThrow(/run YaraOrm\.generateSchemas\(\)/);
    });

    it("a table no model has (a typo in raw SQL) gets no hint", async () => {
      const error = await rejects(YaraOrm.driver.query("SELECT * FROM tagz", []));
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toMatch(/tagz/);
      expect((error as Error).message).not.toMatch(/generateSchemas|migration/);
    });

    it("a missing column (a field added since the table was made) says to migrate", async () => {
      await YaraOrm.driver.execute("CREATE TABLE tag (id INTEGER PRIMARY KEY)", []);
      const hint =
        "the table is older than its model: add the column with a migration (generateSchemas() creates missing tables only)";
      // Started one at a time: on separate connections (a replica) the second could reject
      // before the first is awaited, unhandled.
      for (const attempt of [
        () => Tag.create({ name: "sf" }),
        () => Tag.filter({ name: "sf" }).count(),
      ]) {
        const error = await rejects(attempt());
        expect(error).toBeInstanceOf(DatabaseError);
        expect((error as Error).message).toMatch(/name/);
        expect((error as Error).message.endsWith(`; ${hint}`)).toBe(true);
      }
    });
  });
}
