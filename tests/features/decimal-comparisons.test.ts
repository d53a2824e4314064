/**
 * Computed decimals — arithmetic over a decimal field, its aggregates, a cast to decimal — filter
 * and exclude as numbers on every database. SQLite stores decimals as canonical text and
 * computes them as REAL or as text of the result's places, neither of which compares with a
 * bound "15" as Postgres' NUMERIC does: `filter({ total__gt: "9" })` matched nothing there, and
 * `exclude()` of it kept every row.
 *
 * Min, Max and Sum of a decimal are exact on every database: on SQLite they read the stored text
 * as REALs, so a 30-digit value came back as "12345678901234570000.0000000000" (never stored)
 * even from one row; Avg is the double nearest to the exact average.
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Avg, Book, Cast, F, Item, Max, Min, Subquery, Sum } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget((target) => {
  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    const bo = await Author.create({ name: "Bo" });
    await Book.create({ title: "t1", price: "10.00", author: ada });
    await Book.create({ title: "t2", price: "5.00", author: ada });
    await Book.create({ title: "t3", price: "0.50", author: bo });
  });

  const titles = (q: PromiseLike<string[]>): PromiseLike<string[]> => q.then((t) => [...t].sort());

  it("arithmetic over a decimal compares with a decimal string as a number", async () => {
    const doubled = Book.annotate({ twice: F("price").mul(2) });
    expect(
      await titles(doubled.filter({ twice__gt: "1" }).valuesList("title", { flat: true })),
    ).toEqual(["t1", "t2"]);
    expect(
      await titles(doubled.filter({ twice: "20" }).valuesList("title", { flat: true })),
    ).toEqual(["t1"]);
    expect(
      await titles(doubled.filter({ twice__lte: "10.0" }).valuesList("title", { flat: true })),
    ).toEqual(["t2", "t3"]);
    expect(
      await titles(
        doubled.filter({ twice__in: ["1", "20.000"] }).valuesList("title", { flat: true }),
      ),
    ).toEqual(["t1", "t3"]);
    expect(
      await titles(doubled.exclude({ twice__gt: "1" }).valuesList("title", { flat: true })),
    ).toEqual(["t3"]);
    expect(
      await titles(doubled.filter({ twice: F("price") }).valuesList("title", { flat: true })),
    ).toEqual([]);
  });

  it("aggregates of a decimal filter, exclude and group as numbers", async () => {
    const totals = Author.annotate({ total: Sum("books__price") });
    expect(await totals.filter({ total__gt: "9" }).valuesList("name", { flat: true })).toEqual([
      "Ada",
    ]);
    expect(await totals.filter({ total: "15" }).valuesList("name", { flat: true })).toEqual([
      "Ada",
    ]);
    expect(await totals.filter({ total: "0.5" }).valuesList("name", { flat: true })).toEqual([
      "Bo",
    ]);
    expect(await totals.exclude({ total__gt: "9" }).valuesList("name", { flat: true })).toEqual([
      "Bo",
    ]);
    expect(await totals.filter({ total__in: ["15", "0.50"] }).count()).toBe(2);
    const highest = Author.annotate({ top: Max("books__price") });
    expect(await highest.filter({ top__lt: "6" }).valuesList("name", { flat: true })).toEqual([
      "Bo",
    ]);
    const perAuthor = await Book.annotate({ total: Sum("price") })
      .groupBy("author__name")
      .filter({ total__lt: "2" })
      .values("author__name", "total");
    expect(perAuthor).toEqual([{ author__name: "Bo", total: "0.50" }]);
  });

  it("a cast to decimal compares as a number", async () => {
    const cast = Book.annotate({ whole: Cast("price", "decimal(10, 0)") });
    expect(await titles(cast.filter({ whole: "10" }).valuesList("title", { flat: true }))).toEqual([
      "t1",
    ]);
    expect(
      await titles(cast.filter({ whole__gte: "5" }).valuesList("title", { flat: true })),
    ).toEqual(["t1", "t2"]);
  });

  // Item.amount is a DecimalField({ maxDigits: 30, decimalPlaces: 10 }).
  const WIDE = "12345678901234567890.1234567890";
  const TOP = "99999999999999999999.9999999999";
  const aggregates = {
    mx: Max("amount"),
    mn: Min("amount"),
    s: Sum("amount"),
  };

  it("Min, Max and Sum of wide decimals are exact, from a single row too", async () => {
    await Item.create({ name: "a", amount: WIDE });
    expect(await Item.all().annotate(aggregates).values("mx", "mn", "s")).toEqual([
      { mx: WIDE, mn: WIDE, s: WIDE },
    ]);
    await Item.create({ name: "b", amount: TOP });
    await Item.create({ name: "c", amount: "-0.0000000001" });
    await Item.create({ name: "d", amount: null });
    await Item.create({ name: "e", amount: "-12345678901234567890.1234567891" });
    expect(await Item.all().annotate(aggregates).values("mx", "mn", "s")).toEqual([
      { mx: TOP, mn: "-12345678901234567890.1234567891", s: "99999999999999999999.9999999997" },
    ]);
    // Two of the greatest: a sum with more digits than the field has, still exact.
    await Item.create({ name: "f", amount: TOP });
    const [sum] = await Item.all()
      .annotate({ s: Sum("amount") })
      .valuesList("s", { flat: true });
    expect(sum).toBe("199999999999999999999.9999999996");
    // Compared as numbers, as any aggregate of a decimal.
    expect(
      await Item.annotate({ s: Sum("amount") })
        .groupBy("name")
        .filter({ s__gt: "9" })
        .orderBy("name")
        .valuesList("name", { flat: true }),
    ).toEqual(["a", "b", "f"]);
    expect(
      await Item.annotate({ mn: Min("amount") })
        .groupBy("name")
        .filter({ mn__lt: "0" })
        .orderBy("name")
        .valuesList("name", { flat: true }),
    ).toEqual(["c", "e"]);
  });

  it("Min, Max and Sum of negative decimals, NULLs and no rows", async () => {
    await Item.create({ name: "a", amount: "-0.5000000000" });
    await Item.create({ name: "b", amount: `-${TOP}` });
    await Item.create({ name: "c", amount: "-0.4999999999" });
    expect(await Item.all().annotate(aggregates).values("mx", "mn", "s")).toEqual([
      { mx: "-0.4999999999", mn: `-${TOP}`, s: "-100000000000000000000.9999999998" },
    ]);
    // A sum back to zero is "0" at the field's places, never "-0".
    await Item.create({ name: "d", amount: TOP });
    await Item.create({ name: "e", amount: "0.9999999999" });
    expect(
      await Item.all()
        .annotate({ s: Sum("amount") })
        .valuesList("s", { flat: true }),
    ).toEqual(["0.0000000000"]);
    // Only NULLs, and no rows at all: NULL.
    await Item.create({ name: "n", amount: null });
    const none = { mx: null, mn: null, s: null, avg: null };
    const all = { ...aggregates, avg: Avg("amount") };
    expect(await Item.filter({ name: "n" }).annotate(all).values("mx", "mn", "s", "avg")).toEqual([
      none,
    ]);
    expect(
      await Item.filter({ name: "none" }).annotate(all).values("mx", "mn", "s", "avg"),
    ).toEqual([none]);
  });

  it("distinct, filter and groupBy apply to the exact aggregates", async () => {
    await Item.bulkCreate([
      { name: "p", amount: WIDE },
      { name: "p", amount: WIDE },
      { name: "p", amount: "0.0000000001" },
      { name: "q", amount: TOP },
      { name: "q", amount: null },
      { name: "r", amount: null },
    ]);
    const [row] = await Item.all()
      .annotate({
        s: Sum("amount"),
        once: Sum("amount", { distinct: true }),
        p: Sum("amount", { filter: { name: "p" } }),
        pOnce: Sum("amount", { distinct: true, filter: { name: "p" } }),
        qMax: Max("amount", { filter: { name: "q" } }),
        pMin: Min("amount", { filter: { name: "p" } }),
        none: Max("amount", { filter: { name: "r" } }),
      })
      .values("s", "once", "p", "pOnce", "qMax", "pMin", "none");
    expect(row).toEqual({
      s: "124691357802469135780.2469135780",
      once: "112345678901234567890.1234567890",
      p: "24691357802469135780.2469135781",
      pOnce: "12345678901234567890.1234567891",
      qMax: TOP,
      pMin: "0.0000000001",
      none: null,
    });
    expect(
      await Item.annotate(aggregates)
        .groupBy("name")
        .orderBy("name")
        .values("name", "mx", "mn", "s"),
    ).toEqual([
      { name: "p", mx: WIDE, mn: "0.0000000001", s: "24691357802469135780.2469135781" },
      { name: "q", mx: TOP, mn: TOP, s: TOP },
      { name: "r", mx: null, mn: null, s: null },
    ]);
  });

  it("an update writes an exact aggregate of the field's places as it is", async () => {
    await Item.create({ name: "a", amount: WIDE });
    await Item.create({ name: "b", amount: "1.0000000001" });
    await Item.create({ name: "t", amount: null });
    const of = (q: ReturnType<typeof Item.filter>) =>
      q.annotate({ s: Sum("amount"), mx: Max("amount") });
    await Item.filter({ name: "t" }).update({
      amount: Subquery(of(Item.filter({ name__in: ["a", "b"] })).values("s")),
    });
    expect(await Item.filter({ name: "t" }).valuesList("amount", { flat: true })).toEqual([
      "12345678901234567891.1234567891",
    ]);
    await Item.filter({ name: "b" }).update({
      amount: Subquery(of(Item.filter({ name: "a" })).values("mx")),
    });
    expect(await Item.filter({ name: "b" }).valuesList("amount", { flat: true })).toEqual([WIDE]);
  });

  it("over a to-many relation: exact Sum, Min and Max, distinct and filtered", async () => {
    const cy = await Author.create({ name: "Cy" });
    await Book.create({ title: "w1", price: "99999999.99", author: cy });
    await Book.create({ title: "w2", price: "99999999.99", author: cy, published: true });
    await Book.create({ title: "w3", price: "-0.01", author: cy });
    const rows = await Author.annotate({
      total: Sum("books__price"),
      once: Sum("books__price", { distinct: true }),
      published: Sum("books__price", { filter: { books__published: true } }),
      top: Max("books__price"),
      low: Min("books__price"),
    })
      .orderBy("name")
      .valuesList("name", "total", "once", "published", "top", "low");
    expect(rows).toEqual([
      ["Ada", "15.00", "15.00", null, "10.00", "5.00"],
      ["Bo", "0.50", "0.50", null, "0.50", "0.50"],
      ["Cy", "199999999.97", "99999999.98", "99999999.99", "99999999.99", "-0.01"],
    ]);
  });

  it("Avg of decimals is the double nearest to the exact average", async () => {
    const di = await Author.create({ name: "Di" });
    for (const [i, price] of ["0.10", "0.20", "0.30", "99999999.99", "0.01"].entries())
      await Book.create({ title: `a${i}`, price, author: di });
    // The doubles summed then divided give 20000000.119999997 (MariaDB's AVG of the values cast
    // to DOUBLE did); every database divides the exact sum (dialect/mysql/compiler.ts).
    const nearest = (values: unknown[], expected: number): void => {
      expect(values.length).toBeGreaterThan(0);
      for (const v of values) expect(v).toBe(expected);
    };
    nearest(
      await Author.filter({ name: "Di" })
        .annotate({ avg: Avg("books__price") })
        .valuesList("avg", { flat: true }),
      20000000.12,
    );
    const [both] = await Book.filter({ author: di })
      .annotate({ avg: Avg("price"), once: Avg("price", { distinct: true }) })
      .valuesList("avg", "once");
    nearest(both!, 20000000.12);
    await Item.bulkCreate([
      { name: "a", amount: WIDE },
      { name: "b", amount: WIDE },
      { name: "c", amount: "0.0000000003" },
    ]);
    // (2 · WIDE + 3e-10) / 3, to the nearest double.
    nearest(
      await Item.all()
        .annotate({ avg: Avg("amount") })
        .valuesList("avg", { flat: true }),
      8230452600823045000,
    );
  });
});
