import { beforeEach, describe, expect, test } from "vitest";
import { F, Q, ValidationError } from "../../../runtime/index.js";
import { useFake, type FakeDriver } from "./fake-driver.js";
import { Author, Book, BOOK_COLUMNS } from "./fixtures.js";
import { both, SELECT_AUTHORS, SELECT_BOOKS } from "./helpers.js";

describe("Q trees and exclude", () => {
  test("Q.or / Q.and / not", () => {
    const q = Book.objects.filter(
      Q.or(Q({ title: "a" }), Q.and({ id__gt: 1 }, { id__lt: 5 }).not()),
    );
    expect(q.sql("postgres")).toEqual({
      sql: `${SELECT_BOOKS} WHERE ("books"."title" = $1 OR NOT (("books"."id" > $2 AND "books"."id" < $3))) ORDER BY "books"."id" DESC`,
      params: ["a", 1, 5],
    });
  });

  test("q.or / q.and methods", () => {
    const sql = Book.objects.filter(Q({ title: "a" }).or({ title: "b" })).sql("sqlite").sql;
    expect(sql).toContain(`WHERE ("books"."title" = +? OR "books"."title" = +?)`);
  });

  test("exclude of a nullable comparison keeps NULL rows (a true complement)", () => {
    expect(Author.objects.exclude({ email: "e" }).sql("postgres").sql).toBe(
      `${SELECT_AUTHORS} WHERE NOT (COALESCE("authors"."email" = $1, FALSE))`,
    );
    // a NOT NULL column needs no COALESCE
    expect(Author.objects.exclude({ name: "n" }).sql("sqlite").sql).toBe(
      `${SELECT_AUTHORS} WHERE NOT ("authors"."name" = +?)`,
    );
  });

  test("successive filters are ANDed", () => {
    expect(Book.objects.filter({ title: "a" }).filter({ published: true }).sql("sqlite")).toEqual({
      sql: `${SELECT_BOOKS} WHERE ("books"."title" = +? AND "books"."published" = +?) ORDER BY "books"."id" DESC`,
      params: ["a", 1],
    });
  });

  test("F expressions as comparison values", () => {
    expect(Book.objects.filter({ id__gt: F("authorId") }).sql("postgres").sql).toContain(
      `WHERE "books"."id" > "books"."author_id"`,
    );
  });
});

describe("ordering, slicing, distinct", () => {
  test("model ordering applies unless orderBy is given", () => {
    expect(Book.objects.all().sql("postgres").sql).toBe(
      `${SELECT_BOOKS} ORDER BY "books"."id" DESC`,
    );
    expect(Book.objects.all().orderBy("title", "-price").sql("sqlite").sql).toBe(
      `${SELECT_BOOKS} ORDER BY "books"."title" ASC, CAST("books"."price" AS REAL) DESC NULLS FIRST`,
    );
    expect(Book.objects.all().orderBy().sql("sqlite").sql).toBe(SELECT_BOOKS);
  });

  test("limit/offset are bound on Postgres, integer literals on SQLite", () => {
    const q = both(Book.objects.all().orderBy("id").limit(10).offset(20));
    expect(q.postgres).toEqual({
      sql: `${SELECT_BOOKS} ORDER BY "books"."id" ASC LIMIT $1 OFFSET $2`,
      params: [10, 20],
    });
    expect(q.sqlite).toEqual({
      sql: `${SELECT_BOOKS} ORDER BY "books"."id" ASC LIMIT 10 OFFSET 20`,
      params: [],
    });
    expect(Book.objects.all().orderBy().offset(5).sql("sqlite")).toEqual({
      sql: `${SELECT_BOOKS} LIMIT -1 OFFSET 5`,
      params: [],
    });
  });

  test("bad limits are ValidationErrors", () => {
    expect(() => Book.objects.all().limit(-1).sql("postgres")).toThrow(ValidationError);
    expect(() => Book.objects.all().offset(1.5).sql("postgres")).toThrow(ValidationError);
  });

  test("distinct", () => {
    expect(Book.objects.all().orderBy().distinct().sql("postgres").sql).toBe(
      `SELECT DISTINCT ${SELECT_BOOKS.slice(7)}`,
    );
  });

  test("distinct values() are ordered by the selected values unless orderBy() was given", () => {
    expect(Book.objects.all().values("title").distinct().sql("postgres").sql).toBe(
      `SELECT DISTINCT "books"."title" FROM "books" ORDER BY "books"."title" ASC`,
    );
    expect(Book.objects.all().values("title").distinct().orderBy("title").sql("postgres").sql).toBe(
      `SELECT DISTINCT "books"."title" FROM "books" ORDER BY "books"."title" ASC`,
    );
  });

  test("querysets are immutable", () => {
    const base = Book.objects.filter({ title: "a" });
    const limited = base.limit(1);
    expect(base.sql("postgres").params).toEqual(["a"]);
    expect(limited.sql("postgres").params).toEqual(["a", 1]);
    expect(Object.isFrozen(base)).toBe(true);
  });

  test("selectForUpdate: FOR UPDATE (OF the model table when joined) on Postgres, nothing on SQLite", () => {
    const q = Book.objects.filter({ author__name: "x" }).selectForUpdate({ skipLocked: true });
    expect(q.sql("postgres").sql).toMatch(/ FOR UPDATE OF "books" SKIP LOCKED$/);
    expect(q.sql("sqlite").sql).not.toMatch(/FOR UPDATE/);
    expect(Book.objects.all().selectForUpdate({ nowait: true }).sql("postgres").sql).toMatch(
      /ORDER BY "books"."id" DESC FOR UPDATE NOWAIT$/,
    );
  });
});

describe("running queries", () => {
  let db: FakeDriver;
  beforeEach(() => {
    db = useFake("postgres");
  });

  test("await decodes rows with the generated decoder", async () => {
    db.replies.push({ rows: [[1, "Dune", "9.99", true, 7]] });
    const books = await Book.objects.filter({ title: "Dune" });
    expect(books).toEqual([new Book(1, "Dune", "9.99", true, 7)]);
    expect(books[0]).toBeInstanceOf(Book);
  });

  test("get fetches at most 2 rows without ordering; DoesNotExist / MultipleObjectsReturned", async () => {
    db.replies.push({ rows: [[1, "Dune", null, false, 7]] });
    const book = await Book.objects.filter({ published: false }).get({ title: "Dune" });
    expect(book.id).toBe(1);
    expect(db.last).toEqual({
      sql: `${SELECT_BOOKS} WHERE ("books"."published" = $1 AND "books"."title" = $2) LIMIT $3`,
      params: [false, "Dune", 2],
      options: { bigints: false },
    });
    await expect(Book.objects.get({ title: "none" })).rejects.toThrow(
      "Book matching query does not exist",
    );
    db.replies.push({
      rows: [
        [1, "a", null, false, 7],
        [2, "a", null, false, 7],
      ],
    });
    await expect(Book.objects.get({ title: "a" })).rejects.toThrow(
      "get() returned more than one Book",
    );
    expect(await Book.objects.getOrNone({ title: "x" })).toBeNull();
  });

  test("get by one field reuses the compiled SQL", async () => {
    db.replies.push({ rows: [[1, "a", null, false, 7]] }, { rows: [[2, "b", null, false, 7]] });
    expect((await Book.objects.get({ id: 1 })).id).toBe(1);
    expect((await Book.objects.get({ id: 2 })).id).toBe(2);
    expect(db.sent.map((s) => [s.sql, s.params])).toEqual([
      [`${SELECT_BOOKS} WHERE "books"."id" = $1 LIMIT $2`, [1, 2]],
      [`${SELECT_BOOKS} WHERE "books"."id" = $1 LIMIT $2`, [2, 2]],
    ]);
  });

  test("first uses the model ordering, else the pk", async () => {
    expect(await Book.objects.first()).toBeNull();
    expect(db.last.sql).toBe(`${SELECT_BOOKS} ORDER BY "books"."id" DESC LIMIT $1`);
    await Author.objects.first();
    expect(db.last.sql).toBe(`${SELECT_AUTHORS} ORDER BY "authors"."id" ASC LIMIT $1`);
  });

  test("count and exists", async () => {
    db.replies.push({ rows: [[3]] });
    expect(await Book.objects.filter({ author__name: "Ada" }).count()).toBe(3);
    expect(db.last.sql).toBe(
      `SELECT COUNT(*) FROM "books" LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = $1`,
    );
    db.replies.push({ rows: [[2]] });
    await Book.objects.all().limit(5).count();
    expect(db.last.sql).toBe(
      `SELECT COUNT(*) FROM (SELECT ${SELECT_BOOKS.slice(7)} LIMIT $1) AS "sub"`,
    );
    db.replies.push({ rows: [[1]] });
    expect(await Book.objects.filter({ id: 1 }).exists()).toBe(true);
    expect(db.last.sql).toBe(`SELECT 1 FROM "books" WHERE "books"."id" = $1 LIMIT $2`);
    expect(await Book.objects.filter({ id: 1 }).exists()).toBe(false);
  });

  test("values and valuesList decode by field kind, through relations", async () => {
    db.replies.push({ rows: [[1, "Ada"]] });
    const rows = await Book.objects.all().values("id", "author__name");
    expect(rows).toEqual([{ id: 1, author__name: "Ada" }]);
    expect(db.last.sql).toBe(
      `SELECT "books"."id", "t1"."name" FROM "books" LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" ORDER BY "books"."id" DESC`,
    );
    db.replies.push({ rows: [[1, "9.50"]] });
    expect(await Book.objects.all().valuesList("id", "price")).toEqual([[1, "9.50"]]);
    db.replies.push({ rows: [["Dune"], ["Emma"]] });
    expect(await Book.objects.all().valuesList("title", { flat: true })).toEqual(["Dune", "Emma"]);
    db.replies.push({ rows: [[1, "t", null, true, 2]] });
    expect(await Book.objects.all().values()).toEqual([
      { id: 1, title: "t", price: null, published: true, authorId: 2 },
    ]);
    expect(() =>
      Book.objects
        .all()
        .valuesList("id", "title", { flat: true } as never)
        .sql("postgres"),
    ).toThrow(ValidationError);
  });

  test("only() loads the pk and the named fields", async () => {
    db.replies.push({ rows: [[1, "Dune"]] });
    const [book] = await Book.objects.all().only("title");
    expect(db.last.sql).toBe(
      `SELECT "books"."id", "books"."title" FROM "books" ORDER BY "books"."id" DESC`,
    );
    expect(book).toBeInstanceOf(Book);
    expect(book?.title).toBe("Dune");
    expect(book?.price).toBeUndefined();
  });

  test("selectRelated appends the joined model's columns and attaches decoded instances", async () => {
    const q = Book.objects.filter({ author__name: "Ada" }).selectRelated("author");
    expect(q.sql("postgres").sql).toBe(
      `SELECT ${BOOK_COLUMNS}, "t1"."id", "t1"."name", "t1"."email", "t1"."created_at" FROM "books" ` +
        `LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = $1 ORDER BY "books"."id" DESC`,
    );
    db.replies.push({
      rows: [[1, "Dune", null, false, 7, 7, "Ada", null, "2024-01-01T00:00:00.000Z"]],
    });
    const [book] = await q;
    expect(book?.author).toBeInstanceOf(Author);
    expect(book?.author.name).toBe("Ada");
    expect(() => Book.objects.all().selectRelated("tags").sql("postgres")).toThrow(
      /no to-one relation "tags"/,
    );
  });

  test("prefetchRelated runs one query per relation (two for many-to-many)", async () => {
    db.replies.push(
      {
        rows: [
          [1, "a", null, false, 7],
          [2, "b", null, false, 8],
        ],
      },
      { rows: [[7, "Ada", null, "2024-01-01T00:00:00.000Z"]] },
      {
        rows: [
          [1, 10],
          [2, 10],
          [2, 11],
        ],
      },
      {
        rows: [
          [10, "sf"],
          [11, "classic"],
        ],
      },
    );
    const books = await Book.objects.all().prefetchRelated("author", "tags");
    expect(db.sent.slice(1).map((s) => [s.sql, s.params])).toEqual([
      [`${SELECT_AUTHORS} WHERE "authors"."id" = ANY($1)`, [[7, 8]]],
      [
        `SELECT "book_tags"."book_id", "book_tags"."tag_id" FROM "book_tags" WHERE "book_tags"."book_id" = ANY($1)`,
        [[1, 2]],
      ],
      [`SELECT "tags"."id", "tags"."name" FROM "tags" WHERE "tags"."id" = ANY($1)`, [[10, 11]]],
    ]);
    const loaded = (b: Book, r: string) =>
      (b as unknown as { _loaded(r: string): unknown })._loaded(r);
    expect(books[0]?.author.name).toBe("Ada");
    expect(loaded(books[1]!, "author")).toBeNull();
    expect((loaded(books[1]!, "tags") as { name: string }[]).map((t) => t.name)).toEqual([
      "sf",
      "classic",
    ]);
    expect(() => Book.objects.all().prefetchRelated("nope").sql("postgres")).toThrow(
      /no relation "nope"/,
    );
  });

  test("async iteration streams by keyset under a pk ordering", async () => {
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) => [from - k, "t", null, false, 1]);
    db.replies.push(
      { rows: page(2500, 1000) },
      { rows: page(1500, 1000) },
      { rows: page(500, 500) },
    );
    let n = 0;
    for await (const book of Book.objects.all()) {
      expect(book).toBeInstanceOf(Book);
      n++;
    }
    expect(n).toBe(2500);
    expect(db.sent.map((s) => [s.sql, s.params])).toEqual([
      [`${SELECT_BOOKS} ORDER BY "books"."id" DESC LIMIT $1`, [1000]],
      [`${SELECT_BOOKS} WHERE "books"."id" < $1 ORDER BY "books"."id" DESC LIMIT $2`, [1501, 1000]],
      [`${SELECT_BOOKS} WHERE "books"."id" < $1 ORDER BY "books"."id" DESC LIMIT $2`, [501, 1000]],
    ]);
  });

  test("async iteration under another ordering reads the keys first, then the rows by key", async () => {
    // The keys in the stream's order (title, then the pk as tiebreaker).
    const ids = Array.from({ length: 1500 }, (_, k) => ((k * 7) % 1500) + 1);
    const row = (id: number) => [id, "t", null, false, 1];
    db.replies.push(
      { rows: ids.map((id) => [id]) },
      // A chunk's rows come back in any order, and one row was deleted meanwhile.
      {
        rows: ids
          .slice(0, 1000)
          .reverse()
          .filter((id) => id !== ids[5])
          .map(row),
      },
      { rows: ids.slice(1000).map(row) },
    );
    const seen: number[] = [];
    for await (const book of Book.objects.all().orderBy("title")) seen.push(book.id);
    expect(seen).toEqual(ids.filter((id) => id !== ids[5]));
    expect(db.sent.map((s) => [s.sql, s.params])).toEqual([
      [`SELECT "books"."id" FROM "books" ORDER BY "books"."title" ASC, "books"."id" ASC`, []],
      [`${SELECT_BOOKS} WHERE "books"."id" = ANY($1)`, [ids.slice(0, 1000)]],
      [`${SELECT_BOOKS} WHERE "books"."id" = ANY($1)`, [ids.slice(1000)]],
    ]);
  });

  test("sql() without an argument uses the current driver's dialect", () => {
    expect(Book.objects.filter({ id: 1 }).sql().sql).toContain("$1");
    useFake("sqlite");
    expect(Book.objects.filter({ id: 1 }).sql().sql).toContain("?");
  });
});
