// Edge cases of instances and query sets a Django/Tortoise/Prisma user relies on, which must
// behave the same on every database: partial instances, update/delete, slicing, bulk inserts,
// getOrCreate/updateOrCreate and streaming.
import { beforeEach, expect, it } from "vitest";
import {
  Author,
  Book,
  F,
  inTransaction,
  Item,
  NotSupportedError,
  Tag,
  Ticket,
  ValidationError,
} from "./generated/index.js";
import { currentDriver } from "../../runtime/transaction.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  let ada: Author;
  let grace: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
  });

  it("only() instances save without touching unloaded fields", async () => {
    const book = await Book.create({ title: "t", price: "9.99", author: ada, published: true });
    const partial = await Book.filter({ id: book.id }).only("title").get();
    partial.title = "t2";
    await partial.save();
    const fresh = await Book.get({ id: book.id });
    expect([fresh.title, fresh.price, fresh.published, fresh.authorId]).toEqual([
      "t2",
      "9.99",
      true,
      ada.id,
    ]);
    const byKey = await Book.filter({ id: book.id }).only("authorId").get();
    expect([byKey.authorId, byKey.title]).toEqual([ada.id, undefined]);
    // @ts-expect-error only() takes own fields and to-one relations, not paths
    const related = await rejects(Book.all().only("author__name"));
    expect((related as Error).name).toBe("FieldError");
  });

  it("refreshFromDb on a deleted row is DoesNotExist; delete twice is harmless", async () => {
    const book = await Book.create({ title: "t", author: ada });
    await book.delete();
    await book.delete();
    const e = await rejects(book.refreshFromDb());
    expect((e as Error).name).toBe("DoesNotExist");
  });

  it("update: empty data, a relation instance, the key, through a join", async () => {
    const book = await Book.create({ title: "t", author: ada });
    expect(await Book.all().update({})).toBe(0);
    expect(await Book.filter({ id: book.id }).update({ author: grace })).toBe(1);
    expect((await Book.get({ id: book.id })).authorId).toBe(grace.id);
    expect(await Book.filter({ author__name: "Grace" }).update({ title: "g" })).toBe(1);
    expect(await Book.filter({ id: book.id }).update({ id: book.id + 100 })).toBe(1);
    expect(await Book.filter({ id: book.id + 100 }).count()).toBe(1);
    expect(await Book.filter({ author__name: "Grace" }).delete()).toBe(1);
  });

  it("update() and delete() after limit() or offset() touch only the rows of the slice", async () => {
    // MariaDB refuses LIMIT inside IN (SELECT …); the slice is read through a derived table.
    for (const [title, author] of [
      ["a", ada],
      ["b", grace],
      ["c", ada],
      ["d", grace],
      ["e", grace],
    ] as const)
      await Book.create({ title, author, price: "1.00" });
    const state = () => Book.all().orderBy("title").valuesList("title", "price", "published");
    expect(await Book.all().orderBy("title").limit(2).update({ published: true })).toBe(2);
    expect(await Book.all().orderBy("title").offset(1).limit(2).update({ price: "2.00" })).toBe(2);
    expect(await Book.all().orderBy("title").offset(4).update({ price: "4.00" })).toBe(1);
    const lastOfGrace = Book.filter({ author__name: "Grace" }).orderBy("-title").limit(1);
    expect(await lastOfGrace.update({ price: F("price").add(10) })).toBe(1);
    expect(await state()).toEqual([
      ["a", "1.00", true],
      ["b", "2.00", true],
      ["c", "2.00", false],
      ["d", "1.00", false],
      ["e", "14.00", false],
    ]);
    expect(await Book.all().orderBy("title").limit(0).update({ price: "9.00" })).toBe(0);
    // A filter on a sliced query, and delete() after a slice, take the same path.
    const sliced = Book.all().orderBy("title").offset(1).limit(2).valuesList("id", { flat: true });
    expect(
      await Book.filter({ id__in: sliced }).orderBy("title").valuesList("title", { flat: true }),
    ).toEqual(["b", "c"]);
    expect(await Book.filter({ author__name: "Grace" }).orderBy("title").limit(2).delete()).toBe(2);
    expect(await Book.all().orderBy("title").valuesList("title", { flat: true })).toEqual([
      "a",
      "c",
      "e",
    ]);
  });

  it("slicing: limit(0), bad limits, offset without limit, first() and exists() respect limit", async () => {
    for (const title of ["a", "b", "c"]) await Book.create({ title, author: ada });
    expect(await Book.all().limit(0)).toEqual([]);
    for (const n of [-1, Number.NaN, 1.5, Infinity])
      expect(await rejects(Book.all().limit(n))).toBeInstanceOf(ValidationError);
    expect(await Book.all().orderBy("title").offset(1).valuesList("title", { flat: true })).toEqual(
      ["b", "c"],
    );
    expect(await Book.all().limit(0).first()).toBeNull();
    expect(await Book.all().limit(0).exists()).toBe(false);
    expect(await Book.all().limit(2).count()).toBe(2);
    expect(await Book.all().offset(2).count()).toBe(1);
    expect(await Book.all().values("title").distinct().count()).toBe(3);
    expect(await Book.all().orderBy("title").values("title").first()).toEqual({ title: "a" });
    expect(Object.keys((await Book.all().values())[0]!).sort()).toEqual(
      ["authorId", "id", "price", "published", "title"].sort(),
    );
  });

  it("values through relations decode datetimes and bigints", async () => {
    await Book.create({ title: "t", author: ada });
    const [row] = await Book.all().valuesList("author__createdAt", "author__id");
    expect(row![0]).toBeInstanceOf(Date);
    expect(row![0]).toEqual(ada.createdAt);
  });

  it("bulkCreate: empty, mixed key sets with defaults, bad batch sizes", async () => {
    expect(await Book.bulkCreate([])).toEqual([]);
    const rows = await Book.bulkCreate([
      { title: "a", author: ada, price: "1" },
      { title: "b", author: ada },
      { title: "c", author: ada, published: true },
    ]);
    expect(rows.map((b) => [b.title, b.price, b.published])).toEqual([
      ["a", "1.00", false],
      ["b", null, false],
      ["c", null, true],
    ]);
    for (const batchSize of [0, -1, Number.NaN, 1.5]) {
      const e = await rejects(Book.bulkCreate([{ title: "z", author: ada }], { batchSize }));
      expect(e).toBeInstanceOf(ValidationError);
    }
    expect(await Book.filter({ title: "z" }).count()).toBe(0);
  });

  it("bulkCreate chunks past the bind-parameter limit and handles conflicts", async () => {
    const many = Array.from({ length: 14_000 }, (_, i) => ({
      title: `t${i}`,
      price: "1",
      author: ada,
      published: i % 2 === 0,
    }));
    const rows = await Book.bulkCreate(many);
    expect(rows.length).toBe(14_000);
    expect(rows[13_999]!.title).toBe("t13999");
    expect(await Book.all().count()).toBe(14_000);
    const ignoring = Book.bulkCreate(
      [
        { title: "t0", author: ada },
        { title: "new", author: ada },
      ],
      { onConflict: { ignore: true } },
    );
    if (target.dialect === "mysql") {
      // MySQL cannot skip conflicting rows and return only the written ones: refused, nothing written.
      const error = await rejects(ignoring);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as Error).message).toMatch(/onConflict: \{ ignore: true \}.*MySQL/);
      expect(await Book.filter({ title: "new" }).count()).toBe(0);
    } else {
      expect((await ignoring).map((b) => b.title)).toEqual(["new"]);
    }
    const upsert = await Book.bulkCreate([{ title: "t1", price: "7", author: ada }], {
      onConflict: { update: ["price"], conflict: ["title", "author"] },
    });
    expect(upsert.map((b) => [b.title, b.price])).toEqual([["t1", "7.00"]]);
  });

  it("bulkCreate upserts refuse a conflict key listed twice, before any SQL", async () => {
    await Ticket.all().delete();
    await Tag.create({ name: "d1" });
    takeStatements();
    const refusal = async (upsert: Promise<unknown>) => {
      const e = await rejects(upsert);
      expect(e).toBeInstanceOf(ValidationError);
      expect(takeStatements()).toEqual([]);
      return e as ValidationError;
    };
    const twice = await refusal(
      Tag.bulkCreate([{ name: "d0" }, { name: "d1" }, { name: "d2" }, { name: "d1" }], {
        onConflict: { update: ["name"], conflict: ["name"] },
      }),
    );
    expect([twice.model, twice.field]).toEqual(["Tag", "name"]);
    expect(twice.message).toBe(
      "Tag: bulkCreate() rows 1 and 3 have the same conflict key (name); an upsert writes " +
        "each row once per call: merge them, or send them in separate calls",
    );
    // Also when the rows would go in separate statements (which Postgres would run).
    await refusal(
      Tag.bulkCreate([{ name: "d1" }, { name: "d1" }], {
        onConflict: { update: ["name"], conflict: ["name"] },
        batchSize: 1,
      }),
    );
    // The primary key by default; a relation given as an instance or as its key.
    const byKey = await refusal(
      Tag.bulkCreate(
        [
          { id: 7, name: "a" },
          { id: 7, name: "b" },
        ],
        {
          onConflict: { update: ["name"] },
        },
      ),
    );
    expect(byKey.message).toContain("rows 0 and 1 have the same conflict key (id)");
    const pair = await refusal(
      Book.bulkCreate(
        [
          { title: "t", author: ada },
          { title: "t", authorId: ada.id },
        ],
        {
          onConflict: { update: ["price"], conflict: ["title", "author"] },
        },
      ),
    );
    expect(pair.message).toContain("(title, author)");
    expect(pair.field).toBeUndefined();
    // Values the database holds equal: a UUID in either case, a Date's instant, the canonical
    // decimal, an integer as a number or a bigint (compared before any SQL, so these columns
    // need no unique index to show it).
    const uid = "0b7a4c2e-8f1d-4c3b-9a6e-5d2f1e0c9b8a";
    await refusal(
      Ticket.bulkCreate(
        [
          { id: uid.toUpperCase(), title: "a" },
          { id: uid, title: "b" },
        ],
        {
          onConflict: { update: ["title"] },
        },
      ),
    );
    const at = new Date("2024-05-01T12:00:00Z");
    const same: Array<[Partial<Item>, Partial<Item>, string]> = [
      [{ at }, { at: new Date(at.getTime()) }, "at"],
      [{ amount: "1.5" }, { amount: "01.50" }, "amount"],
      [{ big: 5n }, { big: 5 as unknown as bigint }, "big"],
    ];
    for (const [a, b, field] of same) {
      const e = await refusal(
        Item.bulkCreate(
          [
            { name: "a", ...a },
            { name: "b", ...b },
          ] as never,
          {
            onConflict: { update: ["name"], conflict: [field as "at"] },
          },
        ),
      );
      expect(e.field).toBe(field);
    }
    expect(await Tag.all().valuesList("name", { flat: true })).toEqual(["d1"]);
    // NULL never conflicts (a UNIQUE column holds any number of NULLs): both rows are written.
    const nulls = await Ticket.bulkCreate(
      [
        { title: "a", code: null },
        { title: "b", code: null },
      ],
      { onConflict: { update: ["title"], conflict: ["code"] } },
    );
    expect(nulls.map((t) => t.title)).toEqual(["a", "b"]);
    expect(await Ticket.filter({ code: null }).count()).toBe(2);
    // ignore: a row repeating an earlier row's key is skipped like any conflicting row, the
    // same on every database that can skip (MySQL refuses ignore, docs/mysql.md).
    const ignoring = Tag.bulkCreate([{ name: "i1" }, { name: "i1" }, { name: "i2" }], {
      onConflict: { ignore: true, conflict: ["name"] },
    });
    if (target.dialect === "mysql") {
      expect(await rejects(ignoring)).toBeInstanceOf(NotSupportedError);
    } else {
      expect((await ignoring).map((t) => t.name)).toEqual(["i1", "i2"]);
      expect(await Tag.filter({ name__startswith: "i" }).count()).toBe(2);
    }
  });

  it("bulkCreate chunks wide rows by the driver's bind-parameter ceiling", async () => {
    const ceiling = currentDriver().maxParams;
    const rows = Array.from({ length: 5_000 }, (_, i) => ({
      name: `n${i}`,
      big: BigInt(i) * 2n ** 40n,
      body: "b",
      ratio: i / 3,
      amount: "1.5",
      day: "2024-01-02",
      uid: "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
      data: { i },
    }));
    takeStatements();
    const made = await Item.bulkCreate(rows);
    expect(made.length).toBe(5_000);
    expect(made[4_999]!.big).toBe(4_999n * 2n ** 40n);
    expect(await Item.filter({ amount: "1.5", data__isnull: false }).count()).toBe(5_000);
    const sent = takeStatements();
    if (target.dialect === "postgres" && target.driver === "native") {
      // One COPY, which has no parameter ceiling (runtime/model/bulk-copy.ts).
      expect(sent.map((s) => s.sql.split(" ")[0])).toEqual(["COPY", "SELECT"]);
      expect(sent[0]!.params).toHaveLength(5_000 * 16);
      return;
    }
    // 16 columns a row, 80 000 parameters: two statements on pg (65 535), three elsewhere.
    const inserts = sent.filter((s) => s.sql.startsWith("INSERT"));
    const width = inserts.reduce((n, s) => n + s.params.length, 0) / 5_000;
    expect(width).toBe(16);
    expect(inserts.length).toBe(Math.ceil(5_000 / Math.floor(ceiling / width)));
    for (const insert of inserts) expect(insert.params.length).toBeLessThanOrEqual(ceiling);
  });

  it("an `in` list longer than the driver's parameter ceiling is one bound parameter", async () => {
    const [a, b] = await Book.bulkCreate([
      { title: "a", author: ada },
      { title: "b", author: ada },
    ]);
    const ids = [...Array.from({ length: 70_000 }, (_, i) => -1 - i), b!.id];
    expect(ids.length).toBeGreaterThan(currentDriver().maxParams);
    takeStatements();
    expect((await Book.filter({ id__in: ids })).map((x) => x.title)).toEqual(["b"]);
    expect((await Book.exclude({ id__in: ids })).map((x) => x.id)).toEqual([a!.id]);
    expect(await Book.filter({ id__in: ids }).update({ title: "b2" })).toBe(1);
    for (const { params } of takeStatements()) expect(params.length).toBeLessThanOrEqual(2);
  });

  it("getOrCreate with lookups never writes a lookup key as a field", async () => {
    await Author.create({ name: "Linus" });
    const [found, created] = await Author.getOrCreate({ name__iexact: "LINUS" });
    expect([found.name, created]).toEqual(["Linus", false]);
    const [made, made2] = await Author.getOrCreate({ name__iexact: "Ken" }, { name: "Ken" });
    expect([made.name, made2]).toEqual(["Ken", true]);
  });

  it("streams thousands of rows, stops early, and works inside a transaction", async () => {
    await Book.bulkCreate(
      Array.from({ length: 2_500 }, (_, i) => ({ title: `t${i}`, author: ada })),
    );
    let n = 0;
    for await (const _ of Book.all()) if (++n === 1_500) break;
    expect(n).toBe(1_500);
    const seen = new Set<number>();
    for await (const b of Book.all().orderBy("title")) seen.add(b.id);
    expect(seen.size).toBe(2_500);
    const count = await inTransaction(async () => {
      let k = 0;
      for await (const _ of Book.filter({ title__startswith: "t1" })) k++;
      return k;
    });
    expect(count).toBe(await Book.filter({ title__startswith: "t1" }).count());
    expect(await Book.all().count()).toBe(2_500);
  });

  it("the same query set awaited twice and in Promise.all", async () => {
    await Book.create({ title: "a", author: ada });
    const qs = Book.filter({ title: "a" });
    expect((await qs).length).toBe(1);
    expect((await qs).length).toBe(1);
    const [x, y, z] = await Promise.all([qs, qs.count(), qs.exists()]);
    expect([x.length, y, z]).toEqual([1, 1, true]);
  });
});

forEachTarget(() => {
  beforeEach(resetData);

  it("getOrCreate by pk creates the row with that key", async () => {
    const [tag, created] = await Tag.getOrCreate({ pk: 41 }, { name: "x" });
    expect([tag.id, tag.name, created]).toEqual([41, "x", true]);
    const [again, created2] = await Tag.getOrCreate({ pk: 41 }, { name: "y" });
    expect([again.name, created2]).toEqual(["x", false]);
  });

  it("streams distinct values like awaiting them", async () => {
    const ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate(
      Array.from({ length: 30 }, (_, i) => ({ title: `t${i}`, price: String(i % 3), author: ada })),
    );
    const query = Book.all().values("price").distinct();
    const streamed: unknown[] = [];
    for await (const row of query) streamed.push(row.price);
    expect(streamed.sort()).toEqual(["0.00", "1.00", "2.00"]);
    expect((await query).length).toBe(3);
    const flat: unknown[] = [];
    for await (const p of Book.all()
      .orderBy("price")
      .valuesList("price", { flat: true })
      .distinct())
      flat.push(p);
    expect(flat).toEqual(["0.00", "1.00", "2.00"]);
    expect(await query.first()).toEqual({ price: "0.00" });
    await Author.create({ name: "Aaron" });
    expect(await Author.all().values("name").distinct().first()).toEqual({ name: "Aaron" });
  });

  it("saving an only() instance whose row is gone is DoesNotExist, not a row of defaults", async () => {
    const ada = await Author.create({ name: "Ada" });
    const book = await Book.create({ title: "t", price: "5", author: ada, published: true });
    const partial = await Book.filter({ id: book.id }).only("title").get();
    await book.delete();
    expect(((await rejects(partial.save())) as Error).name).toBe("DoesNotExist");
    expect(await Book.all().count()).toBe(0);
    await book.save(); // a whole instance is inserted again, as documented
    expect((await Book.get({ id: book.id })).published).toBe(true);
  });

  it("updateOrCreate with lookups in the filter and an existing row", async () => {
    const [made, created] = await Author.updateOrCreate({ name: "Ada" }, { email: "a@x.org" });
    expect([made.email, created]).toEqual(["a@x.org", true]);
    const [found, created2] = await Author.updateOrCreate(
      { name__iexact: "ADA" },
      { email: "b@x.org" },
    );
    expect([found.id, found.email, created2]).toEqual([made.id, "b@x.org", false]);
  });
});
