/**
 * `bulkUpdate(instances, fields, { batchSize })`: one UPDATE with a CASE per field per batch,
 * every value bound, checked before any SQL, on every database and driver.
 */
import { beforeEach, expect, it } from "vitest";
import { currentDriver } from "../../runtime/transaction.js";
import { Author, Book, Item } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

const failure = async (p: PromiseLike<unknown>): Promise<string> => {
  const e = (await rejects(p)) as Error | undefined;
  return e === undefined ? "resolved" : `${e.name}: ${e.message}`;
};

forEachTarget((target: Target) => {
  const pg = target.dialect === "postgres";
  let n = 0;
  const p = (): string => (pg ? `$${++n}` : "?");
  let ada: Author;
  let grace: Author;
  let books: Book[];

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
    books = await Book.bulkCreate([
      { title: "A", price: "1.00", author: ada },
      { title: "B", price: "2.00", author: ada },
      { title: "C", price: null, author: ada },
    ]);
    takeStatements();
    n = 0;
  });

  it("writes each instance's values in one statement and returns the count", async () => {
    books[0]!.title = "A2";
    books[0]!.price = "1.50";
    books[1]!.price = null;
    books[2]!.author = grace;
    const count = await Book.bulkUpdate(books, ["title", "price", "author"]);
    expect(count).toBe(3);
    const [statement, ...rest] = takeStatements();
    expect(rest).toEqual([]);
    const ids = books.map((b) => b.id);
    // Key, title, price, author of each book, in order.
    const rows = [
      ids[0],
      "A2",
      "1.50",
      ada.id,
      ids[1],
      "B",
      null,
      ada.id,
      ids[2],
      "C",
      null,
      grace.id,
    ];
    expect(statement!.params).toEqual(rows);
    if (target.dialect === "mysql") {
      // MariaDB has no UPDATE … FROM: a join with a derived table of the rows.
      const row = `SELECT ?, ?, ?, ?`;
      expect(statement!.sql).toBe(
        `UPDATE "books" INNER JOIN (SELECT ? AS "yara_key", ? AS "yara_v0", ? AS "yara_v1", ? AS "yara_v2" ` +
          `UNION ALL ${row} UNION ALL ${row}) AS "yara_rows" ON "books"."id" = "yara_rows"."yara_key" ` +
          `SET "books"."title" = "yara_rows"."yara_v0", "books"."price" = "yara_rows"."yara_v1", ` +
          `"books"."author_id" = "yara_rows"."yara_v2"`,
      );
    } else {
      // The first row's casts give Postgres the columns' types (length and scale left to the
      // columns' own assignment checks); SQLite takes the values as they are.
      const cast = (type: string): string => (pg ? `CAST(${p()} AS ${type})` : p());
      const first = `(${cast("INTEGER")}, ${cast("VARCHAR")}, ${cast("NUMERIC")}, ${cast("INTEGER")})`;
      const row = (): string => `(${p()}, ${p()}, ${p()}, ${p()})`;
      expect(statement!.sql).toBe(
        `WITH "yara_rows" ("yara_key", "yara_v0", "yara_v1", "yara_v2") AS (VALUES ${first}, ${row()}, ${row()}) ` +
          `UPDATE "books" SET "title" = "yara_rows"."yara_v0", "price" = "yara_rows"."yara_v1", ` +
          `"author_id" = "yara_rows"."yara_v2" FROM "yara_rows" WHERE "books"."id" = "yara_rows"."yara_key"`,
      );
    }
    const stored = await Book.all().orderBy("id").valuesList("title", "price", "authorId");
    expect(stored).toEqual([
      ["A2", "1.50", ada.id],
      ["B", null, ada.id],
      ["C", null, grace.id],
    ]);
  });

  it("splits batches by batchSize, all in one transaction", async () => {
    for (const b of books) b.title = `${b.title}!`;
    expect(await Book.bulkUpdate(books, ["title"], { batchSize: 2 })).toBe(3);
    const sent = takeStatements().filter((s) => /^(WITH|UPDATE) /.test(s.sql));
    expect(sent).toHaveLength(2);
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual([
      "A!",
      "B!",
      "C!",
    ]);
    expect(await Book.bulkUpdate([], ["title"])).toBe(0);
  });

  it("splits batches by the driver's bind-parameter ceiling", async () => {
    const ceiling = currentDriver().maxParams;
    const many = await Book.bulkCreate(
      Array.from({ length: 20_000 }, (_, i) => ({ title: `m${i}`, author: ada })),
    );
    for (const b of many) b.title = `${b.title}!`;
    takeStatements();
    expect(await Book.bulkUpdate(many, ["title"])).toBe(20_000);
    // A key and a title per instance: one statement on pg (65 535), two on SQLite (32 766).
    const sent = takeStatements().filter((s) => /^(WITH|UPDATE) /.test(s.sql));
    expect(sent).toHaveLength(Math.ceil(20_000 / Math.floor(ceiling / 2)));
    for (const s of sent) expect(s.params.length).toBeLessThanOrEqual(ceiling);
    expect(await Book.filter({ title__endswith: "!" }).count()).toBe(20_000);
  });

  it("rolls every batch back when a later one fails", async () => {
    books[0]!.title = "Z";
    books[2]!.title = "B"; // clashes with book B of the same author (unique together)
    const e = await rejects(Book.bulkUpdate(books, ["title"], { batchSize: 2 }));
    expect(e).toMatchObject({ name: "IntegrityError", kind: "unique" });
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual([
      "A",
      "B",
      "C",
    ]);
  });

  it("binds every kind of value with the column's type (casts come from the first row)", async () => {
    const items = await Item.bulkCreate([{ name: "x" }, { name: "y" }]);
    items[0]!.big = 9007199254740993n;
    items[0]!.amount = "12345678901234567890.0123456789";
    items[0]!.at = new Date("2024-05-06T07:08:09.010Z");
    items[0]!.day = "2024-05-06";
    items[0]!.clock = "10:30:00";
    items[0]!.uid = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
    items[0]!.data = { k: [1, "two", null] };
    items[0]!.blob = new Uint8Array([0, 255]);
    items[0]!.flag = true;
    items[0]!.status = "published";
    items[0]!.level = 2;
    items[0]!.ratio = 0.5;
    items[1]!.data = [1, 2];
    const fields = [
      "big",
      "amount",
      "at",
      "day",
      "clock",
      "uid",
      "data",
      "blob",
      "flag",
      "status",
      "level",
      "ratio",
    ] as const;
    expect(await Item.bulkUpdate(items, [...fields])).toBe(2);
    const [first, second] = await Item.all().orderBy("id");
    for (const f of fields) expect(first![f]).toEqual(items[0]![f]);
    expect(second!.data).toEqual([1, 2]);
    expect(second!.big).toBeNull();
  });

  it.each([
    [
      "an unknown field",
      () => Book.bulkUpdate(books, ["titel" as "title"]),
      /^FieldError: .*titel/,
    ],
    [
      "the primary key",
      () => Book.bulkUpdate(books, ["id"]),
      /^ValidationError: Book: bulkUpdate\(\) cannot write the primary key/,
    ],
    [
      "no fields",
      () => Book.bulkUpdate(books, []),
      /^ValidationError: Book: bulkUpdate\(\) needs a non-empty array/,
    ],
    [
      "an unsaved instance",
      () => Book.bulkUpdate([...books, Book.build({ title: "N", author: ada })], ["title"]),
      /^ValidationError: Book: bulkUpdate\(\) instance 3 has no primary key/,
    ],
    [
      "another model's instance",
      () => Book.bulkUpdate([ada as never], ["title"]),
      /^ValidationError: Book: bulkUpdate\(\) instance 0 is not a Book/,
    ],
    [
      "the same row twice",
      () => Book.bulkUpdate([books[0]!, books[0]!], ["title"]),
      /^ValidationError: Book: bulkUpdate\(\) lists the row .* twice/,
    ],
    [
      "a bad value in the last row",
      () => {
        books[2]!.title = "x".repeat(201);
        return Book.bulkUpdate(books, ["title"]);
      },
      /^ValidationError: Book\.title/,
    ],
    [
      "a bad batchSize",
      () => Book.bulkUpdate(books, ["title"], { batchSize: 0 }),
      /^ValidationError: Book: bulkUpdate\(\) batchSize/,
    ],
    [
      "an unknown option",
      () => Book.bulkUpdate(books, ["title"], { batch_size: 2 } as never),
      /^ValidationError: .*batch_size/,
    ],
  ])("refuses %s before any SQL", async (_what, call, message) => {
    books[0]!.title = "changed";
    expect(await failure(Promise.resolve().then(call))).toMatch(message);
    expect(takeStatements()).toEqual([]);
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual([
      "A",
      "B",
      "C",
    ]);
  });
});
