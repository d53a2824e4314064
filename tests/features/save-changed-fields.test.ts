/**
 * save() writes the fields changed since the instance was loaded (or exactly `updateFields`), so
 * a stale instance no longer overwrites what others changed meanwhile; refreshFromDb(fields)
 * reloads just those fields.
 */
import { beforeEach, expect, it, vi } from "vitest";
import { keepsSnapshotSource } from "../../runtime/model/record.js";
import { Author, Book, Item, SerializationError, inTransaction } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

forEachTarget((target: Target) => {
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
  let ada: Author;
  let book: Book;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    book = await Book.create({ title: "Dune", price: "9.00", author: ada });
    takeStatements();
  });

  const sets = (): string[] =>
    takeStatements()
      .filter((s) => s.sql.startsWith("UPDATE"))
      .map((s) => s.sql.slice(s.sql.indexOf(" SET ") + 5, s.sql.indexOf(" WHERE ")));

  it("writes only the changed fields, so two stale instances do not undo each other", async () => {
    const first = await Book.get({ id: book.id });
    const second = await Book.get({ id: book.id });
    first.title = "Dune Messiah";
    await first.save();
    second.price = "12.50";
    await second.save();
    expect(sets()).toEqual([`"title" = ${p(1)}`, `"price" = ${p(1)}`]);
    const stored = await Book.get({ id: book.id });
    expect([stored.title, stored.price]).toEqual(["Dune Messiah", "12.50"]);
    takeStatements();
    // Saved values become the new baseline: saving again writes nothing but checks the row.
    await first.save();
    expect(takeStatements().map((s) => s.sql.split(" ")[0])).toEqual(["SELECT"]);
  });

  it("always bumps autoNow fields, compares datetimes by instant and always writes JSON and binary", async () => {
    // The clock stands still: updatedAt is written even when "now" equals its loaded value.
    vi.useFakeTimers({ toFake: ["Date"], now: 5000 });
    const item = await Item.create({ name: "a", at: new Date(1000), data: { n: 1 } });
    takeStatements();
    item.at!.setTime(2000); // a change in place to the loaded Date is still a change
    await item.save().finally(() => vi.useRealTimers());
    expect(sets()).toEqual([
      `"at" = ${p(1)}, "data" = ${p(2)}, "blob" = ${p(3)}, "updated_at" = ${p(4)}`,
    ]);
    item.data = { n: 1 };
    (item.data as { n: number }).n = 2;
    await item.save();
    expect((await Item.get({ id: item.id })).data).toEqual({ n: 2 });
    expect((await Item.get({ id: item.id })).at).toEqual(new Date(2000));
  });

  it("writes exactly updateFields, by field or relation name, and refuses what cannot be", async () => {
    const stale = await Book.get({ id: book.id });
    await Book.filter({ id: book.id }).update({ price: "1.00" });
    takeStatements();
    stale.title = "New";
    stale.published = true;
    await stale.save({ updateFields: ["title", "author"] });
    expect(sets()).toEqual([`"title" = ${p(1)}, "author_id" = ${p(2)}`]);
    const stored = await Book.get({ id: book.id });
    expect([stored.title, stored.price, stored.published]).toEqual(["New", "1.00", false]);
    takeStatements();
    await stale.save({ updateFields: [] });
    expect(takeStatements()).toEqual([]);
    const error = async (p: Promise<unknown>): Promise<string> => {
      const e = (await rejects(p)) as Error;
      return `${e.name}: ${e.message}`;
    };
    // @ts-expect-error not a field of Book
    expect(await error(stale.save({ updateFields: ["titel"] }))).toMatch(/^FieldError: .*titel/);
    // @ts-expect-error Django's spelling is not an option
    expect(await error(stale.save({ update_fields: ["title"] }))).toMatch(
      /^ValidationError: Book: save\(\) has no option "update_fields"/,
    );
    expect(await error(stale.save({ updateFields: ["id"] }))).toMatch(/^ValidationError/);
    expect(
      await error(
        new Book(undefined as never, "x", null, false, ada.id).save({ updateFields: ["title"] }),
      ),
    ).toMatch(/^ValidationError/);
    await Book.filter({ id: book.id }).delete();
    expect(await error(stale.save({ updateFields: ["title"] }))).toMatch(/^DoesNotExist/);
    expect(takeStatements().filter((s) => s.sql.startsWith("INSERT"))).toEqual([]);
  });

  it("an instance whose row is gone is inserted again by a plain save(), with every field", async () => {
    const loaded = await Book.get({ id: book.id });
    await loaded.delete();
    loaded.title = "Back";
    await loaded.save();
    const again = await Book.get({ id: book.id });
    expect([again.title, again.price, again.authorId]).toEqual(["Back", "9.00", ada.id]);
  });

  it("refreshFromDb(fields) reloads only those fields and forgets a relation whose key moved", async () => {
    const grace = await Author.create({ name: "Grace" });
    const loaded = await Book.filter({ id: book.id }).selectRelated("author").get();
    loaded.title = "local";
    await Book.filter({ id: book.id }).update({ price: "3.00", author: grace });
    takeStatements();
    await loaded.refreshFromDb(["price"]);
    expect([loaded.title, loaded.price, loaded.authorId, loaded.author.name]).toEqual([
      "local",
      "3.00",
      ada.id,
      "Ada",
    ]);
    expect(takeStatements()[0]!.sql).toMatch(/^SELECT "books"."id", "books"."price" FROM/);
    await loaded.refreshFromDb(["author"]);
    expect(loaded.authorId).toBe(grace.id);
    expect(() => loaded.author).toThrow(/not loaded/);
    // The refreshed values are the baseline: only the local title change is written.
    await loaded.save();
    expect(sets()).toEqual([`"title" = ${p(1)}`]);
    await loaded.refreshFromDb();
    expect(loaded.title).toBe("local");
    // @ts-expect-error not a field of Book
    expect(((await rejects(loaded.refreshFromDb(["nope"]))) as Error).name).toBe("FieldError");
    // @ts-expect-error a path into another model
    expect(((await rejects(loaded.refreshFromDb(["author__name"]))) as Error).name).toBe(
      "FieldError",
    );
  });

  // A result too big for the native SQLite arena (128 KiB) has a buffer of its own, as every
  // native Postgres result does: its instances read their loaded values again from it.
  // A mysql2 instance reads them again from mysql2's row of cells, which it keeps.
  const ownBuffer = (instance: Book | Item): void => {
    if (target.driver === "native" || target.driver === "mysql2")
      expect(keepsSnapshotSource(instance)).toBe(true);
  };

  it("an instance from a large result writes only the changed field; a change undone writes nothing", async () => {
    await Book.bulkCreate(
      Array.from({ length: 3000 }, (_, i) => ({ title: `t${i}`, price: "1.50", author: ada })),
    );
    const books = await Book.all().orderBy("id");
    const loaded = books[1500]!;
    ownBuffer(loaded);
    takeStatements();
    loaded.title = "changed";
    await loaded.save();
    expect(sets()).toEqual([`"title" = ${p(1)}`]);
    // After a save the saved values are the baseline, whichever way they were kept before.
    await loaded.save();
    expect(sets()).toEqual([]);
    const other = books[2000]!;
    other.price = "2.00";
    other.published = true;
    other.price = "1.50";
    other.published = false;
    await other.save();
    expect(takeStatements().map((s) => s.sql.split(" ")[0])).toEqual(["SELECT"]);
    other.authorId = (await Author.create({ name: "Grace" })).id;
    takeStatements();
    await other.save();
    expect(sets()).toEqual([`"author_id" = ${p(1)}`]);
    const stored = await Book.filter({ id__in: [loaded.id, other.id] }).orderBy("id");
    expect(stored.map((b) => [b.title, b.price, b.authorId])).toEqual([
      ["changed", "1.50", ada.id],
      [other.title, "1.50", other.authorId],
    ]);
  });

  it("an instance from a large result compares every kind with its loaded value", async () => {
    const values = {
      big: 9007199254740993n,
      small: 3,
      body: "body",
      flag: true,
      ratio: 0.25,
      amount: "12.5000000000",
      at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
      day: "2024-01-02",
      clock: "03:04:05",
      uid: "0b5f3e2a-9c1d-4e8f-a7b6-5d4c3b2a1f0e",
      data: { n: 1 },
      blob: new Uint8Array([1, 2, 3]),
      status: "published" as const,
      level: 2 as const,
    };
    await Item.bulkCreate(Array.from({ length: 1200 }, (_, i) => ({ ...values, name: `i${i}` })));
    const items = await Item.all().orderBy("id");
    const item = items[600]!;
    ownBuffer(item);
    takeStatements();
    // Nothing changed: JSON and binary are always written, autoNow is bumped.
    await item.save();
    expect(sets()).toEqual([`"data" = ${p(1)}, "blob" = ${p(2)}, "updated_at" = ${p(3)}`]);
    const next = items[700]!;
    next.at!.setTime(0); // a change in place to the loaded Date is a change
    next.big = 1n;
    next.big = 9007199254740993n; // the same value again: no change
    next.level = 3;
    await next.save();
    expect(sets()).toEqual([
      `"at" = ${p(1)}, "data" = ${p(2)}, "blob" = ${p(3)}, "level" = ${p(4)}, "updated_at" = ${p(5)}`,
    ]);
    const stored = await Item.get({ id: next.id });
    expect([stored.at, stored.level, stored.big]).toEqual([new Date(0), 3, 9007199254740993n]);
  });

  it("an instance from a large result whose primary key changed writes every field", async () => {
    await Book.bulkCreate(
      Array.from({ length: 3000 }, (_, i) => ({ title: `t${i}`, author: ada })),
    );
    const books = await Book.all().orderBy("id");
    const moved = books[10]!;
    const [oldId, oldTitle] = [moved.id, moved.title];
    ownBuffer(moved);
    await Book.filter({ id: books[20]!.id }).delete();
    moved.id = books[20]!.id;
    moved.title = "moved"; // (title, author) is unique; the row with the old key stays
    takeStatements();
    await moved.save();
    // It stands for another row: every field is written (no row has the key, so it is inserted).
    expect(sets()).toEqual([
      `"title" = ${p(1)}, "price" = ${p(2)}, "published" = ${p(3)}, "author_id" = ${p(4)}`,
    ]);
    expect((await Book.get({ id: moved.id })).title).toBe("moved");
    expect((await Book.get({ id: oldId })).title).toBe(oldTitle);
  });

  it("a rolled-back save() leaves its fields changed, so the next save() writes them", async () => {
    const loaded = await Book.get({ id: book.id });
    const failed = new Error("after the save");
    const error = await rejects(
      inTransaction(async () => {
        loaded.title = "Dune Messiah";
        await loaded.save();
        throw failed;
      }),
    );
    expect(error).toBe(failed);
    expect((await Book.get({ id: book.id })).title).toBe("Dune");
    takeStatements();
    await loaded.save();
    expect(sets()).toEqual([`"title" = ${p(1)}`]);
    expect((await Book.get({ id: book.id })).title).toBe("Dune Messiah");
  });

  it("a retried transaction writes the fields again after its first attempt rolled back", async () => {
    const loaded = await Book.get({ id: book.id });
    let attempts = 0;
    await inTransaction(
      async () => {
        loaded.price = "12.50";
        await loaded.save();
        if (++attempts === 1) throw new SerializationError("could not serialize", "40001");
      },
      { retry: 1 },
    );
    expect(attempts).toBe(2);
    expect((await Book.get({ id: book.id })).price).toBe("12.50");
  });

  it("a savepoint's save is undone by its own rollback and by the enclosing transaction's", async () => {
    const loaded = await Book.get({ id: book.id });
    const failed = new Error("outer");
    const error = await rejects(
      inTransaction(async () => {
        // Released: the enclosing transaction's rollback still undoes it.
        await inTransaction(async () => {
          loaded.title = "Children of Dune";
          await loaded.save();
        });
        // Rolled back on its own; the enclosing transaction goes on.
        await inTransaction(async () => {
          loaded.price = "1.00";
          await loaded.save();
          throw new Error("inner");
        }).catch(() => undefined);
        loaded.price = "2.00";
        await loaded.save();
        expect(sets()).toEqual([`"title" = ${p(1)}`, `"price" = ${p(1)}`, `"price" = ${p(1)}`]);
        throw failed;
      }),
    );
    expect(error).toBe(failed);
    takeStatements();
    await loaded.save();
    expect(sets()).toEqual([`"title" = ${p(1)}, "price" = ${p(2)}`]);
    const stored = await Book.get({ id: book.id });
    expect([stored.title, stored.price]).toEqual(["Children of Dune", "2.00"]);
  });

  it("an instance inserted by a rolled-back save() is new again; a committed one stays saved", async () => {
    const fresh = Book.build({ title: "Emma", price: "3.00", author: ada });
    const error = await rejects(
      inTransaction(async () => {
        await fresh.save();
        expect(fresh.id).toBeTypeOf("number");
        throw new Error("undo");
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(fresh.id).toBeUndefined();
    await fresh.save();
    expect((await Book.get({ id: fresh.id })).title).toBe("Emma");
    await inTransaction(async () => {
      fresh.title = "Persuasion";
      await fresh.save();
    });
    takeStatements();
    await fresh.save();
    expect(sets()).toEqual([]);
  });

  it("refreshFromDb() and bulkUpdate() inside a rolled-back transaction are forgotten too", async () => {
    const loaded = await Book.get({ id: book.id });
    const error = await rejects(
      inTransaction(async () => {
        loaded.title = "Heretics";
        await Book.bulkUpdate([loaded], ["title"]);
        throw new Error("undo");
      }),
    );
    expect(error).toBeInstanceOf(Error);
    await loaded.save();
    expect((await Book.get({ id: book.id })).title).toBe("Heretics");
    const refreshed = await rejects(
      inTransaction(async () => {
        await Book.filter({ id: book.id }).update({ title: "Chapterhouse" });
        await loaded.refreshFromDb();
        throw new Error("undo");
      }),
    );
    expect(refreshed).toBeInstanceOf(Error);
    // The instance shows what the transaction read; the row never changed, so save() writes it.
    expect(loaded.title).toBe("Chapterhouse");
    await loaded.save();
    expect((await Book.get({ id: book.id })).title).toBe("Chapterhouse");
  });
});
