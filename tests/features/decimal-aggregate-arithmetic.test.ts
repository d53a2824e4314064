/**
 * `Sum`, `Min` and `Max` of decimal arithmetic are rounded to the places of the decimal field the
 * arithmetic starts from, as the arithmetic itself is when selected (expressions.ts
 * `selectedExpression`), so every database returns the same text: SQLite summed the doubles
 * (`Sum(F("price").mul(3))` of 99999999.99 and 0.01 was "299999999.99999994"), MariaDB gave 30
 * more places (it computes with bound values as DECIMAL(65, 30)), Postgres the places of its
 * NUMERIC arithmetic ("110000000.000" for a product by 1.1).
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Book, F, Max, Min, Sum } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget(() => {
  beforeEach(async () => {
    await resetData();
    const di = await Author.create({ name: "Di" });
    const bo = await Author.create({ name: "Bo" });
    await Book.bulkCreate([
      { title: "a", price: "99999999.99", author: di },
      { title: "b", price: "0.01", author: di },
      { title: "c", price: "2.50", author: bo },
      { title: "d", price: null, author: bo },
    ]);
  });

  it("over the whole table, at the field's places", async () => {
    const [row] = await Book.filter({ author__name: "Di" })
      .annotate({
        times: Sum(F("price").mul(3)),
        tenth: Sum(F("price").mul("1.1")),
        twice: Sum(F("price").add(F("price"))),
        third: Sum(F("price").div(3)),
        low: Min(F("price").sub("0.005")),
        high: Max(F("price").mul(2)),
      })
      .values("times", "tenth", "twice", "third", "low", "high");
    expect(row).toEqual({
      times: "300000000.00",
      tenth: "110000000.00",
      twice: "200000000.00",
      third: "33333333.33",
      // 0.005 rounded half away from zero on every database.
      low: "0.01",
      high: "199999999.98",
    });
  });

  it("per group, NULLs left out and a group of none NULL", async () => {
    const rows = await Book.annotate({ total: Sum(F("price").mul(3)) })
      .groupBy("author__name")
      .orderBy("author__name")
      .valuesList("author__name", "total");
    expect(rows).toEqual([
      ["Bo", "7.50"],
      ["Di", "300000000.00"],
    ]);
    const [none] = await Book.filter({ title: "d" })
      .annotate({ total: Sum(F("price").mul(3)) })
      .valuesList("total", { flat: true });
    expect(none).toBeNull();
  });
});
