/** Opens a bare Driver (no YaraOrm) on an isolated database of a target, for driver tests. */
import { afterAll, beforeAll } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { openDriver } from "../../../runtime/driver/open.js";
import { isolate, type IsolatedDatabase, type Target } from "../../support/targets.js";

export interface DriverHandle {
  readonly driver: Driver;
  readonly url: string;
}

/** beforeAll opens the driver on a private database; afterAll closes and drops it. */
export function useDriver(target: Target): DriverHandle {
  let db: IsolatedDatabase | undefined;
  let driver: Driver | undefined;
  beforeAll(async () => {
    db = await isolate(target);
    driver = await openDriver(parseDatabaseUrl(db.url), { driver: target.driver });
  });
  afterAll(async () => {
    await driver?.close();
    await db?.dispose();
  });
  return {
    get driver() {
      if (driver === undefined) throw new Error("the driver opens in beforeAll");
      return driver;
    },
    get url() {
      if (db === undefined) throw new Error("the database is created in beforeAll");
      return db.url;
    },
  };
}

/** `$1, $2` on Postgres, `?` on SQLite. */
export function placeholders(driver: Driver, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    driver.dialect.name === "postgres" ? `$${i + 1}` : "?",
  ).join(", ");
}
