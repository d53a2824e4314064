/**
 * The mysql2 driver writes parameters into the statement's text only where the literal needs no
 * escaping and keeps the type mysql2 would have bound (inline.ts); anything else is prepared.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { inlineParams } from "../../../runtime/driver/mysql2/inline.js";
import { openDriver } from "../../../runtime/driver/open.js";
import { isolate, mysqlUrl, type IsolatedDatabase } from "../../support/targets.js";

describe("inlineParams", () => {
  it("writes numbers as DOUBLE literals, negatives parenthesized, NULL and plain text quoted", () => {
    expect(
      inlineParams('SELECT ? + ?, ? FROM "t" WHERE "a" = ?', [1, -2.5, null, "Author 7"]),
    ).toBe('SELECT  1e0  +  (-2.5e0) ,  NULL  FROM "t" WHERE "a" =  \'Author 7\' ');
    expect(inlineParams("SELECT ?, ?, ?, ?", [1e21, 5e-7, 0.1, -0])).toBe(
      "SELECT  1e+21 ,  5e-7 ,  0.1e0 ,  (-0e0) ",
    );
    // A bound IN list of numbers: JSON text without quotes.
    expect(
      inlineParams(
        "SELECT 1 WHERE 2 IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS j)",
        ["[1,2,-3]"],
      ),
    ).toBe(
      "SELECT 1 WHERE 2 IN (SELECT v FROM JSON_TABLE( '[1,2,-3]' , '$[*]' COLUMNS (v BIGINT PATH '$')) AS j)",
    );
  });

  it("leaves a statement with a value that would need escaping, or has no exact literal, to be prepared", () => {
    for (const value of [
      "it's",
      "a\\b",
      "café",
      "line\nbreak",
      "tab\t",
      Buffer.from("x"),
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ])
      expect(inlineParams("SELECT ?", [value])).toBeUndefined();
  });

  it("replaces only the ? outside quoted strings and names", () => {
    expect(inlineParams("SELECT '?', \"a?\"\"b\", `c?`, 'it''s ?', ?", [3])).toBe(
      "SELECT '?', \"a?\"\"b\", `c?`, 'it''s ?',  3e0 ",
    );
  });

  it("refuses what it could pair differently from the server: backslashes, comments, non-ASCII, open quotes, a wrong count", () => {
    for (const sql of [
      "SELECT ? LIKE 'a' ESCAPE '\\'",
      "SELECT ? -- it's",
      "SELECT ? # it's",
      "SELECT ? /* it's */",
      "SELECT ?, 'é'",
      'SELECT ? AS "é"',
      "SELECT ?, 'open",
      'SELECT ?, "open',
      "SELECT ?, ?",
      "SELECT 1",
    ])
      expect(inlineParams(sql, [1])).toBeUndefined();
    expect(inlineParams("SELECT ? - -1", [1])).toBe("SELECT  1e0  - -1");
  });

  it("refuses a placeholder where only an integer literal goes", () => {
    for (const sql of [
      "SELECT 1 LIMIT ?",
      "SELECT 1 limit\n?",
      "SELECT 1 LIMIT 10 OFFSET ?",
      "SELECT 1 LIMIT 5, ?",
      "SELECT 1 OFFSET 0 ROWS FETCH FIRST ? ROWS ONLY",
      "SELECT 1 OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY",
    ])
      expect(inlineParams(sql, [1])).toBeUndefined();
    expect(inlineParams("SELECT 1 LIMIT ?, ?", [1, 2])).toBeUndefined();
    expect(inlineParams('SELECT "limit" FROM t WHERE "limit" = ? LIMIT 10', [1])).toBe(
      'SELECT "limit" FROM t WHERE "limit" =  1e0  LIMIT 10',
    );
  });
});

describe("mysql2 driver with values written as literals", () => {
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
  });
  afterAll(async () => {
    await driver.close();
    await db.dispose();
  });

  it("computes with numbers as the DOUBLEs mysql2 binds, written or bound", async () => {
    // An integer literal would make 1 / 3 a DECIMAL ("0.3333") and SUM of integers exact text.
    for (const extra of [[], ["it's bound"]]) {
      const tail = extra.length === 0 ? "" : " FROM DUAL WHERE ? IS NOT NULL";
      const { reader } = await driver.query(`SELECT ? / ?, ? + 0, ? - ?${tail}`, [
        1,
        3,
        2,
        1,
        -1,
        ...extra,
      ]);
      expect(reader.value(0, 0)).toBe(1 / 3);
      expect(reader.value(1, 0)).toBe(2);
      expect(reader.value(2, 0)).toBe(2);
    }
  });

  it("binds what it does not write: quotes, backslashes, non-ASCII text, bytes, LIMIT ?", async () => {
    const texts = ["it's", "a\\b", "café ✓", "'; DROP TABLE t; --", "\\'"];
    for (const text of texts)
      expect((await driver.query("SELECT ?", [text])).reader.text(0, 0)).toBe(text);
    const bytes = new Uint8Array([0, 39, 92, 255]);
    expect([...(await driver.query("SELECT ?", [bytes])).reader.binary(0, 0)]).toEqual([
      0, 39, 92, 255,
    ]);
    const { rowCount } = await driver.query("SELECT 1 FROM DUAL UNION ALL SELECT 2 LIMIT ?", [1]);
    expect(rowCount).toBe(1);
  });

  it("reads a written value named like an object internal through the interpreted parser", async () => {
    const res = await driver.query("SELECT ?", ["__proto__"]);
    expect(res.columns).toEqual(["__proto__"]);
    expect(res.reader.text(0, 0)).toBe("__proto__");
  });
});
