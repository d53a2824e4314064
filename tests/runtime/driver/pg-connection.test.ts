/** The pg driver's connection handling: broken connections are destroyed, never reused. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { ConnectionError } from "../../../runtime/errors.js";
import { pgUrl } from "../../support/targets.js";

describe("pg driver connections", () => {
  let driver: PgDriver;
  let admin: PgDriver;
  beforeAll(async () => {
    const target = parseDatabaseUrl(pgUrl());
    if (target.dialect !== "postgres") throw new Error("YARA_PG_URL must be a Postgres URL");
    driver = await PgDriver.open(target.url, { max: 2 });
    admin = await PgDriver.open(target.url, { max: 1 });
  });
  afterAll(async () => {
    await driver.close();
    await admin.close();
  });

  const pid = async (d: { query: PgDriver["query"] }) =>
    (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
  const kill = (p: number) => admin.query("SELECT pg_terminate_backend($1)", [p]);

  it("runs every connection in UTC", async () => {
    const res = await driver.query("SHOW TimeZone", []);
    expect(res.reader.text(0, 0)).toBe("UTC");
  });

  it("fails a transaction whose connection dies with a ConnectionError, then recovers", async () => {
    let killed = 0;
    const err = await driver
      .transaction(async (conn) => {
        killed = await pid(conn);
        await kill(killed);
        await conn.query("SELECT 1", []);
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).not.toMatch(/\$1/);
    // The dead connection was not returned to the pool: later statements get live ones.
    for (let i = 0; i < 4; i++) {
      expect(await pid(driver)).not.toBe(killed);
    }
  });

  it("reuses prepared statements across calls with different parameters", async () => {
    const sql = "SELECT $1::int + 1";
    for (let i = 0; i < 5; i++) {
      const res = await driver.query(sql, [i]);
      expect(res.reader.int(0, 0)).toBe(i + 1);
    }
    const named = await driver.query(
      "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1",
      [sql],
    );
    expect(named.reader.int(0, 0)).toBeLessThanOrEqual(1);
  });

  it("reports a closed driver clearly", async () => {
    const target = parseDatabaseUrl(pgUrl());
    if (target.dialect !== "postgres") return;
    const closed = await PgDriver.open(target.url);
    await closed.close();
    await expect(closed.query("SELECT 1", [])).rejects.toThrow(/has been closed/);
  });
});

describe("pg driver and schema changes", () => {
  it("keeps `SELECT *` with parameters working after the table gains a column", async () => {
    const target = parseDatabaseUrl(pgUrl());
    if (target.dialect !== "postgres") throw new Error("YARA_PG_URL must be a Postgres URL");
    const driver = await PgDriver.open(target.url, { max: 1 });
    try {
      await driver.execute("CREATE TEMP TABLE widened (a INTEGER)", []);
      await driver.execute("INSERT INTO widened (a) VALUES (1)", []);
      expect((await driver.query("SELECT * FROM widened WHERE a = $1", [1])).columns).toEqual([
        "a",
      ]);
      await driver.execute("ALTER TABLE widened ADD COLUMN b TEXT", []);
      expect((await driver.query("SELECT * FROM widened WHERE a = $1", [1])).columns).toEqual([
        "a",
        "b",
      ]);
    } finally {
      await driver.close();
    }
  });
});
