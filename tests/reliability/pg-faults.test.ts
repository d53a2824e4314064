/**
 * Guarantee: under connection faults no write is lost or half-committed, no connection leaks
 * and nothing hangs — for the pg and the native Postgres driver. Each fault (a pooled
 * connection terminated under load, a connection killed inside a transaction, an exhausted
 * pool, a statement timeout, a caller that gives up on a statement) is followed by a row-by-row
 * check of the table and a count of the connections left in pg_stat_activity after close().
 * The driver-level twins in tests/runtime/driver/faults-pg.test.ts and native-pg.test.ts check
 * the error classes and messages; this file checks the data and the connections.
 * On the shared server, in a private schema; only this file's connections (its own
 * application_name) are ever terminated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolOptions } from "../../runtime/config.js";
import type { Driver } from "../../runtime/driver/driver.js";
import { ConnectionError, DatabaseError } from "../../runtime/errors.js";
import { isolate, pgUrl, type IsolatedDatabase } from "../support/targets.js";
import { holdConnection, sleep, within } from "../runtime/driver/fault-helpers.js";
import { backendPids, leakedConnections, terminateBackend } from "./support/backends.js";
import { pgDriverKinds, tagged } from "./support/drivers.js";

for (const kind of pgDriverKinds()) {
  describe(`${kind.name}: Postgres faults keep data and connections whole`, () => {
    let db: IsolatedDatabase;
    let n = 0;
    beforeAll(async () => {
      db = await isolate({
        name: "postgres",
        dialect: "postgres",
        driver: kind.name,
        url: pgUrl(),
      });
    });
    afterAll(() => db.dispose());

    /**
     * Opens a driver tagged with a fresh application_name and a fresh table `t(id, v)`; after
     * `fn`, closes it and asserts that none of its connections is left on the server.
     */
    async function withDriver(
      pool: PoolOptions,
      fn: (d: Driver, ctx: { app: string; table: string }) => Promise<void>,
    ): Promise<void> {
      const app = `yara_rel_${kind.name}_${process.pid}_${++n}`;
      const table = `faults_${n}`;
      const driver = await kind.open(tagged(new URL(db.url), app), pool);
      try {
        await driver.execute(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, v TEXT NOT NULL)`, []);
        await fn(driver, { app, table });
      } finally {
        await driver.close();
      }
      expect(await leakedConnections(db.url, app)).toEqual([]);
    }

    /** Every row of `table`, as `id:v`, in id order. */
    async function rowsOf(d: Driver, table: string): Promise<string[]> {
      const res = await d.query(`SELECT id, v FROM ${table} ORDER BY id`, []);
      return Array.from(
        { length: res.rowCount },
        (_, i) => `${res.reader.int(0, i)}:${res.reader.text(1, i)}`,
      );
    }

    it("replaces a pooled connection terminated under load, without a hang or a lost write", async () => {
      await withDriver({ max: 4 }, async (driver, { app, table }) => {
        const acked: number[] = [];
        const errors: unknown[] = [];
        let killed = 0;
        const writes = Array.from({ length: 200 }, async (_, id) => {
          await sleep(id); // spread over ~200 ms so the kill lands mid-load
          const r = await within(
            driver.execute(`INSERT INTO ${table} VALUES ($1, 'w')`, [id]),
            5000,
          );
          if (r === "hang") throw new Error(`insert ${id} hung`);
          if (r instanceof Error) errors.push(r);
          else acked.push(id);
        });
        await sleep(60);
        const [victim] = await backendPids(db.url, app);
        expect(victim).toBeDefined();
        if (await terminateBackend(db.url, app, victim!)) killed++;
        await Promise.all(writes);
        expect(killed).toBe(1);
        for (const err of errors) expect(err).toBeInstanceOf(ConnectionError);
        // The pool answers again, on connections other than the terminated one.
        const pids = await Promise.all(
          Array.from({ length: 8 }, async () =>
            (await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0),
          ),
        );
        expect(pids).not.toContain(victim);
        const rows = await rowsOf(driver, table);
        const ids = rows.map((r) => Number(r.split(":")[0]));
        for (const id of acked) expect(ids).toContain(id);
        // A failed insert is either absent or (its commit reached the server first) present once.
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBeLessThanOrEqual(200);
      });
    });

    it("fails a transaction whose connection is killed, never half-commits it, never reuses the connection", async () => {
      await withDriver({ max: 2 }, async (driver, { app, table }) => {
        await driver.execute(`INSERT INTO ${table} VALUES (1, 'before')`, []);
        let txPid = 0;
        const result = await within(
          driver.transaction(async (tx) => {
            txPid = (await tx.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
            await tx.execute(`INSERT INTO ${table} VALUES (2, 'in tx')`, []);
            await tx.execute(`UPDATE ${table} SET v = 'changed in tx' WHERE id = 1`, []);
            expect(await terminateBackend(db.url, app, txPid)).toBe(true);
            await sleep(50);
            await tx.execute(`INSERT INTO ${table} VALUES (3, 'after kill')`, []);
          }),
          5000,
        );
        expect(result).toBeInstanceOf(ConnectionError);
        expect(await rowsOf(driver, table)).toEqual(["1:before"]);
        const after = await Promise.all(
          Array.from({ length: 6 }, async () =>
            (await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0),
          ),
        );
        expect(after).not.toContain(txPid);
        expect(await backendPids(db.url, app)).not.toContain(txPid);
        // Transactions after the fault commit normally.
        await driver.transaction(async (tx) =>
          tx.execute(`INSERT INTO ${table} VALUES (4, 'later')`, []),
        );
        expect(await rowsOf(driver, table)).toEqual(["1:before", "4:later"]);
      });
    });

    it("names the pool size when every connection stays busy, and serves the waiters once one frees", async () => {
      await withDriver({ max: 3, acquireTimeoutMs: 150 }, async (driver, { table }) => {
        const holds = [holdConnection(driver), holdConnection(driver), holdConnection(driver)];
        await sleep(50);
        const refused = await within(
          driver.execute(`INSERT INTO ${table} VALUES (1, 'refused')`, []),
        );
        expect(refused).toBeInstanceOf(ConnectionError);
        expect((refused as Error).message).toMatch(
          /all 3 connection\(s\) of the pool \(pool\.max\)/,
        );
        expect((refused as Error).message).toMatch(/150 ms/);
        for (const h of holds) h.release();
        await Promise.all(holds.map((h) => h.done));
        await driver.execute(`INSERT INTO ${table} VALUES (2, 'served')`, []);
        expect(await rowsOf(driver, table)).toEqual(["2:served"]);
      });
    });

    it("stops a statement at statement_timeout, rolls back its transaction and keeps the connection", async () => {
      await withDriver({ max: 1 }, async (driver, { table }) => {
        const url = new URL(db.url);
        expect(url.searchParams.get("options")).toMatch(/search_path/);
        const err = await within(
          driver.transaction(async (tx) => {
            await tx.execute(`INSERT INTO ${table} VALUES (1, 'doomed')`, []);
            await tx.execute("SET LOCAL statement_timeout = 50", []);
            await tx.query("SELECT pg_sleep(2)", []);
          }),
          5000,
        );
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).toMatchObject({ code: "57014" });
        const pid = (await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
        await driver.execute(`INSERT INTO ${table} VALUES (2, 'kept')`, []);
        expect((await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0)).toBe(pid);
        expect(await rowsOf(driver, table)).toEqual(["2:kept"]);
      });
    });

    it("lets callers abandon statements: the pool neither leaks nor hangs, finished writes stay", async () => {
      await withDriver({ max: 2 }, async (driver, { app, table }) => {
        const controller = new AbortController();
        // Abandoned: nobody awaits these; their outcome is only recorded.
        const outcomes: string[] = [];
        const abandoned = Array.from({ length: 6 }, (_, i) =>
          driver.execute(`INSERT INTO ${table} SELECT $1, 'slow' FROM pg_sleep(0.2)`, [i + 1]).then(
            () => outcomes.push(`ok ${i + 1}`),
            (e: unknown) => outcomes.push(`failed ${i + 1}: ${(e as Error).name}`),
          ),
        );
        const cancelled = within(
          driver.query("SELECT pg_sleep(3)", [], { signal: controller.signal }),
          5000,
        );
        await sleep(100);
        controller.abort();
        const c = await cancelled;
        if (kind.name === "native") {
          // The native driver cancels on the server (57014) well before the 3 s sleep ends.
          expect(c).toBeInstanceOf(DatabaseError);
          expect(c).toMatchObject({ code: "57014" });
        } else {
          // pg ignores the signal: the statement runs to its end, and its connection comes back.
          expect(c).toMatchObject({ rowCount: 1 });
        }
        await Promise.all(abandoned);
        expect(outcomes.sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `ok ${i}`).sort());
        expect(await rowsOf(driver, table)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `${i}:slow`));
        // No statement of this driver is still running on the server.
        const active = await driver.query(
          "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid()",
          [app],
        );
        expect(active.reader.int(0, 0)).toBe(0);
      });
    }, 20_000);
  });
}
