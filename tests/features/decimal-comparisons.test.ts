/**
 * Computed decimals — arithmetic over a decimal field, its aggregates, a cast to decimal — filter
 * and exclude as numbers on every database. SQLite stores decimals as canonical text and
 * computes them as REAL or as text of the result's places, neither of which compares with a
 * bound "15" as Postgres' NUMERIC does: `filter({ total__gt: "9" })` matched nothing there, and
 * `exclude()` of it kept every row.
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Book, Cast, F, Max, Sum } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget(() => {
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
});
