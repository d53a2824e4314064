/**
 * The native SQLite driver against better-sqlite3, the driver it must match: the same values
 * for every storage class, the same errors, WAL and the busy timeout on files, the statement
 * cache across DDL, and the off-thread path for long statements.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BetterSqliteDriver } from "../../../runtime/driver/better-sqlite3/driver.js";
import type { Driver, Param, QueryOptions } from "../../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativeSqliteDriver } from "../../../runtime/driver/native/sqlite.js";
import { ConnectionError, TransactionError, YaraError } from "../../../runtime/errors.js";

const addon = loadNativeAddon();

/** Every getter's outcome for a cell: its value, or the error's class and message. */
function readAll(
  driver: Driver,
  sql: string,
  params: readonly Param[] = [],
  options?: QueryOptions,
): Promise<unknown[]> {
  // `bigint` is read only with `bigints` on (QueryOptions): without it better-sqlite3 has
  // already rounded integers past 2^53 to numbers, where the native reader stays exact.
  const getters = [
    "isNull",
    "int",
    ...(options?.bigints === true ? (["bigint"] as const) : []),
    "float",
    "boolean",
    "text",
    "datetime",
    "json",
    "binary",
    "value",
  ] as const;
  return driver.query(sql, params, options).then((r) => {
    const out: unknown[] = [r.columns, r.rowCount];
    for (let row = 0; row < r.rowCount; row++) {
      for (let col = 0; col < r.columns.length; col++) {
        for (const g of getters) {
          try {
            out.push([g, r.reader[g](col, row)]);
          } catch (err) {
            out.push([g, (err as Error).constructor.name, (err as Error).message]);
          }
        }
      }
    }
    return out;
  });
}

async function failure(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await run();
  } catch (err) {
    const e = err as Error & Record<string, unknown>;
    return {
      class: e.constructor.name,
      message: e.message,
      code: e.code,
      kind: e.kind,
      constraint: e.constraint,
      table: e.table,
      column: e.column,
    };
  }
  throw new Error("no error");
}

for (const native of addon === undefined ? [] : [addon]) {
  describe("native SQLite driver, side by side with better-sqlite3", () => {
    let ours: NativeSqliteDriver;
    let theirs: BetterSqliteDriver;
    const both = async (sql: string, params: readonly Param[] = []): Promise<void> => {
      await ours.execute(sql, params);
      await theirs.execute(sql, params);
    };

    beforeAll(async () => {
      ours = NativeSqliteDriver.open(native, { filename: ":memory:" });
      theirs = await BetterSqliteDriver.open({ filename: ":memory:" });
      await both(
        `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, n INTEGER NOT NULL DEFAULT 0,
           r REAL, b BLOB, parent INTEGER REFERENCES t (id), CHECK (n >= 0))`,
      );
      await both("CREATE UNIQUE INDEX t_r_b ON t (r, b)");
      await both("INSERT INTO t (a, n, r, b) VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)", [
        "héllo 😀",
        9007199254740993n,
        1.5,
        new Uint8Array([0, 255]),
        "2024-02-29T23:59:58.123Z",
        3,
        2,
        null,
        '{"a":[1,"x"]}',
        12,
        Number.NaN,
        Buffer.from("text in a blob"),
      ]);
      await both("CREATE TABLE shelf (id INTEGER PRIMARY KEY)");
      await both("CREATE TABLE slot (shelf INTEGER REFERENCES shelf (id) ON DELETE RESTRICT)");
      await both("INSERT INTO shelf VALUES (1)");
      await both("INSERT INTO slot VALUES (1)");
      await both(
        "CREATE TRIGGER no_negative BEFORE INSERT ON slot WHEN NEW.shelf < 0 BEGIN SELECT RAISE(ABORT, 'negative shelf'); END",
      );
    });
    afterAll(async () => {
      await ours.close();
      await theirs.close();
    });

    it.each([
      ["every column of every row", "SELECT * FROM t ORDER BY id", []],
      [
        "expressions of every storage class",
        // -0.0 is left out: the native reader gives 0 (see "reads -0 as 0" below).
        "SELECT 1, 0.0, 1e308 * 10, 'x' || ?, x'00', NULL, 9223372036854775807, ?, ?, ?",
        ["y", true, 2n ** 62n, new Uint8Array([])],
      ],
      [
        "text that looks like numbers and datetimes",
        "SELECT '42', ' 7 ', '1.5e3', '', '2024-01-02 03:04:05', '2024-01-02'",
        [],
      ],
      [
        // Both drivers run better-sqlite3's SQLite (native/build.mjs links its archive).
        "functions of recent SQLite versions",
        "SELECT sqlite_version(), concat_ws('-', 'a', 2), unistr('\\u00e9'), octet_length('é'), timediff('2024-03-01', '2024-02-01')",
        [],
      ],
      [
        "dialect functions",
        "SELECT yara_lower('ÀÉ ΣΟΦΟΣ'), yara_upper('straße'), yara_lower(5), yara_upper(NULL)",
        [],
      ],
      ["an empty result", "SELECT id, a FROM t WHERE id < 0", []],
    ] as const)("reads %s identically", async (_name, sql, params) => {
      for (const bigints of [false, true]) {
        expect(await readAll(ours, sql, params, { bigints })).toEqual(
          await readAll(theirs, sql, params, { bigints }),
        );
      }
    });

    it("counts changes identically, including statements that change nothing", async () => {
      const statements: [string, Param[]][] = [
        ["UPDATE t SET n = n + 1 WHERE id > ?", [0]],
        ["CREATE TABLE IF NOT EXISTS t (x)", []],
        ["SELECT 1", []],
        ["DELETE FROM t WHERE id = ?", [999]],
        ["UPDATE t SET n = n - 1 WHERE id > ?", [0]],
      ];
      for (const [sql, params] of statements) {
        expect(await ours.execute(sql, params)).toEqual(await theirs.execute(sql, params));
      }
    });

    it("throws the same errors", async () => {
      const cases: [string, Param[]][] = [
        ["INSERT INTO t (id, a) VALUES (1, 'dup')", []],
        ["INSERT INTO t (a) VALUES (?)", ["héllo 😀"]],
        ["INSERT INTO t (a, n) VALUES ('z', NULL)", []],
        ["INSERT INTO t (a, n) VALUES ('z', -1)", []],
        ["INSERT INTO t (a, parent) VALUES ('z', 999)", []],
        ["INSERT INTO t (r, b) VALUES (1.5, x'00ff')", []],
        ["SELEC 1", []],
        ["SELECT * FROM nowhere", []],
        ["SELECT 1; SELECT 2", []],
        ["   ", []],
        ["SELECT ?, ?", [1]],
        ["SELECT ?", [1, 2]],
        ["SELECT ?", [[1, 2]]],
        // Double quotes name identifiers only (DQS=0), with the same hint in the message.
        ['SELECT "no_such_column" FROM t', []],
        // ON DELETE RESTRICT fails as a trigger with the foreign-key message: foreign_key.
        ["DELETE FROM shelf WHERE id = ?", [1]],
        // A trigger's own RAISE has the same code and stays a DatabaseError.
        ["INSERT INTO slot VALUES (?)", [-1]],
      ];
      for (const [sql, params] of cases) {
        const mine = await failure(() => ours.query(sql, params));
        const reference = await failure(() => theirs.query(sql, params));
        expect({ sql, ...mine }).toEqual({ sql, ...reference });
      }
      expect(
        await failure(() => ours.execute("DELETE FROM shelf WHERE id = ?", [1])),
      ).toMatchObject({
        class: "IntegrityError",
        kind: "foreign_key",
        code: "SQLITE_CONSTRAINT_TRIGGER",
      });
      expect(await failure(() => ours.execute("INSERT INTO slot VALUES (?)", [-1]))).toMatchObject({
        class: "DatabaseError",
        code: "SQLITE_CONSTRAINT_TRIGGER",
        message: "negative shelf",
      });
    });

    it("runs one statement per call: stacked statements are refused and none of them runs", async () => {
      const before = (await ours.query("SELECT count(*) FROM t", [])).reader.int(0, 0);
      expect(before).toBeGreaterThan(0);
      for (const run of [
        () => ours.query("SELECT 1; DELETE FROM t", []),
        () => ours.execute("SELECT 1; DELETE FROM t", []),
        () => ours.query("SELECT ?; DELETE FROM t", [1]),
        () => ours.transaction((tx) => tx.execute("SELECT 1; DELETE FROM t", [])),
      ]) {
        expect(await failure(run)).toMatchObject({
          class: "DatabaseError",
          message: "The supplied SQL string contains more than one statement",
        });
      }
      expect((await ours.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(before);
    });

    it("rolls back a failed transaction and commits a good one, as better-sqlite3", async () => {
      for (const driver of [ours, theirs] as Driver[]) {
        await expect(
          driver.transaction(async (c) => {
            await c.execute("INSERT INTO t (a) VALUES ('in tx')", []);
            await c.execute("INSERT INTO t (a) VALUES ('in tx')", []);
          }),
        ).rejects.toThrow(/UNIQUE constraint failed: t.a/);
        await driver.transaction(async (c) => {
          await c.transaction(async (inner) =>
            inner.execute("INSERT INTO t (a) VALUES ('kept')", []),
          );
        });
        await expect(driver.transaction(async () => driver.query("SELECT 1", []))).rejects.toThrow(
          TransactionError,
        );
      }
      const sql = "SELECT a FROM t WHERE a IN ('in tx', 'kept')";
      expect(await readAll(ours, sql)).toEqual(await readAll(theirs, sql));
    });

    it("sees new columns after DDL (the statement cache starts over)", async () => {
      for (const driver of [ours, theirs] as Driver[]) {
        await driver.execute("CREATE TABLE grow (a INTEGER)", []);
        await driver.execute("INSERT INTO grow VALUES (1)", []);
        expect((await driver.query("SELECT * FROM grow", [])).columns).toEqual(["a"]);
        await driver.execute("ALTER TABLE grow ADD COLUMN b TEXT DEFAULT 'x'", []);
        const r = await driver.query("SELECT * FROM grow", []);
        expect(r.columns).toEqual(["a", "b"]);
        expect(r.reader.text(1, 0)).toBe("x");
      }
    });

    it("keeps at most statementCacheSize statements and still runs evicted SQL", async () => {
      const small = NativeSqliteDriver.open(native, {
        filename: ":memory:",
        statementCacheSize: 2,
      });
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 5; i++) {
          expect((await small.query(`SELECT ${i} + ?`, [1])).reader.int(0, 0)).toBe(i + 1);
        }
      }
      await small.close();
      await small.close();
      await expect(small.query("SELECT 1", [])).rejects.toBeInstanceOf(ConnectionError);
    });

    it("keeps results readable after their arena filled up, and hands big ones over whole", async () => {
      const driver = NativeSqliteDriver.open(native, { filename: ":memory:" });
      const kept: [number, Awaited<ReturnType<typeof driver.query>>][] = [];
      // ~100 bytes a result: a 1 MiB arena fills after ~10 000, so this crosses several.
      for (let i = 0; i < 30_000; i++) {
        const r = await driver.query("SELECT ?, 'row ' || ?", [BigInt(i), BigInt(i)]);
        if (i % 997 === 0) kept.push([i, r]);
      }
      for (const [i, r] of kept)
        expect([r.reader.int(0, 0), r.reader.text(1, 0)]).toEqual([i, `row ${i}`]);
      // 20 000 rows × 2 columns: past what an arena takes, so it arrives in its own buffer.
      const big = await driver.query(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT x, 'v' || x FROM c",
        [],
      );
      expect(big.rowCount).toBe(20_000);
      expect([big.reader.int(0, 19_999), big.reader.text(1, 19_999)]).toEqual([20_000, "v20000"]);
      await driver.close();
    });

    it("refuses a bigint wider than 64 bits as a bind error naming the parameter", async () => {
      const e = await failure(() => ours.query("SELECT ?, ?", [1, 2n ** 70n]));
      expect(e).toMatchObject({
        class: "DatabaseError",
        message: "parameter 2 is a bigint wider than 64 bits; SQL integers hold at most 64 bits",
      });
      const array = await failure(() => ours.query("SELECT ?", [[1]]));
      expect(array.class).toBe(YaraError.name);
    });
  });

  describe("native SQLite: -0", () => {
    it("reads -0 as 0, from expressions and from a column without affinity", async () => {
      const db = NativeSqliteDriver.open(native, { filename: ":memory:" });
      try {
        await db.execute("CREATE TABLE z (v, r REAL)", []);
        await db.execute("INSERT INTO z VALUES (?, ?)", [-0, -0]);
        const r = await db.query("SELECT v, r, -0.0, -v, 0.0 * -1 FROM z", []);
        for (let c = 0; c < 5; c++) {
          expect(Object.is(r.reader.float(c, 0), 0), `column ${c}`).toBe(true);
          expect(Object.is(r.reader.value(c, 0), 0), `column ${c}`).toBe(true);
        }
        expect((await db.query("SELECT -1.5", [])).reader.float(0, 0)).toBe(-1.5);
      } finally {
        await db.close();
      }
    });
  });

  describe("native SQLite off the JS thread", () => {
    const LONG =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*), sum(x) FROM c";

    it("runs a long statement on a worker thread while the event loop keeps turning", async () => {
      const driver = NativeSqliteDriver.open(native, { filename: ":memory:" });
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const started = performance.now();
      const r = await driver.queryAsync(LONG, []);
      const took = performance.now() - started;
      clearInterval(timer);
      expect(r.reader.int(0, 0)).toBe(1_000_000);
      expect(r.reader.value(1, 0)).toBe(500_000_500_000);
      // A statement this long on the JS thread would have held every timer until it ended.
      expect(took).toBeGreaterThan(20);
      expect(ticks).toBeGreaterThan(2);
      await driver.close();
    });

    it("queues statements sent meanwhile behind it, in order", async () => {
      const driver = NativeSqliteDriver.open(native, { filename: ":memory:" });
      await driver.execute("CREATE TABLE log (n INTEGER)", []);
      const order: string[] = [];
      const long = driver.queryAsync(LONG, []).then(() => order.push("long"));
      const insert = driver
        .execute("INSERT INTO log VALUES (1)", [])
        .then(() => order.push("insert"));
      const read = driver.query("SELECT count(*) FROM log", []).then((r) => {
        order.push("read");
        return r.reader.int(0, 0);
      });
      await Promise.all([long, insert]);
      expect(await read).toBe(1);
      expect(order).toEqual(["long", "insert", "read"]);
      await driver.close();
    });

    it("rejects with the mapped error when the statement fails", async () => {
      const driver = NativeSqliteDriver.open(native, { filename: ":memory:" });
      await expect(driver.queryAsync("SELECT * FROM nowhere", [])).rejects.toMatchObject({
        name: "DatabaseError",
        // No model has the table: the hint to create the schema would mislead.
        message: "no such table: nowhere",
        code: "SQLITE_ERROR",
      });
      expect((await driver.query("SELECT 1", [])).reader.int(0, 0)).toBe(1);
      await driver.close();
    });
  });

  describe("native SQLite on a file database", () => {
    const dir = mkdtempSync(join(tmpdir(), "yara-native-sqlite-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("opens in WAL mode with foreign keys on and a busy timeout", async () => {
      const driver = NativeSqliteDriver.open(native, {
        filename: join(dir, "app.db"),
        busyTimeoutMs: 1234,
      });
      const pragma = async (name: string) =>
        (await driver.query(`PRAGMA ${name}`, [])).reader.value(0, 0);
      expect(await pragma("journal_mode")).toBe("wal");
      expect(await pragma("foreign_keys")).toBe(1);
      expect(await pragma("busy_timeout")).toBe(1234);
      await driver.close();
    });

    it("checkpoints the log beside the writer: thousands of commits keep it small, close removes it", async () => {
      const { existsSync, statSync } = await import("node:fs");
      const file = join(dir, "log.db");
      const driver = NativeSqliteDriver.open(native, { filename: file });
      await driver.execute("CREATE TABLE t (x TEXT)", []);
      // About one page a commit: without checkpoints the log would hold all 6 000 pages.
      const row = "x".repeat(3_000);
      for (let i = 0; i < 6_000; i++) await driver.execute("INSERT INTO t VALUES (?)", [row]);
      const pages = statSync(`${file}-wal`).size / 4_096;
      expect(pages).toBeLessThan(2_200); // twice SQLite's 1 000, and a little
      expect((await driver.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(6_000);
      await driver.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      const again = NativeSqliteDriver.open(native, { filename: file });
      expect((await again.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(6_000);
      await again.close();
    });

    it("waits the busy timeout for another connection's write lock, then reports it locked", async () => {
      const file = join(dir, "busy.db");
      const holder = NativeSqliteDriver.open(native, { filename: file });
      const waiter = NativeSqliteDriver.open(native, { filename: file, busyTimeoutMs: 150 });
      await holder.execute("CREATE TABLE t (x INTEGER)", []);
      let release: () => void = () => undefined;
      let inserted: () => void = () => undefined;
      const writing = new Promise<void>((resolve) => (inserted = resolve));
      const held = holder.transaction(async (c) => {
        await c.execute("INSERT INTO t VALUES (1)", []);
        inserted();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await writing;
      const started = performance.now();
      const e = await failure(() => waiter.execute("INSERT INTO t VALUES (2)", []));
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(e).toMatchObject({ class: "DatabaseError", code: "SQLITE_BUSY" });
      expect(e.message).toMatch(/locked by another connection or process/);
      release();
      await held;
      await waiter.execute("INSERT INTO t VALUES (2)", []);
      expect((await holder.query("SELECT count(*) FROM t", [])).reader.int(0, 0)).toBe(2);
      await holder.close();
      await waiter.close();
    });

    it("refuses a path holding a NUL instead of opening the file named up to it", async () => {
      for (const name of ["a\0b.db", "\0", "dir\0/x.db"]) {
        const err = await failure(async () =>
          NativeSqliteDriver.open(native, { filename: join(dir, name) }),
        );
        expect(err.message).toMatch(/nul/i);
        expect(err.class).not.toBe("Error");
      }
      const { readdirSync } = await import("node:fs");
      // Nothing named up to the NUL ("a", "dir") was created.
      expect(readdirSync(dir).filter((f) => f === "a" || f === "dir")).toEqual([]);
    });

    it("reports a file that is no database as a ConnectionError, as better-sqlite3", async () => {
      const file = join(dir, "not-a-db.db");
      const { writeFileSync } = await import("node:fs");
      writeFileSync(file, "this is not a SQLite database, just text long enough to have a header");
      const mine = await failure(async () => NativeSqliteDriver.open(native, { filename: file }));
      const reference = await failure(() => BetterSqliteDriver.open({ filename: file }));
      expect(mine).toEqual(reference);
    });
  });
}
