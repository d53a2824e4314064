/** `YaraOrm.init({ log })` reports each statement once, inside transactions too. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueryEvent } from "../../../runtime/driver/driver.js";
import { LoggingDriver } from "../../../runtime/driver/logging.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { currentDriver, inTransaction } from "../../../runtime/transaction.js";
import { isolate, targets, type IsolatedDatabase } from "../../support/targets.js";

for (const target of targets()) {
  describe(`log events on ${target.name}`, () => {
    const events: QueryEvent[] = [];
    let db: IsolatedDatabase;
    const p = target.dialect === "postgres" ? "$1" : "?";

    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, { driver: target.driver, log: (e) => events.push(e) });
    });
    afterAll(async () => {
      await YaraOrm.close();
      await db.dispose();
    });

    it("wraps the driver only when log is given", () => {
      expect(YaraOrm.driver).toBeInstanceOf(LoggingDriver);
      expect(YaraOrm.driver.name).toBe(target.driver);
      expect(YaraOrm.driver.dialect.name).toBe(target.dialect);
    });

    it("emits one event per statement with sql, params, duration, rowCount and driver", async () => {
      events.length = 0;
      await YaraOrm.driver.execute("CREATE TABLE logged (n INTEGER)", []);
      await YaraOrm.driver.execute(`INSERT INTO logged (n) VALUES (${p})`, [7]);
      const res = await YaraOrm.driver.query(`SELECT n FROM logged WHERE n = ${p}`, [7]);
      expect(res.reader.int(0, 0)).toBe(7);
      expect(events).toHaveLength(3);
      expect(events[1]).toMatchObject({
        sql: `INSERT INTO logged (n) VALUES (${p})`,
        params: [7],
        rowCount: 1,
      });
      expect(events[2]).toMatchObject({ params: [7], rowCount: 1, driver: target.driver });
      for (const e of events) {
        expect(e.durationMs).toBeGreaterThanOrEqual(0);
        expect(e.error).toBeUndefined();
      }
    });

    it("reports statements inside transactions and failures", async () => {
      events.length = 0;
      await inTransaction(async () => {
        await currentDriver().execute(`INSERT INTO logged (n) VALUES (${p})`, [8]);
      });
      await expect(YaraOrm.driver.query("SELECT * FROM missing_table", [])).rejects.toThrow();
      expect(events.map((e) => e.sql)).toEqual([
        `INSERT INTO logged (n) VALUES (${p})`,
        "SELECT * FROM missing_table",
      ]);
      expect(events[1]?.error).toBeInstanceOf(Error);
      expect(events[1]?.rowCount).toBe(0);
    });

    it("survives a throwing logger", async () => {
      const driver = new LoggingDriver(YaraOrm.driver, () => {
        throw new Error("logger broke");
      });
      const res = await driver.query("SELECT 1", []);
      expect(res.rowCount).toBe(1);
    });
  });
}
