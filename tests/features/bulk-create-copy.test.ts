// bulkCreate of more values than one INSERT binds: binary COPY on the native Postgres engine
// (runtime/model/bulk-copy.ts, native/src/pg/copy_insert.rs), multi-row INSERTs elsewhere and
// wherever COPY cannot serve.
// Every target must return and store the same values, fail with the same errors and write
// nothing when a row fails.
import { beforeEach, expect, it } from "vitest";
import {
  Author,
  Book,
  Item,
  NotSupportedError,
  Stamp,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

/** The native Postgres engine's parameter ceiling (NativePgDriver.maxParams). */
const NATIVE_MAX_PARAMS = 32_767;
/** The fewest rows of `width` columns that do not fit one INSERT there. */
const over = (width: number) => Math.floor(NATIVE_MAX_PARAMS / width) + 1;
// Columns each model's rows write: Item all 16 but the key, Author name/email/created_at, Book
// title/price/published/author_id, Stamp label/token/at/day (the rest are database defaults).
const ITEMS = over(16);
const AUTHORS = over(3);
const BOOKS = over(4);

/** Whether `target` runs bulk inserts of this size through COPY. */
function copies(target: Target): boolean {
  return target.dialect === "postgres" && target.driver === "native";
}

/** The kind of statement that wrote the rows: "COPY" or "INSERT". */
function writtenBy(): string[] {
  return [
    ...new Set(
      takeStatements()
        .map((s) => s.sql.split(" ")[0]!)
        .filter((verb) => verb === "COPY" || verb === "INSERT"),
    ),
  ];
}

function itemRow(i: number) {
  return {
    name: `item ${i} ✓`,
    big: i % 3 === 0 ? null : 9_007_199_254_740_993n + BigInt(i),
    small: i % 2 === 0 ? -32768 : 32767,
    body: i % 4 === 0 ? null : "multi\nline\ttab \\ back 😀",
    flag: i % 2 === 1,
    ratio: i % 5 === 0 ? null : 0.1 + 0.2 + i,
    amount: i % 6 === 0 ? null : i % 2 === 0 ? "12345678901234567890.1234567891" : `-${i}.5`,
    at: i % 7 === 0 ? null : new Date(Date.UTC(2024, 1, 29, 23, 59, 58, i % 1000)),
    day: i % 8 === 0 ? null : i % 2 === 0 ? "2024-02-29" : "0001-01-01",
    clock: i % 9 === 0 ? null : "23:59:58.123456",
    uid: i % 10 === 0 ? null : "6F9619FF-8B86-D011-B42D-00CF4FC964FF",
    data: i % 11 === 0 ? null : { zeta: [1, null, { b: "x", a: true }], a: i, é: "ü", mid: {} },
    blob: i % 12 === 0 ? null : new Uint8Array([0, 255, i % 256, 92, 10]),
    status: i % 2 === 0 ? ("draft" as const) : ("published" as const),
    level: i % 3 === 0 ? null : ((i % 3) as 1 | 2),
  };
}

forEachTarget((target) => {
  beforeEach(resetData);

  it("returns every field kind as the database stores it, keys in input order", async () => {
    const created = await Item.bulkCreate(Array.from({ length: ITEMS }, (_, i) => itemRow(i)));
    expect(writtenBy()).toEqual([copies(target) ? "COPY" : "INSERT"]);
    expect(created).toHaveLength(ITEMS);
    created.forEach((item, i) => expect(item.name).toBe(`item ${i} ✓`));
    expect(new Set(created.map((item) => item.id)).size).toBe(ITEMS);
    const stored = await Item.all().orderBy("id");
    expect(stored.map((item) => ({ ...item }))).toEqual(
      [...created].sort((a, b) => a.id - b.id).map((item) => ({ ...item })),
    );
    // Values as the database gives them back: scale, case, precision, key order.
    expect(created[1]!.amount).toBe("-1.5000000000");
    expect(created[1]!.uid).toBe("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
    expect(Object.keys(created[1]!.data as object)).toEqual(
      Object.keys(stored.find((s) => s.id === created[1]!.id)!.data as object),
    );
    expect(created[2]!.big).toBe(9_007_199_254_740_995n);
    expect(created[1]!.at).toEqual(new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 1)));
  });

  it("fails whole with the INSERT path's IntegrityError on a unique violation", async () => {
    const rows = Array.from({ length: AUTHORS }, (_, i) => ({
      name: `a${i}`,
      email: i === AUTHORS - 1 ? "a0@example.com" : `a${i}@example.com`,
    }));
    const e = await rejects(Author.bulkCreate(rows));
    expect(e).toMatchObject({ name: "IntegrityError", kind: "unique" });
    expect(await Author.count()).toBe(0);
  });

  it("fails whole with the INSERT path's IntegrityError on a foreign-key violation", async () => {
    const author = await Author.create({ name: "a" });
    takeStatements();
    const rows = Array.from({ length: BOOKS }, (_, i) => ({
      title: `b${i}`,
      authorId: i === 77 ? author.id + 1000 : author.id,
    }));
    const e = await rejects(Book.bulkCreate(rows));
    expect(e).toMatchObject({ name: "IntegrityError", kind: "foreign_key" });
    expect(writtenBy()).toEqual([copies(target) ? "COPY" : "INSERT"]);
    expect(await Book.count()).toBe(0);
  });

  it("runs inside a transaction and rolls back with it", async () => {
    const author = await Author.create({ name: "a" });
    const rows = Array.from({ length: BOOKS }, (_, i) => ({ title: `b${i}`, authorId: author.id }));
    const e = await rejects(
      inTransaction(async () => {
        const books = await Book.bulkCreate(rows);
        expect(await Book.count()).toBe(BOOKS);
        expect(books.map((b) => b.title)).toEqual(rows.map((r) => r.title));
        throw new Error("undo");
      }),
    );
    expect(e).toMatchObject({ message: "undo" });
    expect(await Book.count()).toBe(0);
    takeStatements();
    await inTransaction(() => Book.bulkCreate(rows));
    expect(writtenBy()).toEqual([copies(target) ? "COPY" : "INSERT"]);
    expect(await Book.count()).toBe(BOOKS);
  });

  it("uses INSERT for ON CONFLICT, database defaults, batch sizes and rows one INSERT binds", async () => {
    const author = await Author.create({ name: "a" });
    const rows = (prefix: string, n = BOOKS) =>
      Array.from({ length: n }, (_, i) => ({ title: `${prefix}${i}`, authorId: author.id }));
    const statements = async (write: () => Promise<unknown>) => {
      takeStatements();
      await write();
      return writtenBy();
    };
    const ignoring = () => Book.bulkCreate(rows("a"), { onConflict: { ignore: true } });
    // MySQL cannot skip conflicting rows and read the written ones back (docs/mysql.md).
    if (target.dialect === "mysql") await expect(ignoring()).rejects.toThrow(NotSupportedError);
    else expect(await statements(ignoring)).toEqual(["INSERT"]);
    expect(await statements(() => Book.bulkCreate(rows("b"), { batchSize: 5_000 }))).toEqual([
      "INSERT",
    ]);
    expect(await statements(() => Book.bulkCreate(rows("c", BOOKS - 1)))).toEqual(["INSERT"]);
    let stamps: Stamp[] = [];
    expect(
      await statements(async () => {
        stamps = await Stamp.bulkCreate(
          Array.from({ length: BOOKS }, (_, i) => ({ label: `s${i}` })),
        );
      }),
    ).toEqual(["INSERT"]);
    expect(stamps[0]!.dbScore).toBe(7);
    expect(await Book.count()).toBe((target.dialect === "mysql" ? 2 : 3) * BOOKS - 1);
  });
  if (target.dialect === "postgres") {
    it("returns what a BEFORE INSERT trigger wrote: COPY leaves such tables to INSERT", async () => {
      const author = await Author.create({ name: "a" });
      await YaraOrm.execute(
        "CREATE FUNCTION upper_title() RETURNS trigger LANGUAGE plpgsql AS " +
          "$$ BEGIN NEW.title := upper(NEW.title); RETURN NEW; END $$",
      );
      await YaraOrm.execute(
        "CREATE TRIGGER upper_title BEFORE INSERT ON books FOR EACH ROW EXECUTE FUNCTION upper_title()",
      );
      try {
        takeStatements();
        const rows = Array.from({ length: BOOKS }, (_, i) => ({
          title: `b${i}`,
          authorId: author.id,
        }));
        const books = await Book.bulkCreate(rows);
        expect(writtenBy()).toEqual(["INSERT"]);
        expect(books[5]!.title).toBe("B5");
      } finally {
        await YaraOrm.execute("DROP TRIGGER upper_title ON books");
        await YaraOrm.execute("DROP FUNCTION upper_title()");
      }
    });
  }
});
