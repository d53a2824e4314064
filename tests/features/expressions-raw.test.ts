import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { splitPlaceholders } from "../../runtime/query/raw-sql.js";
import { Case, Item, RawSQL, When } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

it("splits SQL at ? outside quotes; ?? is one literal ?", () => {
  expect(splitPlaceholders("a + ? * ?")).toEqual(["a + ", " * ", ""]);
  expect(splitPlaceholders(`'?' || "x?" || ?`)).toEqual([`'?' || "x?" || `, ""]);
  expect(splitPlaceholders("data ?? 'k' AND ? = 1")).toEqual(["data ? 'k' AND ", " = 1"]);
  expect(splitPlaceholders("'it''s ?' || ?")).toEqual(["'it''s ?' || ", ""]);
  expect(() => splitPlaceholders("'open ?")).toThrow(ValidationError);
});

forEachTarget((target: Target) => {
  beforeEach(async () => {
    await resetData();
    await Item.bulkCreate([
      { id: 1, name: "a", small: -3 },
      { id: 2, name: "é😀", small: 4 },
    ]);
    takeStatements();
  });

  // Raw SQL is the database's own: MySQL spells the types SIGNED and CHAR.
  const INTEGER = target.dialect === "mysql" ? "SIGNED" : "INTEGER";
  const TEXT = target.dialect === "mysql" ? "CHAR" : "TEXT";

  it("selects a raw expression with its own parameters, numbered by the compiler", async () => {
    const rows = await Item.filter({ small__gt: RawSQL(`CAST(? AS ${INTEGER}) - 10`, [6]) })
      .annotate({
        scaled: RawSQL(
          `"item"."small" * CAST(? AS ${INTEGER}) + CAST(? AS ${INTEGER})`,
          [10, 1],
          "integer",
        ),
        tag: RawSQL(`CAST(? AS ${TEXT}) || '?'`, ["x'; --"], "text"),
      })
      .orderBy("id")
      .valuesList("scaled", "tag");
    expectTypeOf(rows).toEqualTypeOf<[number | null, string | null][]>();
    expect(rows).toEqual([
      [-29, "x'; --?"],
      [41, "x'; --?"],
    ]);
    const { sql, params } = takeStatements()[0]!;
    expect(params).toEqual([10, 1, "x'; --", 6]);
    if (target.dialect === "postgres") {
      expect(sql).toContain(`("item"."small" * CAST($1 AS INTEGER) + CAST($2 AS INTEGER))`);
      expect(sql).toContain(`(CAST($3 AS TEXT) || '?')`);
      expect(sql).toContain(`"item"."small" > (CAST($4 AS INTEGER) - 10)`);
    } else
      expect(sql).toContain(`("item"."small" * CAST(? AS ${INTEGER}) + CAST(? AS ${INTEGER}))`);
  });

  it("works inside other expressions and in update", async () => {
    await Item.filter({ id: 1 }).update({ small: RawSQL(`CAST(? AS ${INTEGER}) * 2`, [21]) });
    const rows = await Item.annotate({
      size: Case(When({ small__gte: 40 }, RawSQL(`CAST(? AS ${TEXT})`, ["big"], "text")), {
        default: "small",
      }),
    })
      .orderBy("id")
      .valuesList("small", "size");
    expect(rows).toEqual([
      [42, "big"],
      [4, "small"],
    ]);
  });

  it("refuses a wrong parameter count, bad parameters and selecting without an output type", async () => {
    expect(() => RawSQL("? + ?", [1])).toThrow(/2 placeholder\(s\) but 1 parameter/);
    expect(() => RawSQL("1", [1])).toThrow(ValidationError);
    expect(() => RawSQL("?", [undefined as never])).toThrow(ValidationError);
    expect(() => RawSQL("?", [{} as never])).toThrow(ValidationError);
    expect(() => RawSQL("?", [[1, 2] as never])).toThrow(ValidationError);
    expect(() => RawSQL("1", [], "varchar" as never)).toThrow(ValidationError);
    expect(await rejects(Item.annotate({ x: RawSQL("1") }))).toBeInstanceOf(ValidationError);
  });
});
