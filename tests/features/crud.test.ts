import { beforeEach, expect, it } from "vitest";
import { Author, Book, DoesNotExist, F, MultipleObjectsReturned } from "./generated/index.js";
import {
  boundColumns,
  compared,
  forEachTarget,
  insertedOne,
  resetData,
  takeStatements,
} from "./harness.js";

forEachTarget((target) => {
  beforeEach(resetData);

  it("creates with RETURNING and decodes every column", async () => {
    const before = Date.now();
    const ada = await Author.create({ name: "Ada", email: "ada@example.com" });
    expect(ada).toBeInstanceOf(Author);
    expect(typeof ada.id).toBe("number");
    expect(ada.name).toBe("Ada");
    expect(ada.email).toBe("ada@example.com");
    expect(ada.createdAt).toBeInstanceOf(Date);
    expect(ada.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    const book = await Book.create({ title: "Notes", price: "19.9", author: ada });
    expect(book.price).toBe("19.90");
    expect(book.published).toBe(false);
    expect(book.authorId).toBe(ada.id);
  });

  it("writes with one statement each: INSERT … RETURNING, UPDATE, DELETE, and a bounded get", async () => {
    const pg = target.dialect === "postgres";
    const p = (n: number) => (pg ? `$${n}` : "?");
    const cmp = (n: number): string => compared(target, n);
    const ada = await Author.create({ name: "Ada", email: "a@x.org" });
    const book = await Book.create({ title: "T", price: "1.5", author: ada });
    await Book.filter({ author: ada }).update({ price: F("price").add(1) });
    expect((await Book.get({ title: "T" })).price).toBe("2.50");
    await Book.filter({ title: "T" }).delete();
    const BOOK = `"books"."id", "books"."title", "books"."price", "books"."published", "books"."author_id"`;
    const AUTHOR = `"author"."id", "author"."name", "author"."email", "author"."created_at"`;
    expect(takeStatements()).toEqual([
      ...insertedOne(
        {
          // MariaDB: the datetime as the server's text (MysqlCompiler.boundResultColumn).
          sql: `INSERT INTO "author" ("name", "email", "created_at") VALUES (${p(1)}, ${p(2)}, ${p(3)}) RETURNING ${boundColumns(target, AUTHOR, ["created_at"])}`,
          params: [
            "Ada",
            "a@x.org",
            target.dialect === "mysql"
              ? ada.createdAt.toISOString().replace("T", " ").replace("Z", "")
              : ada.createdAt.toISOString(),
          ],
        },
        "author",
        AUTHOR,
        ada.id,
      ),
      ...insertedOne(
        {
          sql: `INSERT INTO "books" ("title", "price", "published", "author_id") VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}) RETURNING ${BOOK}`,
          params: ["T", "1.50", pg ? false : 0, ada.id],
        },
        "books",
        BOOK,
        book.id,
      ),
      {
        sql: pg
          ? `UPDATE "books" SET "price" = ("books"."price" + $1) WHERE "books"."author_id" = $2`
          : target.dialect === "mysql"
            ? `UPDATE "books" SET "price" = ("books"."price" + CAST(? AS DECIMAL(65, 30))) WHERE "books"."author_id" = ?`
            : `UPDATE "books" SET "price" = (CASE WHEN (CAST("books"."price" AS REAL) + ?) IS NULL THEN NULL ELSE printf('%.2f', round((CAST("books"."price" AS REAL) + ?), 2) + 0.0) END) WHERE "books"."author_id" = +?`,
        params: pg ? [1, ada.id] : target.dialect === "mysql" ? ["1", ada.id] : [1, 1, ada.id],
      },
      {
        // SQLite writes the LIMIT of a query shape as a literal; Postgres binds it.
        sql: `SELECT ${BOOK} FROM "books" WHERE "books"."title" = ${cmp(1)} LIMIT ${pg ? "$2" : "2"}`,
        params: pg ? ["T", 2] : ["T"],
      },
      { sql: `DELETE FROM "books" WHERE "books"."title" = ${cmp(1)}`, params: ["T"] },
    ]);
  });

  it("accepts a related instance or its key when creating", async () => {
    const ada = await Author.create({ name: "Ada" });
    const a = await Book.create({ title: "A", author: ada });
    const b = await Book.create({ title: "B", authorId: ada.id });
    expect([a.authorId, b.authorId]).toEqual([ada.id, ada.id]);
  });

  it("gets one row, or says why not", async () => {
    const ada = await Author.create({ name: "Ada" });
    await Author.create({ name: "Twin" });
    await Author.create({ name: "Twin" });
    expect((await Author.get({ id: ada.id })).name).toBe("Ada");
    expect(await Author.getOrNone({ name: "Nobody" })).toBeNull();
    await expect(Author.get({ name: "Nobody" })).rejects.toBeInstanceOf(DoesNotExist);
    await expect(Author.get({ name: "Twin" })).rejects.toBeInstanceOf(MultipleObjectsReturned);
    await expect(Author.get({ name: "Nobody" })).rejects.toThrow(
      "Author matching query does not exist",
    );
  });

  it("saves, refreshes and deletes instances", async () => {
    const ada = await Author.create({ name: "Ada" });
    ada.name = "Ada Lovelace";
    await ada.save();
    expect((await Author.get({ id: ada.id })).name).toBe("Ada Lovelace");

    const copy = await Author.get({ id: ada.id });
    await Author.filter({ id: ada.id }).update({ name: "Countess" });
    await copy.refreshFromDb();
    expect(copy.name).toBe("Countess");

    await copy.delete();
    expect(await Author.getOrNone({ id: ada.id })).toBeNull();
  });

  it("counts, checks existence, updates and deletes through a query set", async () => {
    const ada = await Author.create({ name: "Ada" });
    for (const title of ["A", "B", "C"]) await Book.create({ title, author: ada, price: "1.00" });
    expect(await Book.all().count()).toBe(3);
    expect(await Book.filter({ title: "B" }).exists()).toBe(true);
    expect(await Book.filter({ title: "Z" }).exists()).toBe(false);
    expect(await Book.filter({ title__in: ["A", "B"] }).update({ published: true })).toBe(2);
    expect(await Book.filter({ published: true }).count()).toBe(2);
    expect(await Book.filter({ title: "C" }).delete()).toBe(1);
    expect(await Book.all().count()).toBe(2);
  });

  it("bulk-creates in batches and returns instances with keys", async () => {
    const ada = await Author.create({ name: "Ada" });
    const rows = Array.from({ length: 250 }, (_, i) => ({ title: `T${i}`, author: ada }));
    const books = await Book.bulkCreate(rows, { batchSize: 100 });
    expect(books).toHaveLength(250);
    expect(new Set(books.map((b) => b.id)).size).toBe(250);
    expect(await Book.all().count()).toBe(250);
  });

  it("getOrCreate and updateOrCreate report whether they created", async () => {
    const [a, created] = await Author.getOrCreate({ name: "Ada" }, { email: "a@x.org" });
    expect(created).toBe(true);
    expect(a.email).toBe("a@x.org");
    const [again, createdAgain] = await Author.getOrCreate({ name: "Ada" });
    expect(createdAgain).toBe(false);
    expect(again.id).toBe(a.id);

    const [u, uCreated] = await Author.updateOrCreate({ name: "Ada" }, { email: "new@x.org" });
    expect(uCreated).toBe(false);
    expect(u.email).toBe("new@x.org");
    const [g, gCreated] = await Author.updateOrCreate({ name: "Grace" }, { email: "g@x.org" });
    expect(gCreated).toBe(true);
    expect(g.name).toBe("Grace");
  });

  it("loads a set of rows by key with inBulk", async () => {
    const a = await Author.create({ name: "A" });
    const b = await Author.create({ name: "B" });
    const found = await Author.inBulk([a.id, b.id, 999_999]);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(found.get(b.id)?.name).toBe("B");
  });

  it("maps raw SQL rows to instances by column name", async () => {
    const ada = await Author.create({ name: "Ada" });
    const placeholder = target.dialect === "postgres" ? "$1" : "?";
    const rows = await Author.raw(
      `SELECT created_at, email, name, id FROM author WHERE name = ${placeholder}`,
      ["Ada"],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toBeInstanceOf(Author);
    expect(rows[0]?.id).toBe(ada.id);
    expect(rows[0]?.createdAt.getTime()).toBe(ada.createdAt.getTime());
  });

  it("returns the first row by the model ordering, or null", async () => {
    expect(await Book.first()).toBeNull();
    const ada = await Author.create({ name: "Ada" });
    await Book.create({ title: "old", author: ada });
    await Book.create({ title: "new", author: ada });
    expect((await Book.first())?.title).toBe("new"); // ordering: ["-id"]
    expect((await Book.all().orderBy("id").first())?.title).toBe("old");
  });

  it("getOrCreate is safe against a concurrent caller creating the same unique row", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        Author.getOrCreate({ email: "race@example.com" }, { name: "Racer" }),
      ),
    );
    const ids = new Set(results.map(([a]) => a.id));
    expect(ids.size).toBe(1);
    expect(results.filter(([, created]) => created)).toHaveLength(1);
    expect(await Author.filter({ email: "race@example.com" }).count()).toBe(1);
  });
});
