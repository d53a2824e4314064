import { beforeEach, expect, it } from "vitest";
import { Author, Book, DatabaseError, TransactionError, inTransaction } from "./generated/index.js";
import {
  forEachTarget,
  rejects,
  resetData,
  sqlFor,
  takeStatements,
  type Target,
} from "./harness.js";

const BOOK = `"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"`;

forEachTarget((target: Target) => {
  const p = (n: number) => (target.dialect === "postgres" ? `$${n}` : "?");
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { title: "a", price: "1.00", author: ada },
      { title: "b", price: "2.00", author: ada },
      { title: "c", price: "3.00", author: ada },
    ]);
    takeStatements();
  });

  it("selectForUpdate() outside a transaction is a TransactionError, before any SQL", async () => {
    // The lock would end with its own statement: a read-modify-write it was meant to guard
    // would go unguarded, without a word (Django refuses it too).
    for (const locked of [
      () => Book.filter({ title: "a" }).selectForUpdate(),
      () => Book.all().selectForUpdate().first(),
      async () => {
        for await (const _ of Book.all().orderBy("title").selectForUpdate()) break;
      },
    ]) {
      const error = await rejects(locked());
      expect(error).toBeInstanceOf(TransactionError);
      expect((error as Error).message).toBe(
        "Book: selectForUpdate() locks rows until the transaction ends, and this query runs outside any transaction (the lock would end with the statement): run it inside inTransaction(…)",
      );
    }
    expect(takeStatements()).toEqual([]);
    expect(await inTransaction(() => Book.filter({ title: "a" }).selectForUpdate())).toHaveLength(
      1,
    );
  });

  it("bulkCreate upserts the listed fields on a conflict, in one statement", async () => {
    const rows = await Book.bulkCreate(
      [
        { title: "a", price: "10.00", author: ada, published: true },
        { title: "d", price: "4.00", author: ada },
      ],
      { onConflict: { update: ["price"], conflict: ["title", "author"] } },
    );
    expect(takeStatements()).toEqual([
      {
        sql: sqlFor(
          target,
          `INSERT INTO "books" ("title", "price", "published", "author_id") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) ` +
            `ON CONFLICT ("title", "author_id") DO UPDATE SET "price" = EXCLUDED."price" RETURNING ${BOOK}`,
        ),
        params: [
          "a",
          "10.00",
          target.dialect === "postgres" ? true : 1,
          ada.id,
          "d",
          "4.00",
          target.dialect === "postgres" ? false : 0,
          ada.id,
        ],
      },
    ]);
    expect(rows.map((b) => [b.title, b.price, b.published])).toEqual([
      ["a", "10.00", false], // only the listed field changed
      ["d", "4.00", false],
    ]);
    expect(await Book.all().count()).toBe(4);
  });

  it("updateOrCreate is safe against concurrent callers: one row, created once", async () => {
    const results = await Promise.all(
      ["x", "y", "z", "w"].map((name) =>
        Author.updateOrCreate({ email: "race@example.com" }, { name }),
      ),
    );
    expect(results.filter(([, created]) => created)).toHaveLength(1);
    expect(new Set(results.map(([a]) => a.id)).size).toBe(1);
    const [row] = await Author.filter({ email: "race@example.com" });
    expect(["x", "y", "z", "w"]).toContain(row!.name);
    expect(await Author.filter({ email: "race@example.com" }).count()).toBe(1);
  });

  it("selectForUpdate locks rows on Postgres (skipLocked, nowait) and is a no-op on SQLite", async () => {
    const locking = Book.filter({ title__in: ["a", "b"] }).orderBy("title");
    if (target.dialect === "sqlite") {
      expect(locking.selectForUpdate({ skipLocked: true }).sql().sql).not.toMatch(/FOR UPDATE/);
      expect(await inTransaction(async () => await locking.selectForUpdate())).toHaveLength(2);
      return;
    }
    expect(locking.selectForUpdate({ skipLocked: true }).sql().sql).toMatch(
      / FOR UPDATE SKIP LOCKED$/,
    );
    expect(locking.selectForUpdate({ nowait: true }).sql().sql).toMatch(/ FOR UPDATE NOWAIT$/);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = inTransaction(async () => {
      await Book.filter({ title: "a" }).selectForUpdate();
      locked();
      await held;
    });
    await isLocked;
    try {
      const free = await inTransaction(
        async () => await Book.all().orderBy("title").selectForUpdate({ skipLocked: true }),
      );
      expect(free.map((b) => b.title)).toEqual(["b", "c"]);
      const refused = await rejects(
        inTransaction(
          async () => await Book.filter({ title: "a" }).selectForUpdate({ nowait: true }),
        ),
      );
      expect(refused).toBeInstanceOf(DatabaseError);
      // lock_not_available; MariaDB reports NOWAIT as a lock wait timeout.
      expect((refused as DatabaseError).code).toBe(
        target.dialect === "mysql" ? "ER_LOCK_WAIT_TIMEOUT" : "55P03",
      );
    } finally {
      release();
      await holder;
    }
  });
});
