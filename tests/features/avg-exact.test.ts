/**
 * `Avg` of decimals and integers is the double nearest their exact average on every database.
 * MariaDB averaged them as doubles (`AVG(CAST(x AS DOUBLE))`): each value rounded to a double,
 * the doubles summed, so 99999999.99 with cents averaged to 20000000.119999997 where Postgres'
 * NUMERIC average and SQLite's exact one give 20000000.12; and `CAST(AVG(x) AS DOUBLE)` is no
 * better there (the DECIMAL sum converted to a double, then divided). It now divides the exact
 * DECIMAL sum by the count, at 30 more places, and converts that (dialect/mysql/compiler.ts).
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Avg, Book, Count, F, Item, Sum } from "./generated/index.js";
import { forEachTarget, resetData, type Target } from "./harness.js";

// Their doubles sum to 100000000.59999999 (not .6), so divided by 5 they give 20000000.119999997.
const PRICES = ["0.10", "0.20", "0.30", "99999999.99", "0.01"];
const AVERAGE = 20000000.12;

forEachTarget((target: Target) => {
  let di: Author;

  beforeEach(async () => {
    await resetData();
    di = await Author.create({ name: "Di" });
    const bo = await Author.create({ name: "Bo" });
    await Book.bulkCreate([
      ...PRICES.map((price, i) => ({ title: `d${i}`, price, author: di })),
      { title: "b0", price: "0.01", author: bo },
      { title: "b1", price: "0.02", author: bo },
      { title: "b2", price: "0.02", author: bo },
      { title: "b3", price: null, author: bo },
    ]);
  });

  it("of a decimal field over the whole table, distinct and filtered", async () => {
    const [row] = await Book.filter({ author: di })
      .annotate({
        avg: Avg("price"),
        once: Avg("price", { distinct: true }),
        di: Avg("price", { filter: { title__startswith: "d" } }),
      })
      .values("avg", "once", "di");
    expect(row).toEqual({ avg: AVERAGE, once: AVERAGE, di: AVERAGE });
    // Cents whose average has no end: 0.05 / 3, NULLs left out.
    expect(
      await Book.filter({ author__name: "Bo" })
        .annotate({ avg: Avg("price") })
        .valuesList("avg", { flat: true }),
    ).toEqual([0.05 / 3]);
  });

  it("per group, and compared in HAVING as the same double", async () => {
    const grouped = Book.annotate({ avg: Avg("price") }).groupBy("author__name");
    expect(await grouped.orderBy("author__name").valuesList("author__name", "avg")).toEqual([
      ["Bo", 0.05 / 3],
      ["Di", AVERAGE],
    ]);
    expect(
      await grouped.filter({ avg: AVERAGE }).valuesList("author__name", { flat: true }),
    ).toEqual(["Di"]);
    expect(
      await grouped.filter({ avg__gte: AVERAGE }).valuesList("author__name", { flat: true }),
    ).toEqual(["Di"]);
    expect(
      await grouped.exclude({ avg: AVERAGE }).valuesList("author__name", { flat: true }),
    ).toEqual(["Bo"]);
  });

  it("over a to-many relation, selected and filtered", async () => {
    const authors = Author.annotate({ avg: Avg("books__price") });
    expect(await authors.orderBy("name").valuesList("name", "avg")).toEqual([
      ["Bo", 0.05 / 3],
      ["Di", AVERAGE],
    ]);
    expect(await authors.filter({ avg: AVERAGE }).valuesList("name", { flat: true })).toEqual([
      "Di",
    ]);
    const [withAvg] = await Author.filter({ name: "Di" }).annotate({ avg: Avg("books__price") });
    expect(withAvg!.avg).toBe(AVERAGE);
  });

  it("of an expression, filtered: its values bound in the order of the SQL", async () => {
    await Item.bulkCreate([
      { name: "a", small: 1 },
      { name: "b", small: 2 },
      { name: "c", small: 4 },
    ]);
    // MariaDB spells the filter CASE WHEN <filter> THEN <value> END, and bound the value's
    // parameters before the filter's: the name compared with 10, 10 added to "b".
    const only = { filter: { name__in: ["b", "c"] } };
    const [row] = await Item.all()
      .annotate({
        avg: Avg(F("small").add(10), only),
        sum: Sum(F("small").add(10), only),
        n: Count(F("small").add(10), only),
      })
      .values("avg", "sum", "n");
    expect(row).toEqual({ avg: 13, sum: 26, n: 2 });
  });

  it("of integers, bigints and wide decimals: the double nearest the exact average", async () => {
    await Item.bulkCreate([
      // 2^53 + 1 and 2^53 + 2: as doubles 2^53 and 2^53 + 2, averaging to 2^53.
      { name: "a", small: 1, big: 9007199254740993n, amount: "12345678901234567890.1234567890" },
      { name: "b", small: 2, big: 9007199254740994n, amount: "12345678901234567890.1234567890" },
      { name: "c", small: 2, big: null, amount: "0.0000000003" },
    ]);
    const [row] = await Item.all()
      .annotate({ ofSmall: Avg("small"), ofBig: Avg("big"), ofAmount: Avg("amount") })
      .values("ofSmall", "ofBig", "ofAmount");
    expect(row).toEqual({
      // Not the 4 more places of MariaDB's DECIMAL AVG (1.6667).
      ofSmall: 5 / 3,
      // 9007199254740993.5, to the nearest double.
      ofBig: 9007199254740994,
      // (2 · 12345678901234567890.123456789 + 3e-10) / 3, to the nearest double.
      ofAmount: 8230452600823045000,
    });
    // Of no value at all: null.
    expect(
      await Item.filter({ name: "none" })
        .annotate({ avg: Avg("amount") })
        .valuesList("avg", { flat: true }),
    ).toEqual([null]);
  });

  it("of a float field averages the doubles, unchanged", () => {
    const { sql } = Item.all()
      .annotate({ avg: Avg("ratio") })
      .values("avg")
      .sql();
    expect(sql).toContain(
      {
        postgres: `CAST(AVG("item"."ratio") AS DOUBLE PRECISION)`,
        sqlite: `AVG("item"."ratio")`,
        mysql: `AVG(CAST("item"."ratio" AS DOUBLE))`,
      }[target.dialect],
    );
  });
});
