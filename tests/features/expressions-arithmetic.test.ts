// Arithmetic with F() means the same on every database × driver: integers divide as integers
// (truncating toward zero), a fraction beside an integer is a float, an integer with a decimal
// is a decimal, and a division by zero is an error — never a NULL written over the data.
import { beforeEach, expect, it } from "vitest";
import { DatabaseError, ValidationError } from "../../runtime/errors.js";
import { Cast, F, Item } from "./generated/index.js";
import { forEachTarget, rejects, resetData } from "./harness.js";

const ROWS = [
  { id: 1, name: "a", small: -7, ratio: -2.5, amount: "-2.5" },
  { id: 2, name: "b", small: 7, ratio: 0.125, amount: "1.25" },
  { id: 3, name: "c", small: 0, ratio: null, amount: null },
] as const;

/** The amounts as stored: what a refused update must leave. */
const AMOUNTS = ["-2.5000000000", "1.2500000000", null];

forEachTarget((target) => {
  beforeEach(async () => {
    await resetData();
    await Item.bulkCreate(ROWS.map((r) => ({ ...r })));
  });

  /** One annotation per row, by id. */
  const column = async (
    expression: Parameters<typeof Item.annotate>[0][string],
  ): Promise<unknown[]> =>
    Item.annotate({ x: expression }).orderBy("id").valuesList("x", { flat: true });

  const amounts = () => Item.all().orderBy("id").valuesList("amount", { flat: true });

  it.each([
    ["an integer divided by a whole number truncates toward zero", F("small").div(2), [-3, 3, 0]],
    ["an integer divided by a negative whole number", F("small").div(-2), [3, -3, 0]],
    ["an integer divided by an integer column", F("small").div(F("id")), [-7, 3, 0]],
    ["integer arithmetic divided again", F("small").add(1).div(4), [-1, 2, 0]],
    ["an integer divided by a fraction is a float", F("small").div(2.5), [-2.8, 2.8, 0]],
    ["an integer times a fraction is a float", F("small").mul(1.5), [-10.5, 10.5, 0]],
    ["an integer plus a fraction is a float", F("small").add(0.5), [-6.5, 7.5, 0.5]],
    ["an integer divided by a float column", F("small").div(F("ratio")), [2.8, 56, null]],
    [
      "an integer times a decimal is a decimal at its places",
      F("small").mul(F("amount")),
      ["17.5000000000", "8.7500000000", null],
    ],
    [
      "an integer divided by a decimal is a decimal at its places",
      F("id").div(F("amount")),
      ["-0.4000000000", "1.6000000000", null],
    ],
    ["a float divided by a whole number stays a float", F("ratio").div(2), [-1.25, 0.0625, null]],
  ] as const)("%s", async (_name, expression, expected) => {
    expect(await column(expression)).toEqual(expected);
  });

  it("a division by zero selected is an error (MariaDB: NULL, documented)", async () => {
    for (const divided of [F("small").div(0), F("ratio").div(0), F("amount").div(0)]) {
      if (target.dialect === "mysql") {
        expect(await column(divided)).toEqual([null, null, null]);
        continue;
      }
      const error = await rejects(column(divided));
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).message).toMatch(/division by zero/i);
    }
  });

  it("a divisor column that holds zero in one row fails the statement", async () => {
    // Row 3's `small` is 0; the other rows divide as integers.
    const divided = column(F("id").div(F("small")));
    if (target.dialect === "mysql") {
      expect(await divided).toEqual([0, 0, null]);
      return;
    }
    expect(await rejects(divided)).toBeInstanceOf(DatabaseError);
  });

  it("an update dividing by zero is an error and writes nothing", async () => {
    for (const divisor of [0, F("small").mul(0)]) {
      const error = await rejects(Item.all().update({ amount: F("amount").div(divisor) }));
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).message).toMatch(/division by 0|division by zero/i);
      expect(await amounts()).toEqual(AMOUNTS);
    }
  });

  it("an update dividing by a non-zero value writes the quotient", async () => {
    await Item.filter({ id__in: [1, 2] }).update({ amount: F("amount").div(F("small")) });
    expect(await amounts()).toEqual(["0.3571428571", "0.1785714286", null]);
    await Item.all().update({ small: F("small").div(2) });
    expect(await Item.all().orderBy("id").valuesList("small", { flat: true })).toEqual([-3, 3, 0]);
  });

  it("an integer field refuses an expression that may have a fraction, and takes a Cast", async () => {
    const smalls = () => Item.all().orderBy("id").valuesList("small", { flat: true });
    for (const value of [
      F("small").mul(1.5),
      F("ratio"),
      F("amount").add(1),
      F("small").div(0.5),
    ]) {
      const error = await rejects(Item.all().update({ small: value }));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain("Item.small: an integer field cannot store");
    }
    expect(await smalls()).toEqual([-7, 7, 0]);
    await Item.all().update({ small: Cast(F("small").mul(1.5), "integer") });
    expect(await smalls()).toEqual([-10, 10, 0]);
  });

  it("an update computing an integer outside the field's range is an error and writes nothing", async () => {
    // SQLite stored 70000 in the smallint and turned the 64-bit overflow into a REAL.
    await Item.filter({ id: 1 }).update({ big: 9223372036854775807n });
    for (const update of [
      () => Item.filter({ id: 2 }).update({ small: F("small").mul(10000) }),
      () => Item.filter({ id: 1 }).update({ big: F("big").add(1) }),
      () => Item.filter({ id: 2 }).update({ id: F("id").mul(2000000000) }),
    ]) {
      const error = await rejects(update());
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toMatch(/out of range/i);
    }
    expect(await Item.all().orderBy("id").valuesList("id", "small", "big")).toEqual([
      [1, -7, 9223372036854775807n],
      [2, 7, null],
      [3, 0, null],
    ]);
  });

  it("a NULL divisor gives NULL, not an error", async () => {
    expect(await column(F("small").div(F("amount")))).toEqual([
      "2.8000000000",
      "5.6000000000",
      null,
    ]);
  });

  it("a decimal's text in arithmetic is a decimal: exact where the database computes decimals exactly", async () => {
    const wide = "12345678901234567890.1234567890";
    await Item.filter({ id: 2 }).update({ amount: wide });
    // MariaDB added the bound text as a DOUBLE and stored 12345678901234567000.0000000000.
    await Item.filter({ id: 2 }).update({ amount: F("amount").add("0.0000000001") });
    const [, stored] = await amounts();
    expect(stored).toBe(
      target.dialect === "sqlite"
        ? "12345678901234570000.0000000000" // SQLite computes decimals as REAL (docs/api.md)
        : "12345678901234567890.1234567891",
    );
    // Beside a decimal field the text is a decimal in an annotation too (refused, naming "id").
    expect(await column(F("amount").add("0.5"))).toEqual([
      "-2.0000000000",
      target.dialect === "sqlite"
        ? "12345678901234570000.0000000000"
        : "12345678901234567890.6234567891",
      null,
    ]);
  });
});
