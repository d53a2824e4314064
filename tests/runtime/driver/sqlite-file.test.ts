/** better-sqlite3 on a file: WAL, foreign keys, a busy timeout, and the statement cache. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BetterSqliteDriver } from "../../../runtime/driver/better-sqlite3/driver.js";
import { ConnectionError } from "../../../runtime/errors.js";

describe("better-sqlite3 on a file database", () => {
  const dir = mkdtempSync(join(tmpdir(), "yara-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens in WAL mode with foreign keys on and a busy timeout", async () => {
    const driver = await BetterSqliteDriver.open({
      filename: join(dir, "app.db"),
      busyTimeoutMs: 1234,
    });
    const pragma = async (name: string) =>
      (await driver.query(`PRAGMA ${name}`, [])).reader.value(0, 0);
    expect(await pragma("journal_mode")).toBe("wal");
    expect(await pragma("foreign_keys")).toBe(1);
    expect(await pragma("busy_timeout")).toBe(1234);
    await driver.close();
    await expect(driver.query("SELECT 1", [])).rejects.toBeInstanceOf(ConnectionError);
  });

  it("keeps at most statementCacheSize prepared statements and still runs evicted SQL", async () => {
    const driver = await BetterSqliteDriver.open({ filename: ":memory:", statementCacheSize: 2 });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) {
        const res = await driver.query(`SELECT ${i} + ?`, [1]);
        expect(res.reader.int(0, 0)).toBe(i + 1);
      }
    }
    await driver.close();
  });

  it("switches integers to bigints only when asked", async () => {
    const driver = await BetterSqliteDriver.open({ filename: ":memory:" });
    const sql = "SELECT 9007199254740993";
    expect((await driver.query(sql, [], { bigints: true })).reader.bigint(0, 0)).toBe(
      9007199254740993n,
    );
    expect(typeof (await driver.query(sql, [])).reader.value(0, 0)).toBe("number");
    await driver.close();
  });
});

describe("better-sqlite3 statement cache and schema changes", () => {
  it("sees columns added after a statement was cached", async () => {
    const driver = await BetterSqliteDriver.open({ filename: ":memory:" });
    await driver.execute("CREATE TABLE t (a INTEGER)", []);
    await driver.execute("INSERT INTO t (a) VALUES (1)", []);
    expect((await driver.query("SELECT * FROM t", [])).columns).toEqual(["a"]);
    await driver.execute("ALTER TABLE t ADD COLUMN b TEXT", []);
    expect((await driver.query("SELECT * FROM t", [])).columns).toEqual(["a", "b"]);
    await driver.close();
  });
});
