// Edge cases a Django/Tortoise/Prisma user relies on, which must behave the same on every
// database: decimals, datetimes, times, IN lists, negation, text, JSON, instances, slicing,
// bulk inserts, getOrCreate and streaming.
import { beforeEach, expect, it } from "vitest";
import { Author, Book, F, inTransaction, Item, Q, ValidationError } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

const rejects = async (p: PromiseLike<unknown>): Promise<unknown> =>
  Promise.resolve(p).then(
    () => undefined,
    (e: unknown) => e,
  );

forEachTarget(() => {
  let ada: Author;
  let grace: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    grace = await Author.create({ name: "Grace" });
  });

  it("orders and compares decimals numerically, negatives and zero included", async () => {
    for (const [title, price] of [
      ["neg", "-10.5"],
      ["zero", "-0.00"],
      ["nine", "9"],
      ["ten", "10"],
      ["big", 1e3],
      ["plus", " +2.50 "],
      ["exp", "1.5e1"],
    ] as const)
      await Book.create({ title, price, author: ada });
    const rows = await Book.all().orderBy("price").valuesList("title", "price");
    expect(rows).toEqual([
      ["neg", "-10.50"],
      ["zero", "0.00"],
      ["plus", "2.50"],
      ["nine", "9.00"],
      ["ten", "10.00"],
      ["exp", "15.00"],
      ["big", "1000.00"],
    ]);
    expect(await Book.filter({ price: "0" }).count()).toBe(1);
    expect(await Book.filter({ price__lt: 0 }).count()).toBe(1);
    expect(await Book.filter({ price__gt: "9.5" }).count()).toBe(3);
  });

  it("compares decimals with values of more places than the column, as numbers", async () => {
    await Book.create({ title: "a", price: "5.00", author: ada });
    await Book.create({ title: "b", price: "5.01", author: ada });
    expect(await Book.filter({ price__lt: "5.005" }).valuesList("title", { flat: true })).toEqual([
      "a",
    ]);
    expect(await Book.filter({ price: "5.001" }).count()).toBe(0);
    expect(await Book.filter({ price: "5.0000" }).count()).toBe(1);
  });

  it("refuses huge decimal exponents as a ValidationError without building huge strings", async () => {
    const e = await rejects(Book.create({ title: "x", price: "1e999999999", author: ada }));
    expect(e).toBeInstanceOf(ValidationError);
    const f = await rejects(Book.filter({ price__gt: "1e-999999999" }));
    expect(f).toBeInstanceOf(ValidationError);
  });

  it("F arithmetic on decimals keeps the scale, never writes -0.00, and keeps NULL", async () => {
    const a = await Book.create({ title: "a", price: "-0.01", author: ada });
    const b = await Book.create({ title: "b", price: null, author: ada });
    const c = await Book.create({ title: "c", price: "2.50", author: ada });
    await Book.all().update({ price: F("price").mul(0.1) });
    expect((await Book.get({ id: a.id })).price).toBe("0.00");
    expect((await Book.get({ id: b.id })).price).toBeNull();
    expect((await Book.get({ id: c.id })).price).toBe("0.25");
    expect(await Book.filter({ price: "0" }).count()).toBe(1);
  });

  it("compares a decimal with an F expression as numbers", async () => {
    await Book.create({ title: "a", price: "2.50", author: ada });
    expect(await Book.filter({ price: F("price").add(0) }).count()).toBe(1);
    expect(await Book.filter({ price: F("price").mul(1) }).count()).toBe(1);
  });

  it("rejects datetimes outside years 1-9999 and compares by milliseconds", async () => {
    const e = await rejects(Item.create({ name: "x", at: new Date("+010000-01-01T00:00:00Z") }));
    expect(e).toBeInstanceOf(ValidationError);
    const old = await Item.create({ name: "old", at: new Date("1901-02-03T04:05:06.007Z") });
    await Item.create({ name: "new", at: new Date("2024-01-01T00:00:00.001Z") });
    expect((await Item.get({ id: old.id })).at).toEqual(new Date("1901-02-03T04:05:06.007Z"));
    expect(
      await Item.filter({ at__lt: new Date("2024-01-01T00:00:00.002Z") })
        .orderBy("-at")
        .valuesList("name", { flat: true }),
    ).toEqual(["new", "old"]);
    expect(await Item.filter({ at__lt: new Date("2024-01-01T00:00:00.001Z") }).count()).toBe(1);
    expect(
      await Item.filter({
        at__range: [new Date("1900-01-01T00:00:00Z"), new Date("1901-02-03T04:05:06.007Z")],
      }).count(),
    ).toBe(1);
  });

  it("keeps autoNowAdd on save", async () => {
    const created = ada.createdAt;
    ada.name = "Ada L.";
    await new Promise((r) => setTimeout(r, 5));
    await ada.save();
    expect((await Author.get({ id: ada.id })).createdAt).toEqual(created);
  });

  it("stores times canonically so equal times match on every database", async () => {
    const item = await Item.create({ name: "t", clock: "12:00:00.500" });
    expect((await Item.get({ id: item.id })).clock).toBe("12:00:00.5");
    expect(await Item.filter({ clock: "12:00:00.5" }).count()).toBe(1);
    expect(await Item.filter({ clock: "12:00:00.50" }).count()).toBe(1);
    const whole = await Item.create({ name: "w", clock: "08:30:00.000" });
    expect((await Item.get({ id: whole.id })).clock).toBe("08:30:00");
    expect(await Item.filter({ clock: "08:30" }).count()).toBe(1);
  });

  it("in lists of booleans, datetimes, bigints, uuids and decimals", async () => {
    const at = new Date("2020-01-01T00:00:00.000Z");
    const uid = "6F9619FF-8B86-D011-B42D-00CF4FC964FF";
    await Item.create({ name: "a", flag: true, at, big: 2n ** 62n, uid, amount: "1.5" });
    await Item.create({ name: "b", flag: false });
    expect(await Item.filter({ flag__in: [true] }).count()).toBe(1);
    expect(await Item.filter({ flag__in: [true, false] }).count()).toBe(2);
    expect(await Item.filter({ at__in: [at] }).count()).toBe(1);
    expect(await Item.filter({ big__in: [2n ** 62n, 1n] }).count()).toBe(1);
    expect(await Item.filter({ uid__in: [uid] }).count()).toBe(1);
    expect(await Item.filter({ amount__in: ["1.50"] }).count()).toBe(1);
    expect(await Item.filter({ level__in: [] }).count()).toBe(0);
    expect(await Item.filter({ uid__not_in: [uid] }).count()).toBe(1);
    expect(await Item.filter({ at__year__in: [2020] }).count()).toBe(1);
  });

  it("exclude with several keys is the complement of filter (De Morgan)", async () => {
    await Book.create({ title: "a", price: "1", author: ada, published: true });
    await Book.create({ title: "b", price: null, author: ada, published: true });
    await Book.create({ title: "c", price: "1", author: grace });
    const where = { price: "1", published: true };
    const inside = await Book.filter(where).valuesList("title", { flat: true });
    const outside = await Book.exclude(where).valuesList("title", { flat: true });
    expect([...inside, ...outside].sort()).toEqual(["a", "b", "c"]);
    expect(inside).toEqual(["a"]);
    const q = Q({ books__title: "a" }).not();
    expect(await Author.filter(q).valuesList("name", { flat: true })).toEqual(["Grace"]);
    expect(await Author.filter(Q.or(q, { name: "Ada" })).count()).toBe(2);
  });

  it("drops empty filters inside Q trees as Django does", async () => {
    await Book.create({ title: "a", author: ada });
    await Book.create({ title: "b", author: ada });
    expect(await Book.filter(Q.or({}, { title: "a" })).count()).toBe(1);
    expect(await Book.filter(Q.and({ title: "a" }, Q.or())).count()).toBe(1);
    expect(await Book.filter(Q({}).not()).count()).toBe(2);
  });

  it("matches %, _ and \\ literally in every text lookup", async () => {
    await Book.create({ title: "50%_off\\now", author: ada });
    await Book.create({ title: "50xxoffanow", author: ada });
    for (const where of [
      { title__contains: "%_" },
      { title__icontains: "%_OFF\\" },
      { title__startswith: "50%" },
      { title__istartswith: "50%_" },
      { title__endswith: "\\now" },
      { title__iendswith: "\\NOW" },
      { title__iexact: "50%_OFF\\NOW" },
    ])
      expect(await Book.filter(where).count()).toBe(1);
  });

  it("startswith and endswith count characters, not UTF-16 units", async () => {
    await Book.create({ title: "😀 smile 😀", author: ada });
    await Book.create({ title: "é", author: ada });
    expect(await Book.filter({ title__startswith: "😀" }).count()).toBe(1);
    expect(await Book.filter({ title__endswith: "e 😀" }).count()).toBe(1);
    expect(await Book.filter({ title__endswith: "😀😀" }).count()).toBe(0);
    expect(await Book.filter({ title__endswith: "xé" }).count()).toBe(0);
    expect(await Book.filter({ title__contains: "😀 s" }).count()).toBe(1);
    expect(await Book.filter({ title__istartswith: "😀 SMILE" }).count()).toBe(1);
  });

  it("JSON fields: equality on a JSON value is refused clearly, isnull works", async () => {
    await Item.create({ name: "j", data: { a: 1, b: 2 } });
    await Item.create({ name: "n" });
    const e = await rejects(Item.filter({ data: { b: 2, a: 1 } }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(await Item.filter({ data__isnull: true }).count()).toBe(1);
    expect(await Item.filter({ data: null }).count()).toBe(1);
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
    const byRelation = await Book.filter({ id: book.id }).only("author").get();
    expect(byRelation.authorId).toBe(ada.id);
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

  it("slicing: limit(0), bad limits, offset without limit, first() and exists() respect limit", async () => {
    for (const title of ["a", "b", "c"]) await Book.create({ title, author: ada });
    expect(await Book.all().limit(0)).toEqual([]);
    for (const n of [-1, Number.NaN, 1.5, Infinity])
      expect(await rejects(Book.all().limit(n))).toBeInstanceOf(ValidationError);
    expect(
      await Book.all().orderBy("title").offset(1).valuesList("title", { flat: true }),
    ).toEqual(["b", "c"]);
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
    const again = await Book.bulkCreate(
      [
        { title: "t0", author: ada },
        { title: "new", author: ada },
      ],
      { onConflict: { ignore: true } },
    );
    expect(again.map((b) => b.title)).toEqual(["new"]);
    const upsert = await Book.bulkCreate([{ title: "t1", price: "7", author: ada }], {
      onConflict: { update: ["price"], conflict: ["title", "author"] },
    });
    expect(upsert.map((b) => [b.title, b.price])).toEqual([["t1", "7.00"]]);
  });

  it("getOrCreate with lookups never writes a lookup key as a field", async () => {
    await Author.create({ name: "Linus" });
    const [found, created] = await Author.getOrCreate({ name__iexact: "LINUS" });
    expect([found.name, created]).toEqual(["Linus", false]);
    const [made, made2] = await Author.getOrCreate({ name__iexact: "Ken" }, { name: "Ken" });
    expect([made.name, made2]).toEqual(["Ken", true]);
  });

  it("streams thousands of rows, stops early, and works inside a transaction", async () => {
    await Book.bulkCreate(Array.from({ length: 2_500 }, (_, i) => ({ title: `t${i}`, author: ada })));
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
