/**
 * pg driver faults of its own, bounded and on loopback: server-side timeouts and aborts mapped to
 * error codes, edge values read from text, one statement per string, a wrong parameter count,
 * concurrent statements inside one transaction. The pool faults both Postgres drivers share are
 * in faults-pool.test.ts.
 */
import { describe, expect, it } from "vitest";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { ConnectionError, DatabaseError } from "../../../runtime/errors.js";
import { pgTarget, within } from "./fault-helpers.js";

describe("pg driver faults", () => {
  it("maps statement_timeout, serialization failures and deadlocks to DatabaseError codes without detail", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      const timeout = await within(
        driver.transaction(async (c) => {
          await c.execute("SET LOCAL statement_timeout = 20", []);
          await c.query("SELECT pg_sleep(1)", []);
        }),
      );
      expect(timeout).toBeInstanceOf(DatabaseError);
      expect(timeout).toMatchObject({ code: "57014" });
      expect((timeout as Error).message).toMatch(/statement timeout/);
      for (const code of ["40001", "40P01"]) {
        const err = await within(
          driver.execute(
            `DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '${code}', DETAIL = 'Key (id)=(secret)'; END $$`,
            [],
          ),
        );
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).toMatchObject({ code });
        expect(JSON.stringify(err) + String((err as Error).message)).not.toMatch(/secret/);
      }
    } finally {
      await driver.close();
    }
  });

  it("reads edge values clearly: int8 past 2^53, infinite and BC dates", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      const r = (
        await driver.query(
          "SELECT 9007199254740993::int8, 'infinity'::date, '0044-03-15 BC'::date, '\\xDEADbeef'::bytea, 10000000000::int8",
          [],
        )
      ).reader;
      expect(() => r.int(0, 0)).toThrow(/2\^53.*bigint/);
      expect(r.bigint(0, 0)).toBe(9007199254740993n);
      expect(() => r.date(1, 0)).toThrow(/"infinity".*date/);
      expect(() => r.date(2, 0)).toThrow(/BC/);
      expect(r.binary(3, 0)).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
      expect(r.int(4, 0)).toBe(10000000000);
    } finally {
      await driver.close();
    }
  });

  it("runs one statement per string: stacked statements are refused and none of them runs", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      await driver.execute("CREATE TEMP TABLE stacked (x INTEGER)", []);
      await driver.execute("INSERT INTO stacked VALUES (1), (2)", []);
      for (const sql of [
        "SELECT 1; DELETE FROM stacked",
        "SELECT 1;DELETE FROM stacked;",
        "INSERT INTO stacked VALUES (3); DELETE FROM stacked",
      ]) {
        const err = await within(driver.query(sql, []));
        expect(err).toBeInstanceOf(DatabaseError);
        expect((err as Error).message).toMatch(/cannot insert multiple commands/);
      }
      // One statement holding semicolons (in a string, a DO body) still runs.
      expect((await driver.query("SELECT 'a;b' AS s", [])).reader.text(0, 0)).toBe("a;b");
      await driver.execute("DO $$ BEGIN PERFORM 1; PERFORM 2; END $$", []);
      expect((await driver.query("SELECT count(*)::int FROM stacked", [])).reader.int(0, 0)).toBe(
        2,
      );
      // BEGIN / COMMIT and savepoints still work.
      await driver.transaction(async (tx) => {
        await tx.execute("INSERT INTO stacked VALUES (4)", []);
        await tx.transaction((sp) => sp.execute("INSERT INTO stacked VALUES (5)", []));
      });
      expect((await driver.query("SELECT count(*)::int FROM stacked", [])).reader.int(0, 0)).toBe(
        4,
      );
    } finally {
      await driver.close();
    }
  });

  it("reports a wrong parameter count as the server's DatabaseError and keeps the connection", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      const pid = (await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
      for (const [sql, params] of [
        ["SELECT $1::int + $2::int AS n", [1]],
        ["SELECT $1::int AS n", [1, 2]],
        ["SELECT 1 AS n", [1]],
      ] as const) {
        const err = await within(driver.query(sql, params));
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).not.toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(/bind message supplies \d+ parameters?/);
        expect(err).toMatchObject({ code: "08P01" });
      }
      // The same connection (a pool of one) answers, and the statement works with the right count.
      expect((await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0)).toBe(pid);
      expect((await driver.query("SELECT $1::int + $2::int AS n", [1, 2])).reader.int(0, 0)).toBe(
        3,
      );
      expect((await driver.query("SELECT $1::int AS n", [7])).reader.int(0, 0)).toBe(7);
      expect((await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0)).toBe(pid);
    } finally {
      await driver.close();
    }
  });

  it("queues concurrent statements inside one transaction without node-postgres' deprecation warning", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 2 });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const results = await driver.transaction(async (tx) => {
        await tx.execute("CREATE TEMP TABLE queued (n INTEGER) ON COMMIT DROP", []);
        const inserts = Array.from({ length: 20 }, (_, i) =>
          tx.query("INSERT INTO queued VALUES ($1) RETURNING n", [i]),
        );
        const rows = await Promise.all(inserts);
        const sum = await tx.query("SELECT sum(n)::int, count(*)::int FROM queued", []);
        return {
          rows: rows.map((r) => r.reader.int(0, 0)),
          sum: sum.reader.int(0, 0),
          count: sum.reader.int(1, 0),
        };
      });
      expect(results.rows).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(results).toMatchObject({ sum: 190, count: 20 });
      // Savepoints nested concurrently inside the transaction queue the same way.
      const nested = await driver.transaction((tx) =>
        Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            tx.transaction(async (sp) =>
              (await sp.query("SELECT $1::int AS n", [i])).reader.int(0, 0),
            ),
          ),
        ),
      );
      expect(nested).toEqual([0, 1, 2, 3, 4]);
      await new Promise((r) => setImmediate(r));
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await driver.close();
    }
  });
});
