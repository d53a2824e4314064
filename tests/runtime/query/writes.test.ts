import { beforeEach, describe, expect, test } from "vitest";
import { F, FieldError, IntegrityError, ValidationError } from "../../../runtime/index.js";
import { useFake, type FakeDriver } from "./fake-driver.js";
import { Author, AUTHOR_COLUMNS, Book, BOOK_COLUMNS, Category } from "./fixtures.js";

const bookRow = (
  id: number,
  title = "t",
  price: string | null = null,
  published = false,
  authorId = 7,
) => [id, title, price, published, authorId];

describe("create", () => {
  let db: FakeDriver;
  beforeEach(() => {
    db = useFake("postgres");
  });

  test("INSERT … RETURNING the model columns, with defaults, decoded once", async () => {
    db.replies.push({ rows: [bookRow(1, "Dune", "9.90", false, 7)] });
    const book = await Book.objects.create({
      title: "Dune",
      price: 9.9,
      author: new Author(7, "Ada", null, new Date()),
    });
    expect(book).toEqual(new Book(1, "Dune", "9.90", false, 7));
    expect(db.sent).toEqual([
      {
        sql: `INSERT INTO "books" ("title", "price", "published", "author_id") VALUES ($1, $2, $3, $4) RETURNING ${BOOK_COLUMNS}`,
        params: ["Dune", "9.90", false, 7],
        options: { bigints: false, oneRow: true },
      },
    ]);
  });

  test("SQLite placeholders and boolean encoding; authorId accepted", async () => {
    const lite = useFake("sqlite");
    lite.replies.push({ rows: [bookRow(1)] });
    await Book.objects.create({ title: "t", authorId: 7, published: true });
    expect(lite.last.sql).toBe(
      `INSERT INTO "books" ("title", "price", "published", "author_id") VALUES (?, ?, ?, ?) RETURNING ${BOOK_COLUMNS}`,
    );
    expect(lite.last.params).toEqual(["t", null, 1, 7]);
  });

  test("autoNowAdd fills a datetime; an explicit pk is inserted", async () => {
    db.replies.push({ rows: [[5, "Ada", null, "2024-01-01T00:00:00.000Z"]] });
    const before = Date.now();
    await Author.objects.create({ id: 5, name: "Ada" } as never);
    const [sql, params] = [db.last.sql, db.last.params];
    expect(sql).toBe(
      `INSERT INTO "authors" ("id", "name", "email", "created_at") VALUES ($1, $2, $3, $4) RETURNING ${AUTHOR_COLUMNS}`,
    );
    expect(params.slice(0, 3)).toEqual([5, "Ada", null]);
    expect(Date.parse(params[3] as string)).toBeGreaterThanOrEqual(before - 1);
  });

  test("the create schema and required fields reject input before any SQL, naming the field", async () => {
    await expect(Book.objects.create({ title: 5 } as never)).rejects.toMatchObject({
      name: "ValidationError",
      model: "Book",
      field: "title",
    });
    await expect(Book.objects.create({ title: "t" })).rejects.toThrow("Book.authorId is required");
    await expect(
      Book.objects.create({ title: "t", authorId: 1, bogus: 1 } as never),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      Book.objects.create({
        title: "t",
        author: new Author(undefined as never, "x", null, new Date()),
      }),
    ).rejects.toThrow(/no primary key/);
    await expect(
      Book.objects.create({ title: "t", authorId: 1, price: "12345678901" }),
    ).rejects.toMatchObject({ field: "price" });
    expect(db.sent).toEqual([]);
  });
});

describe("bulkCreate", () => {
  test("chunks under the bind-parameter limit, in one transaction", async () => {
    const db = useFake("sqlite");
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ title: `b${i}`, authorId: 1 }));
    const widths = [8191, 1809]; // 32 766 / 4 columns = 8191 rows per statement
    for (const n of widths)
      db.replies.push({ rows: Array.from({ length: n }, (_, k) => bookRow(k)) });
    const books = await Book.objects.bulkCreate(rows);
    expect(books).toHaveLength(10_000);
    const inserts = db.sent.filter((s) => s.sql.startsWith("INSERT"));
    expect(inserts.map((s) => s.params.length)).toEqual([8191 * 4, 1809 * 4]);
    expect(db.sent[0]?.sql).toBe("BEGIN");
    expect(db.last.sql).toBe("COMMIT");
  });

  test("chunks by the ceiling the driver reports, not the dialect's", async () => {
    const db = useFake("postgres", 10);
    db.replies.push(
      { rows: [bookRow(1), bookRow(2)] },
      { rows: [bookRow(3), bookRow(4)] },
      { rows: [bookRow(5)] },
    );
    const rows = Array.from({ length: 5 }, (_, i) => ({ title: `b${i}`, authorId: 1 }));
    expect(await Book.objects.bulkCreate(rows)).toHaveLength(5);
    const inserts = db.sent.filter((s) => s.sql.startsWith("INSERT"));
    expect(inserts.map((s) => s.params.length)).toEqual([8, 8, 4]); // 10 / 4 columns = 2 rows
  });

  test("rows setting different fields go in one statement per field set, in input order", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [bookRow(1), bookRow(3)] }, { rows: [bookRow(7), bookRow(9)] });
    const books = await Book.objects.bulkCreate([
      { title: "a", authorId: 1 },
      { id: 7, title: "b", authorId: 1 },
      { title: "c", authorId: 1 },
      { id: 9, title: "d", authorId: 1 },
    ]);
    expect(books.map((b) => b.id)).toEqual([1, 7, 3, 9]);
    const inserts = db.sent.filter((s) => s.sql.startsWith("INSERT"));
    expect(inserts.map((s) => s.params)).toEqual([
      ["a", null, false, 1, "c", null, false, 1],
      [7, "b", null, false, 1, 9, "d", null, false, 1],
    ]);
  });

  test("batchSize, multi-row VALUES and RETURNING", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [bookRow(1), bookRow(2)] }, { rows: [bookRow(3)] });
    const books = await Book.objects.bulkCreate(
      [
        { title: "a", authorId: 1 },
        { title: "b", authorId: 1 },
        { title: "c", authorId: 1 },
      ],
      { batchSize: 2 },
    );
    expect(books.map((b) => b.id)).toEqual([1, 2, 3]);
    expect(db.sent[1]).toMatchObject({
      sql: `INSERT INTO "books" ("title", "price", "published", "author_id") VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) RETURNING ${BOOK_COLUMNS}`,
      params: ["a", null, false, 1, "b", null, false, 1],
    });
  });

  test("upsert: ON CONFLICT DO NOTHING / DO UPDATE SET col = EXCLUDED.col", async () => {
    const db = useFake("postgres");
    await Book.objects.bulkCreate([{ title: "a", authorId: 1 }], { onConflict: { ignore: true } });
    expect(db.last.sql).toContain(`VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING`);
    await Book.objects.bulkCreate([{ id: 3, title: "a", authorId: 1 }], {
      onConflict: { update: ["title", "price"] },
    });
    expect(db.last.sql).toBe(
      `INSERT INTO "books" ("id", "title", "price", "published", "author_id") VALUES ($1, $2, $3, $4, $5) ` +
        `ON CONFLICT ("id") DO UPDATE SET "title" = EXCLUDED."title", "price" = EXCLUDED."price" RETURNING ${BOOK_COLUMNS}`,
    );
    const lite = useFake("sqlite");
    await Book.objects.bulkCreate([{ title: "a", authorId: 1 }], {
      onConflict: { update: ["published"], conflict: ["title", "author"] },
    });
    expect(lite.last.sql).toContain(
      `ON CONFLICT ("title", "author_id") DO UPDATE SET "published" = EXCLUDED."published" RETURNING`,
    );
    await expect(
      Book.objects.bulkCreate([{ title: "a", authorId: 1 }], {
        onConflict: { update: ["nope" as "title"] },
      }),
    ).rejects.toThrow(FieldError);
  });
});

describe("QuerySet.update / delete", () => {
  test("update with values and F expressions", async () => {
    const db = useFake("postgres");
    db.replies.push({ rowCount: 2 });
    const n = await Book.objects.filter({ id: 1 }).update({ price: F("price").add(1), title: "x" });
    expect(n).toBe(2);
    expect(db.last).toEqual({
      sql: `UPDATE "books" SET "price" = ("books"."price" + $1), "title" = $2 WHERE "books"."id" = $3`,
      params: [1, "x", 1],
    });
  });

  test("SQLite decimal arithmetic is re-canonicalised", async () => {
    const db = useFake("sqlite");
    await Book.objects.all().update({ price: F("price").mul("1.5").sub(2) });
    expect(db.last).toEqual({
      sql: `UPDATE "books" SET "price" = (CASE WHEN ((CAST("books"."price" AS REAL) * ?) - ?) IS NULL THEN NULL ELSE printf('%.2f', round(((CAST("books"."price" AS REAL) * ?) - ?), 2) + 0.0) END)`,
      params: ["1.5", 2, "1.5", 2],
    });
  });

  test("filters needing joins use pk IN (subquery)", async () => {
    const db = useFake("postgres");
    await Book.objects.filter({ author__name: "Ada" }).update({ published: true });
    expect(db.last.sql).toBe(
      `UPDATE "books" SET "published" = $1 WHERE "books"."id" IN (SELECT "books"."id" FROM "books" LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = $2)`,
    );
    await Book.objects.filter({ author__name: "Ada" }).delete();
    expect(db.last).toEqual({
      sql: `DELETE FROM "books" WHERE "books"."id" IN (SELECT "books"."id" FROM "books" LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = $1)`,
      params: ["Ada"],
    });
  });

  test("to-many filters stay EXISTS; relations accept instances", async () => {
    const db = useFake("sqlite");
    await Book.objects
      .filter({ tags__name: "x" })
      .update({ author: new Author(9, "a", null, new Date()) });
    expect(db.last.sql).toBe(
      `UPDATE "books" SET "author_id" = ? WHERE EXISTS (SELECT 1 FROM "book_tags" AS "t1" INNER JOIN "tags" AS "t2" ON "t2"."id" = "t1"."tag_id" WHERE ("t1"."book_id" = "books"."id" AND "t2"."name" = +?))`,
    );
    expect(db.last.params).toEqual([9, "x"]);
    await Book.objects.all().delete();
    expect(db.last.sql).toBe(`DELETE FROM "books"`);
  });

  test("bad update data is rejected before SQL", async () => {
    const db = useFake("postgres");
    await expect(Book.objects.all().update({ nope: 1 } as never)).rejects.toThrow(FieldError);
    await expect(Book.objects.all().update({ title: 5 as never })).rejects.toMatchObject({
      field: "title",
    });
    expect(await Book.objects.all().update({})).toBe(0);
    expect(db.sent).toEqual([]);
  });
});

describe("getOrCreate / updateOrCreate / inBulk / raw", () => {
  test("getOrCreate returns the existing row", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [bookRow(4, "a")] });
    const [book, created] = await Book.objects.getOrCreate({ title: "a", authorId: 7 });
    expect([book.id, created]).toEqual([4, false]);
    expect(db.sent.map((s) => s.sql.split(" ")[0])).toEqual(["BEGIN", "SELECT", "COMMIT"]);
  });

  test("getOrCreate creates from plain keys plus defaults inside a savepoint", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [] }, { rows: [bookRow(5, "a", "1.00")] });
    const [book, created] = await Book.objects.getOrCreate(
      { title: "a", authorId: 7, id__gt: 0 },
      { price: 1 },
    );
    expect([book.id, created]).toEqual([5, true]);
    const insert = db.sent.find((s) => s.sql.startsWith("INSERT"));
    expect(insert?.params).toEqual(["a", "1.00", false, 7]);
  });

  test("getOrCreate re-gets after a unique violation race", async () => {
    const db = useFake("postgres");
    const original = db.query.bind(db);
    let calls = 0;
    db.query = async (sql, params, options) => {
      calls++;
      if (sql.startsWith("INSERT"))
        throw new IntegrityError("dup", { kind: "unique", code: "23505" });
      return original(sql, params, options);
    };
    db.replies.push({ rows: [] }, { rows: [bookRow(8)] });
    const [book, created] = await Book.objects.getOrCreate({ title: "t", authorId: 7 });
    expect([book.id, created, calls]).toEqual([8, false, 3]);
  });

  test("updateOrCreate locks, updates and re-reads", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [bookRow(4)] }, { rowCount: 1 }, { rows: [bookRow(4, "new")] });
    const [book, created] = await Book.objects.updateOrCreate({ title: "t" }, { title: "new" });
    expect([book.title, created]).toEqual(["new", false]);
    expect(db.sent[1]?.sql).toMatch(/FOR UPDATE$/);
    expect(db.sent[2]).toEqual({
      sql: `UPDATE "books" SET "title" = $1 WHERE "books"."id" = $2`,
      params: ["new", 4],
    });
  });

  test("inBulk binds one array", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [bookRow(1), bookRow(2)] });
    const map = await Book.objects.inBulk([1, 2, 3]);
    expect([...map.keys()]).toEqual([1, 2]);
    expect(db.last).toMatchObject({
      sql: `SELECT ${BOOK_COLUMNS} FROM "books" WHERE "books"."id" = ANY($1)`,
      params: [[1, 2, 3]],
    });
    expect((await Book.objects.inBulk([])).size).toBe(0);
  });

  test("raw maps columns by name and passes bigints", async () => {
    const db = useFake("sqlite");
    db.replies.push({ rows: [["Dune", 3, 7]], columns: ["title", "id", "author_id"] });
    const [book] = await Book.objects.raw(
      "SELECT title, id, author_id FROM books WHERE id = ?",
      [3],
    );
    expect(book).toBeInstanceOf(Book);
    expect([book?.id, book?.title, book?.authorId, book?.price]).toEqual([3, "Dune", 7, undefined]);
    expect(db.last.options).toEqual({ bigints: true });
  });
});

describe("instance methods", () => {
  test("save updates by pk, inserts when nothing was updated or the pk is unset", async () => {
    const db = useFake("postgres");
    const book = new Book(4, "t", null, true, 7);
    db.replies.push({ rowCount: 1 });
    await book.save();
    expect(db.last).toEqual({
      sql: `UPDATE "books" SET "title" = $1, "price" = $2, "published" = $3, "author_id" = $4 WHERE "books"."id" = $5`,
      params: ["t", null, true, 7, 4],
    });
    const fresh = new Category(undefined as never, "c", null);
    db.replies.push({ rows: [[11, "c", null]] });
    await fresh.save();
    expect(fresh.id).toBe(11);
    expect(db.last.sql).toBe(
      `INSERT INTO "categories" ("name", "parent_id") VALUES ($1, $2) RETURNING "categories"."id", "categories"."name", "categories"."parent_id"`,
    );
  });

  test("delete and refreshFromDb by pk", async () => {
    const db = useFake("sqlite");
    const book = new Book(4, "t", null, true, 7);
    await book.delete();
    expect(db.last).toEqual({ sql: `DELETE FROM "books" WHERE "books"."id" = +?`, params: [4] });
    db.replies.push({ rows: [bookRow(4, "fresh")] });
    await book.refreshFromDb();
    expect(book.title).toBe("fresh");
  });

  test("fetchRelated loads a to-one relation; unloaded access throws; not enumerable", async () => {
    const db = useFake("postgres");
    const book = new Book(4, "t", null, true, 7);
    expect(() => book.author).toThrow("Book.author is not loaded");
    db.replies.push({ rows: [[7, "Ada", null, "2024-01-01T00:00:00.000Z"]] });
    await book.fetchRelated("author");
    expect(book.author.name).toBe("Ada");
    expect(Object.keys(book)).toEqual(["id", "title", "price", "published", "authorId"]);
    expect(JSON.stringify(book)).not.toContain("Ada");
    await expect(book.fetchRelated("nope")).rejects.toThrow(/no relation "nope"/);
  });

  test("fetchRelated loads a to-many relation as an array", async () => {
    const db = useFake("postgres");
    const author = new Author(7, "Ada", null, new Date());
    db.replies.push({ rows: [bookRow(1), bookRow(2)] });
    await author.fetchRelated("books");
    expect(db.last.sql).toContain(`WHERE "books"."author_id" = ANY($1)`);
    expect(db.last.params).toEqual([[7]]);
    expect(
      (author as unknown as { _loaded(r: string): Book[] })._loaded("books").map((b) => b.id),
    ).toEqual([1, 2]);
  });
});
