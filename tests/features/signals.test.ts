/**
 * Model signals (`Book.on("postSave", fn)` …): awaited in registration order inside the same
 * transaction as the write, so a throwing hook rolls the write back; bulk and query-set writes
 * fire only their own events. On every database and driver.
 */
import { afterEach, beforeEach, expect, expectTypeOf, it } from "vitest";
import { isInTransaction } from "../../runtime/transaction.js";
import {
  Author,
  Book,
  inTransaction,
  Tag,
  type BookTypes,
  type BookUpdate,
  type ModelEvents,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData } from "./harness.js";

forEachTarget(() => {
  let ada: Author;
  const offs: (() => void)[] = [];
  const log: string[] = [];
  const on = <E extends keyof ModelEvents<BookTypes>>(
    event: E,
    hook: ModelEvents<BookTypes>[E],
  ): (() => void) => {
    const off = Book.on(event, hook);
    offs.push(off);
    return off;
  };

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    log.length = 0;
  });
  afterEach(() => {
    for (const off of offs.splice(0)) off();
    expect(Book.objects.hooks).toBeUndefined();
  });

  /** Titles stored now, read from inside the hook's transaction. */
  const titles = async (): Promise<string[]> =>
    Book.all().orderBy("id").valuesList("title", { flat: true });

  it("awaits preSave and postSave in order, inside the write's transaction", async () => {
    on("preSave", async (book, { updateFields }) => {
      expectTypeOf(book).toEqualTypeOf<Book>();
      await new Promise((r) => setTimeout(r, 5)); // awaited: the next hook waits for it
      log.push(
        `pre1 ${book.title} ${isInTransaction()} ${String(updateFields)} ${(await titles()).join()}`,
      );
    });
    on("preSave", (book) => void log.push(`pre2 ${book.title}`));
    on("postSave", async (book, { created, updateFields }) => {
      log.push(
        `post ${book.title} created=${created} ${String(updateFields)} ${(await titles()).join()}`,
      );
    });
    const book = Book.build({ title: "Dune", author: ada });
    await book.save();
    book.title = "Dune II";
    await book.save({ updateFields: ["title"] });
    await Book.create({ title: "Notes", author: ada });
    expect(log).toEqual([
      "pre1 Dune true undefined ",
      "pre2 Dune",
      "post Dune created=true undefined Dune",
      "pre1 Dune II true title Dune",
      "pre2 Dune II",
      "post Dune II created=false title Dune II",
      "pre1 Notes true undefined Dune II",
      "pre2 Notes",
      "post Notes created=true undefined Dune II,Notes",
    ]);
  });

  it("getOrCreate and updateOrCreate save through the hooks, as Tortoise's do", async () => {
    on(
      "postSave",
      (book, { created, updateFields }) =>
        void log.push(`${book.title} ${book.published} created=${created} ${String(updateFields)}`),
    );
    const [made] = await Book.getOrCreate({ title: "Dune", author: ada });
    await Book.getOrCreate({ title: "Dune", author: ada }); // found: no save
    await Book.updateOrCreate({ id: made.id }, { published: true });
    await Book.updateOrCreate({ title: "Notes", author: ada }, { published: true });
    expect(log).toEqual([
      "Dune false created=true undefined",
      "Dune true created=false published",
      "Notes true created=true undefined",
    ]);
    expect((await Book.get({ id: made.id })).published).toBe(true);
  });

  it("a preSave hook may change the instance before it is written", async () => {
    on("preSave", (book) => {
      book.title = book.title.toUpperCase();
    });
    const book = await Book.create({ title: "dune", author: ada });
    expect(book.title).toBe("DUNE");
    expect(await titles()).toEqual(["DUNE"]);
  });

  it.each([
    ["preSave", "the insert never happens"],
    ["postSave", "the insert is rolled back"],
  ] as const)("a throwing %s hook rejects the save: %s", async (event, _what) => {
    on(event, () => {
      throw new Error("no");
    });
    expect(await rejects(Book.create({ title: "Dune", author: ada }))).toMatchObject({
      message: "no",
    });
    const book = Book.build({ title: "Notes", author: ada });
    expect(await rejects(book.save())).toMatchObject({ message: "no" });
    expect(await titles()).toEqual([]);
  });

  it("a throwing postSave hook rolls an update back", async () => {
    const book = await Book.create({ title: "Dune", author: ada });
    on("postSave", () => Promise.reject(new Error("no")));
    book.title = "Changed";
    await expect(book.save()).rejects.toThrow("no");
    expect(await titles()).toEqual(["Dune"]);
  });

  it("inside an open transaction a hook's failure undoes only its write (a savepoint)", async () => {
    on("postSave", (book) => {
      if (book.title === "Bad") throw new Error("no");
    });
    await inTransaction(async () => {
      await Book.create({ title: "Good", author: ada });
      await expect(Book.create({ title: "Bad", author: ada })).rejects.toThrow("no");
      await Book.create({ title: "Also good", author: ada });
    });
    expect(await titles()).toEqual(["Good", "Also good"]);
    // …and the outer transaction's rollback undoes the hooked writes too.
    await inTransaction(async () => {
      await Book.create({ title: "Gone", author: ada });
      throw new Error("outer");
    }).catch(() => undefined);
    expect(await titles()).toEqual(["Good", "Also good"]);
  });

  it("preDelete and postDelete wrap delete(); a throwing one keeps the row", async () => {
    const book = await Book.create({ title: "Dune", author: ada });
    on("preDelete", async (b) => void log.push(`pre ${b.title} ${(await titles()).join()}`));
    on("postDelete", async (b) => {
      log.push(`post ${b.title} ${(await titles()).join()}`);
      if (log.length > 2) throw new Error("no");
    });
    await book.delete();
    expect(log).toEqual(["pre Dune Dune", "post Dune "]);
    const other = await Book.create({ title: "Notes", author: ada });
    await expect(other.delete()).rejects.toThrow("no");
    expect(await titles()).toEqual(["Notes"]);
  });

  it("bulk and query-set writes fire their own event only, never the per-row hooks", async () => {
    for (const event of ["preSave", "postSave", "preDelete", "postDelete"] as const)
      on(event, () => void log.push(event));
    on(
      "bulkCreate",
      ({ instances }) => void log.push(`bulkCreate ${instances.map((b) => b.title).join()}`),
    );
    on(
      "bulkUpdate",
      ({ instances, fields, count }) =>
        void log.push(`bulkUpdate ${instances.length} ${fields.join()} ${count}`),
    );
    on("queryUpdate", ({ query, data, count }) => {
      expectTypeOf(data).toEqualTypeOf<BookUpdate>();
      log.push(
        `queryUpdate ${JSON.stringify(data)} ${count} ${query.sql().sql.startsWith("SELECT")}`,
      );
    });
    on("queryDelete", ({ count }) => void log.push(`queryDelete ${count}`));
    const books = await Book.bulkCreate([
      { title: "A", author: ada },
      { title: "B", author: ada },
    ]);
    for (const b of books) b.published = true;
    await Book.bulkUpdate(books, ["published"]);
    await Book.filter({ title: "A" }).update({ title: "A2" });
    await Book.filter({ title: "B" }).delete();
    expect(log).toEqual([
      "bulkCreate A,B",
      "bulkUpdate 2 published 2",
      'queryUpdate {"title":"A2"} 1 true',
      "queryDelete 1",
    ]);
  });

  it("a throwing query hook rolls the query-set write back", async () => {
    await Book.create({ title: "A", author: ada });
    on("queryUpdate", () => {
      throw new Error("no");
    });
    on("queryDelete", () => {
      throw new Error("no");
    });
    await expect(Book.all().update({ title: "X" })).rejects.toThrow("no");
    await expect(Book.all().delete()).rejects.toThrow("no");
    expect(await titles()).toEqual(["A"]);
  });

  it("unsubscribes, and refuses unknown events and hooks that are not functions", async () => {
    const off = on("postSave", () => void log.push("saved"));
    await Book.create({ title: "A", author: ada });
    off();
    off(); // harmless twice
    await Book.create({ title: "B", author: ada });
    expect(log).toEqual(["saved"]);
    expect(Book.objects.hooks).toBeUndefined(); // no hooks: save pays one property check
    // @ts-expect-error not an event
    expect(() => Book.on("postsave", () => undefined)).toThrow(
      'Book.on(): unknown event "postsave"; the events are preSave, postSave, preDelete, postDelete, bulkCreate, bulkUpdate, queryUpdate, queryDelete',
    );
    // @ts-expect-error not a function
    expect(() => Book.on("postSave", "x")).toThrow(
      'Book.on("postSave"): the hook must be a function',
    );
    // Hooks belong to one model.
    const offTag = Tag.on("postSave", () => void log.push("tag"));
    await Book.create({ title: "C", author: ada });
    await Tag.create({ name: "t" });
    offTag();
    expect(log).toEqual(["saved", "tag"]);
    expect(Tag.objects.hooks).toBeUndefined();
  });
});
