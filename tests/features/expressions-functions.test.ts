import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { DatabaseError, ValidationError } from "../../runtime/errors.js";
import {
  Abs,
  Cast,
  Concat,
  Extract,
  F,
  Item,
  Left,
  Now,
  Replace,
  Right,
  Round,
  Substr,
  Value,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

/** Rows of edge values: negatives, zero, NULL, empty and non-ASCII text. */
const ROWS = [
  {
    id: 1,
    name: "Ada",
    small: -7,
    ratio: -2.5,
    amount: "-2.5",
    body: "a-b-a",
    at: new Date("2024-12-31T23:59:59.999Z"),
    day: "2024-02-29",
  },
  { id: 2, name: "é😀ß", small: 7, ratio: 0.125, amount: "1.25", body: "", at: null, day: null },
  {
    id: 3,
    name: "",
    small: 0,
    ratio: null,
    amount: null,
    body: null,
    at: new Date("2000-01-01T00:00:00Z"),
    day: "1999-12-31",
  },
] as const;

forEachTarget((target) => {
  beforeEach(async () => {
    await resetData();
    await Item.bulkCreate(ROWS.map((r) => ({ ...r })));
    takeStatements();
  });

  /** One annotation per row, by id. */
  const column = async (
    expression: Parameters<typeof Item.annotate>[0][string],
  ): Promise<unknown[]> =>
    Item.annotate({ x: expression }).orderBy("id").valuesList("x", { flat: true });

  it.each([
    [
      "Concat of text, a literal and an integer (NULL as '')",
      Concat("name", Value("|"), "small", "body"),
      ["Ada|-7a-b-a", "é😀ß|7", "|0"],
    ],
    ["Substr from a position for a length, by characters", Substr("name", 2, 2), ["da", "😀ß", ""]],
    ["Substr to the end", Substr("name", 2), ["da", "😀ß", ""]],
    ["Left", Left("name", 2), ["Ad", "é😀", ""]],
    ["Left of 0", Left("name", 0), ["", "", ""]],
    ["Right", Right("name", 2), ["da", "😀ß", ""]],
    ["Right past the length", Right("name", 9), ["Ada", "é😀ß", ""]],
    ["Right of 0", Right("name", 0), ["", "", ""]],
    ["Replace, case-sensitive, NULL stays NULL", Replace("body", "a", "ø"), ["ø-b-ø", "", null]],
    [
      "Replace with an empty pattern changes nothing",
      Replace("name", "", "x"),
      ["Ada", "é😀ß", ""],
    ],
    ["Abs of an integer", Abs("small"), [7, 7, 0]],
    ["Abs of a float", Abs("ratio"), [2.5, 0.125, null]],
    ["Abs of a decimal keeps its places", Abs("amount"), ["2.5000000000", "1.2500000000", null]],
    ["Round of a float, half away from zero", Round("ratio"), [-3, 0, null]],
    ["Round of a float to places", Round("ratio", 2), [-2.5, 0.13, null]],
    [
      "Round of a double near a half is the same double arithmetic on both",
      Round(F("ratio").mul(0).add(2.675), 2),
      [2.68, 2.68, null],
    ],
    [
      "Round of a small negative float to 0 is 0, not -0",
      Round(F("ratio").div(100), 0),
      [0, 0, null],
    ],
    ["Round of a decimal to places", Round("amount", 1), ["-2.5", "1.3", null]],
    ["Round of an integer is the integer", Round("small", 2), [-7, 7, 0]],
    ["% of integers has the sign of the dividend", F("small").mod(3), [-1, 1, 0]],
    ["% by zero is NULL", F("small").mod(0), [null, null, null]],
    ["% of floats", F("ratio").mod(2), [-0.5, 0.125, null]],
    ["% of decimals", F("amount").mod(1), ["-0.5000000000", "0.2500000000", null]],
    ["** is a float", F("small").pow(2), [49, 49, 0]],
    ["** undefined is NULL", F("ratio").pow(0.5), [null, Math.sqrt(0.125), null]],
    ["** of 0 to a negative power is NULL", F("small").pow(-1), [-1 / 7, 1 / 7, null]],
    ["Cast of a float to integer truncates toward zero", Cast("ratio", "integer"), [-2, 0, null]],
    ["Cast of a decimal to integer", Cast("amount", "integer"), [-2, 1, null]],
    ["Cast of an integer to float", Cast("small", "float"), [-7, 7, 0]],
    ["Cast of an integer to text", Cast("small", "text"), ["-7", "7", "0"]],
    ["Cast of a decimal to text", Cast("amount", "text"), ["-2.5000000000", "1.2500000000", null]],
    [
      "Cast of a float to decimal rounds half away from zero",
      Cast("ratio", "decimal(10, 2)"),
      ["-2.50", "0.13", null],
    ],
    ["Cast of an integer to bigint", Cast("small", "bigint"), [-7n, 7n, 0n]],
    ["Extract the year of a datetime at UTC", Extract("at", "year"), [2024, null, 2000]],
    ["Extract the day of a date", Extract("day", "day"), [29, null, 31]],
    [
      "Extract the ISO week (2024-12-31 is in week 1 of 2025)",
      Extract("at", "week"),
      [1, null, 52],
    ],
    ["Extract the ISO week day, Monday = 1", Extract("at", "iso_week_day"), [2, null, 6]],
    ["Extract the week day, Sunday = 1", Extract("at", "week_day"), [3, null, 7]],
    ["Extract the quarter", Extract("at", "quarter"), [4, null, 1]],
    ["Extract the hour at UTC", Extract("at", "hour"), [23, null, 0]],
  ] as const)("%s", async (_name, expression, expected) => {
    expect(await column(expression)).toEqual(expected);
  });

  it("binds every literal", async () => {
    await column(Concat("name", Value("'; DROP TABLE item; --")));
    await column(Substr("name", 2, 3));
    const [concat, substr] = takeStatements();
    expect(concat!.params).toEqual(["'; DROP TABLE item; --"]);
    expect(substr!.params).toEqual([2, 3]);
  });

  it("writes functions in update and compares with them in filters", async () => {
    await Item.filter({ id: 1 }).update({
      name: Concat(Left("name", 1), Value("."), Right("name", 1)),
    });
    await Item.filter({ id: 2 }).update({
      amount: Round(F("amount").mul(3), 1),
      ratio: F("ratio").pow(2),
    });
    expect(
      await Item.filter({ id__in: [1, 2] })
        .orderBy("id")
        .valuesList("name", "amount", "ratio"),
    ).toEqual([
      ["A.a", "-2.5000000000", -2.5],
      ["é😀ß", "3.8000000000", 0.015625],
    ]);
    expect(
      await Item.filter({ small: Abs(F("small")) })
        .orderBy("id")
        .valuesList("id", { flat: true }),
    ).toEqual([2, 3]);
    expect(
      await Item.filter({ body__gt: Replace("name", "A", "a") }).valuesList("id", { flat: true }),
    ).toEqual([]);
  });

  it("Now() is the current instant to the millisecond, writable and comparable", async () => {
    const before = Date.now();
    await Item.filter({ id: 2 }).update({ at: Now() });
    const [at] = await Item.filter({ id: 2 }).valuesList("at", { flat: true });
    expectTypeOf(at).toEqualTypeOf<Date | null | undefined>();
    expect(at).toBeInstanceOf(Date);
    expect(at!.getTime()).toBeGreaterThanOrEqual(before - 2000);
    expect(at!.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
    // Read back, it compares equal (no microseconds on Postgres).
    expect(await Item.filter({ at: at! }).count()).toBe(1);
    expect(await Item.filter({ at__lte: Now() }).count()).toBe(3);
  });

  it("refuses what would differ between the databases, or is malformed", async () => {
    for (const bad of [
      Concat("name", "ratio"),
      Cast("ratio", "text"),
      Cast("name", "integer"),
      Cast("flag", "text"),
      Substr("small", 1),
      Extract("name", "year"),
      Extract("day", "hour"),
    ])
      expect(await rejects(column(bad))).toBeInstanceOf(ValidationError);
    expect(() => Substr("name", 0)).toThrow(ValidationError);
    expect(() => Left("name", -1)).toThrow(ValidationError);
    expect(() => Round("ratio", 16)).toThrow(ValidationError);
    expect(() => Cast("small", "decimal(2, 3)" as "decimal(2, 3)")).toThrow(ValidationError);
    expect(() => Cast("small", "varchar" as never)).toThrow(ValidationError);
    expect(() => Extract("at", "epoch" as never)).toThrow(ValidationError);
    expect(() => Value(Number.NaN)).toThrow(ValidationError);
  });

  it("a Cast to a decimal too narrow for the value is an error, as Postgres' numeric field overflow", async () => {
    expect(await column(Cast("small", "decimal(2, 1)"))).toEqual(["-7.0", "7.0", "0.0"]);
    const error = await rejects(column(Cast("amount", "decimal(2, 2)")));
    if (target.dialect === "mysql") {
      // MariaDB has no expression that raises: its CAST clamps (docs/mysql.md).
      expect(error).toBeUndefined();
      expect(await column(Cast("amount", "decimal(2, 2)"))).toEqual(["-0.99", "0.99", null]);
    } else {
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toMatch(/numeric field overflow/);
    }
  });
});
