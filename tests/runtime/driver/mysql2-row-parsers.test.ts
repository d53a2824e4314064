/**
 * The mysql2 driver reads rows with mysql2's generated row parsers (typed cells, no text to
 * parse again) and falls back to its interpreted parser only for statements whose result could
 * have a column named like an object internal, which the generated parsers refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { mayNameObjectInternals } from "../../../runtime/driver/mysql2/object-internals.js";
import { openDriver } from "../../../runtime/driver/open.js";
import { isolate, mysqlUrl, type IsolatedDatabase } from "../../support/targets.js";

describe("mayNameObjectInternals", () => {
  it("lets statements with explicit columns and COUNT(*) use the generated parser", () => {
    expect(mayNameObjectInternals('SELECT "b"."id", "b"."title" FROM "b" WHERE "b"."id" = ?')).toBe(
      false,
    );
    expect(mayNameObjectInternals('SELECT COUNT(*) FROM "b"')).toBe(false);
  });

  it("sends a statement naming an internal, or with a * that may expand, to the interpreted parser", () => {
    expect(mayNameObjectInternals('SELECT 1 AS "__proto__"')).toBe(true);
    expect(mayNameObjectInternals("SELECT x AS __lookupSetter__ FROM t")).toBe(true);
    expect(mayNameObjectInternals("SELECT * FROM t")).toBe(true);
    expect(mayNameObjectInternals('SELECT "t".* FROM t')).toBe(true);
    expect(mayNameObjectInternals("SELECT a*2 FROM t")).toBe(true);
  });

  it("lets a * inside a quoted string or name use the generated parser (a bound list's JSON_TABLE)", () => {
    const inList =
      'SELECT "b"."id" FROM "b" WHERE "b"."a" IN (SELECT "v" FROM JSON_TABLE(?, \'$[*]\' COLUMNS ("v" BIGINT PATH \'$\')) AS "yara_in")';
    expect(mayNameObjectInternals(inList)).toBe(false);
    expect(mayNameObjectInternals("SELECT \"a*b\", `c*d` FROM t WHERE x = 'it''s *'")).toBe(false);
  });

  it("counts every * when a quote might pair wrongly: after a comment start or a backslash", () => {
    expect(mayNameObjectInternals("SELECT '*' FROM t WHERE b = '\\'' OR c = '*'")).toBe(true);
    expect(mayNameObjectInternals("SELECT a -- it's\n, * FROM t WHERE b = 'x'")).toBe(true);
    expect(mayNameObjectInternals("SELECT a # it's\n, * FROM t WHERE b = 'x'")).toBe(true);
    expect(mayNameObjectInternals("SELECT \"it's\", * FROM t WHERE b = 'x'")).toBe(true);
    expect(mayNameObjectInternals("SELECT \"t\".*, '*' FROM t")).toBe(true);
  });
});

describe("mysql2 driver rows", () => {
  let db: IsolatedDatabase;
  let driver: Driver;
  beforeAll(async () => {
    db = await isolate({
      name: "mysql/mysql2",
      dialect: "mysql",
      driver: "mysql2",
      url: mysqlUrl(),
    });
    driver = await openDriver(parseDatabaseUrl(db.url), { driver: "mysql2" });
    await driver.execute(
      'CREATE TABLE cells ("id" INT PRIMARY KEY, "__proto__" INT, "at" DATETIME(6), "day" DATE, "big" BIGINT, "flag" BOOLEAN)',
      [],
    );
    await driver.execute("INSERT INTO cells VALUES (?, ?, ?, ?, ?, ?)", [
      1,
      7,
      "2024-02-29 23:59:58.123456",
      "0044-03-15",
      9_007_199_254_740_993n,
      true,
    ]);
  });
  afterAll(async () => {
    await driver.close();
    await db.dispose();
  });

  it("reads a column named __proto__ through * on both protocols", async () => {
    for (const params of [[], [1]]) {
      const sql = params.length === 0 ? "SELECT * FROM cells" : "SELECT * FROM cells WHERE id = ?";
      const res = await driver.query(sql, params);
      expect(res.columns).toEqual(["id", "__proto__", "at", "day", "big", "flag"]);
      expect(res.reader.int(1, 0)).toBe(7);
    }
  });

  it("reads DATETIME as the UTC instant (to the millisecond), DATE as text, BIGINT exactly, on both protocols", async () => {
    const columns = 'SELECT "at", "day", "big", "flag", COUNT(*) FROM cells';
    for (const [sql, params] of [
      [`${columns} GROUP BY "id"`, []],
      [`${columns} WHERE "id" = ? GROUP BY "id"`, [1]],
    ] as const) {
      const { reader } = await driver.query(sql, params, { bigints: true });
      expect(reader.datetime(0, 0).toISOString()).toBe("2024-02-29T23:59:58.123Z");
      expect(reader.value(0, 0)).toEqual(new Date("2024-02-29T23:59:58.123Z"));
      expect(reader.date(1, 0)).toBe("0044-03-15");
      expect(reader.value(1, 0)).toBe("0044-03-15");
      expect(reader.bigint(2, 0)).toBe(9_007_199_254_740_993n);
      expect(reader.value(2, 0)).toBe(9_007_199_254_740_993n);
      expect(reader.boolean(3, 0)).toBe(true);
      expect(reader.int(4, 0)).toBe(1);
    }
    const { reader } = await driver.query('SELECT "big", COUNT(*) FROM cells GROUP BY "big"', []);
    expect(() => reader.int(0, 0)).toThrow(/beyond 2\^53/);
    expect(reader.value(0, 0)).toBe(9_007_199_254_740_993n);
    expect(reader.value(1, 0)).toBe(1);
  });
});
