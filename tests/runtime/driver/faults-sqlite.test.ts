/**
 * SQLite faults and misuse: a statement that would wait for its own transaction, a file locked
 * by another connection, bad URLs and files, reader edge values, the statement cache.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import { BetterSqliteDriver } from "../../../runtime/driver/better-sqlite3/driver.js";
import { StatementCache } from "../../../runtime/driver/statement-cache.js";
import {
  ConfigurationError,
  ConnectionError,
  DatabaseError,
  TransactionError,
} from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { inTransaction } from "../../../runtime/transaction.js";
import { holdConnection, sleep, within } from "./fault-helpers.js";

describe("SQLite: a statement that would wait for its own transaction", () => {
  let driver: BetterSqliteDriver;
  beforeAll(async () => {
    driver = await BetterSqliteDriver.open({ filename: ":memory:" });
  });
  afterAll(() => driver.close());

  it("fails fast with a TransactionError when the root driver is used inside the callback", async () => {
    for (const misuse of [
      () => driver.query("SELECT 1", []),
      () => driver.execute("SELECT 1", []),
      () => driver.transaction(async () => 1),
    ]) {
      const err = await within(driver.transaction(async () => misuse()));
      expect(err).toBeInstanceOf(TransactionError);
      expect((err as Error).message).toMatch(/connection passed to the transaction callback/);
    }
    // The driver is still usable and not left locked.
    expect((await driver.query("SELECT 2", [])).reader.int(0, 0)).toBe(2);
  });

  it("still lets a statement from a finished transaction's stray promise wait its turn", async () => {
    let stray: Promise<unknown> | undefined;
    await driver.transaction(async () => {
      stray = sleep(20).then(() => driver.query("SELECT 3", []));
    });
    const { done, release } = holdConnection(driver);
    await sleep(40);
    release();
    await done;
    expect(((await stray) as { rowCount: number }).rowCount).toBe(1);
  });

  it("fails fast when a savepoint's callback uses the outer connection for another savepoint", async () => {
    const err = await within(
      driver.transaction(async (outer) =>
        outer.transaction(async () => outer.transaction(async () => 1)),
      ),
    );
    expect(err).toBeInstanceOf(TransactionError);
  });

  it("explains YaraOrm.driver inside inTransaction", async () => {
    await YaraOrm.init("sqlite://:memory:", { log: () => undefined });
    try {
      const err = await within(inTransaction(async () => YaraOrm.driver.query("SELECT 1", [])));
      expect(err).toBeInstanceOf(TransactionError);
    } finally {
      await YaraOrm.close();
    }
  });
});

describe("SQLite files", () => {
  const dir = mkdtempSync(join(tmpdir(), "yara-faults-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a file locked past the busy timeout as SQLITE_BUSY with a clear message", async () => {
    const file = join(dir, "busy.db");
    const a = await BetterSqliteDriver.open({ filename: file, busyTimeoutMs: 50 });
    const b = await BetterSqliteDriver.open({ filename: file, busyTimeoutMs: 50 });
    try {
      await a.execute("CREATE TABLE t (x INTEGER)", []);
      const { done, release } = holdConnection(a);
      await sleep(10);
      const err = await within(b.execute("INSERT INTO t VALUES (1)", []));
      release();
      await done;
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err).toMatchObject({ code: "SQLITE_BUSY" });
      expect((err as Error).message).toMatch(/locked by another connection.*busy timeout/);
      await b.execute("INSERT INTO t VALUES (1)", []);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("rejects a URL whose path is not valid percent-encoding with a ConfigurationError", () => {
    expect(() => parseDatabaseUrl("sqlite://./100%.db")).toThrow(ConfigurationError);
    expect(parseDatabaseUrl("sqlite://./100%25.db")).toMatchObject({
      filename: expect.stringMatching(/\/100%\.db$/),
    });
  });

  it("refuses a path holding a NUL (%00) on both SQLite drivers instead of opening the name before it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "yara-nul-"));
    try {
      const url = `sqlite://${dir}/app.db%00.bak`;
      expect(() => parseDatabaseUrl(url)).toThrow(/NUL character/);
      for (const driver of ["better-sqlite3", "native"] as const) {
        const error = await YaraOrm.init(url, { driver }).then(
          () => undefined,
          (e: unknown) => e,
        );
        await YaraOrm.close();
        expect(error, driver).toBeInstanceOf(ConfigurationError);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SQLite reader edge values", () => {
  let driver: BetterSqliteDriver;
  beforeAll(async () => {
    driver = await BetterSqliteDriver.open({ filename: ":memory:" });
  });
  afterAll(() => driver.close());

  it("refuses text read as a number instead of returning NaN", async () => {
    const r = (await driver.query("SELECT 'abc', '12', 3.0, 2.5", [])).reader;
    expect(() => r.int(0, 0)).toThrow(/column 0, row 0.*not an integer/);
    expect(() => r.float(0, 0)).toThrow(/column 0, row 0.*not a number/);
    expect(r.int(1, 0)).toBe(12);
    expect(r.int(2, 0)).toBe(3);
    expect(r.float(3, 0)).toBe(2.5);
    expect(() => r.int(3, 0)).toThrow(/not an integer/);
    expect(() => r.bigint(0, 0)).toThrow(/column 0, row 0.*TEXT is not an integer/);
    expect(r.bigint(1, 0)).toBe(12n);
    expect(r.bigint(2, 0)).toBe(3n);
  });

  it("reports malformed stored JSON without quoting the stored text", async () => {
    const r = (await driver.query("SELECT 'secret-value'", [])).reader;
    expect(() => r.json(0, 0)).toThrow(/column 0, row 0.*not valid JSON/);
    try {
      r.json(0, 0);
    } catch (err) {
      expect((err as Error).message).not.toMatch(/secret/);
    }
  });
});

describe("opening SQLite files that are no database", () => {
  it("reports a file that is not a database as a ConnectionError naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "yara-notadb-"));
    try {
      const file = join(dir, "junk.db");
      writeFileSync(file, "not a database ".repeat(100));
      const err = await within(YaraOrm.init(`sqlite://${file}`));
      expect(err).toBeInstanceOf(ConnectionError);
      expect(err).toMatchObject({ code: "SQLITE_NOTADB" });
      expect((err as Error).message).toContain(file);
      expect(YaraOrm.initialized).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("StatementCache under churn", () => {
  it("never evicts the entry just set, and keeps entries that are hit", () => {
    const one = new StatementCache<number>(1);
    one.set("a", 1);
    one.get("a");
    one.set("b", 2);
    expect([one.get("a"), one.get("b")]).toEqual([undefined, 2]);
    const cache = new StatementCache<number>(3);
    for (let i = 0; i < 100; i++) {
      cache.get("hot");
      if (cache.get("hot") === undefined) cache.set("hot", 0);
      cache.set(`cold${i}`, i);
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(cache.get("hot")).toBe(0);
  });
});
