/**
 * Driver.maxParams on every driver: the ceiling it reports is the one it binds — a statement
 * with exactly that many parameters runs, one more is refused with a DatabaseError naming the
 * problem (never a crash or a statement bound wrong) — and a transaction's connection reports
 * its driver's.
 */
import { describe, expect, it } from "vitest";
import type { Driver } from "../../../runtime/driver/driver.js";
import { DatabaseError } from "../../../runtime/errors.js";
import { targets } from "../../support/targets.js";
import { placeholders, useDriver } from "./open.js";

/** What each driver binds: node-postgres 65 535, the engine 32 767, SQLite as built (32 766). */
const EXPECTED: Readonly<Record<string, number>> = {
  "postgres/pg": 65_535,
  "postgres/native": 32_767,
  "sqlite/better-sqlite3": 32_766,
  "sqlite/native": 32_766,
  "mysql/mysql2": 65_535,
};

/** `SELECT` of the sum of `count` bound integers 1…count, as one statement. */
function sumOf(driver: Driver, count: number): { sql: string; params: number[] } {
  const list = placeholders(driver, count);
  if (driver.dialect.name === "mysql") {
    // MariaDB names a VALUES column after its first value: one flat JSON_ARRAY call instead.
    return {
      sql: `SELECT SUM("v") FROM JSON_TABLE(JSON_ARRAY(${list}), '$[*]' COLUMNS ("v" BIGINT PATH '$')) AS x`,
      params: Array.from({ length: count }, (_, i) => i + 1),
    };
  }
  const terms = list
    .split(", ")
    .map((p) => (driver.dialect.name === "postgres" ? `${p}::int8` : p));
  // A VALUES list keeps the expression tree flat (SQLite limits expression depth, not width).
  return {
    sql: `SELECT sum(column1) FROM (VALUES ${terms.map((t) => `(${t})`).join(", ")}) AS x`,
    params: Array.from({ length: count }, (_, i) => i + 1),
  };
}

for (const target of targets()) {
  describe(`maxParams on ${target.name}`, () => {
    const handle = useDriver(target);

    it("reports the ceiling the driver binds", async () => {
      const { driver } = handle;
      expect(driver.maxParams).toBe(EXPECTED[target.name]);
      await driver.transaction(async (conn) => {
        expect(conn.maxParams).toBe(driver.maxParams);
        await conn.transaction(async (inner) => expect(inner.maxParams).toBe(driver.maxParams));
      });
    });

    it("binds exactly maxParams parameters and refuses one more", async () => {
      const { driver } = handle;
      const n = driver.maxParams;
      const full = sumOf(driver, n);
      const res = await driver.query(full.sql, full.params);
      expect(Number(res.reader.value(0, 0))).toBe((n * (n + 1)) / 2);
      const over = sumOf(driver, n + 1);
      const err = await driver.query(over.sql, over.params).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as Error).message).toMatch(/parameters|variables|placeholders/i);
      if (target.name === "postgres/native") {
        // Refused by the engine before anything is sent, with the limit in its words.
        expect(err).toMatchObject({ code: "54000" });
        expect((err as Error).message).toMatch(/binds at most 32767 in one statement/);
      }
      // The driver is still usable.
      expect((await driver.query(sumOf(driver, 3).sql, [1, 2, 3])).reader.value(0, 0)).toBe(
        driver.dialect.name === "postgres" ? "6" : 6,
      );
    });
  });
}
