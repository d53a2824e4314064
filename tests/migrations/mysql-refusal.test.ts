/**
 * MySQL/MariaDB commits every DDL statement on its own, so a migration that failed halfway
 * could not be rolled back: migrate, baseline, status, `migrations sql` and pull refuse with a
 * NotSupportedError naming the feature and the database, and nothing is written. The other
 * migration tests run on the databases that can (tests/support/targets.ts, migrationTargets).
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pulledSchema } from "../../generator/pull/pull.js";
import { NotSupportedError } from "../../runtime/errors.js";
import {
  baselineMigrations,
  migrationSql,
  migrationStatus,
  runMigrations,
} from "../../runtime/migrations/executor.js";
import { YaraOrm } from "../../runtime/orm.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";

const dir = fileURLToPath(new URL("../../examples/migrations", import.meta.url));
const mysql = targets().filter((t) => t.dialect === "mysql");

it("the default matrix has a MySQL target", () => {
  expect(mysql.length).toBe(1);
});

for (const target of mysql) {
  describe(`migrations on ${target.name}`, () => {
    let db: IsolatedDatabase;
    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, { driver: target.driver });
    });
    afterAll(async () => {
      await YaraOrm.close();
      await db.dispose();
    });

    const refusal = async (run: () => Promise<unknown>): Promise<NotSupportedError> => {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as NotSupportedError).dialect).toBe("mysql");
      return error as NotSupportedError;
    };

    it("refuses migrate, baseline, status and migrations sql, naming the reason", async () => {
      const e = await refusal(() => runMigrations(YaraOrm.driver, { dir }));
      expect(e.message).toMatch(/migrations are not supported on MySQL.*commits every DDL/);
      await refusal(() => YaraOrm.migrate({ dir }));
      await refusal(() => baselineMigrations(YaraOrm.driver, { dir }));
      await refusal(() => migrationStatus(YaraOrm.driver, dir));
      await refusal(() => migrationSql(dir, "0001_initial", "mysql", "up"));
      // Nothing was written: not even the history table.
      const tables = await YaraOrm.driver.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
        [],
      );
      expect(tables.rowCount).toBe(0);
    });

    it("refuses pull", async () => {
      const e = await refusal(() => pulledSchema(YaraOrm.driver, "a test database"));
      expect(e.message).toMatch(/pull is not supported on MySQL/);
    });
  });
}
