/**
 * Round trips of the native Postgres driver, counted on the wire by the loopback proxy of
 * tests/support/pg-wire-counter.ts (one turn = one round trip the client waited for). BEGIN travels with a transaction's first
 * statement, COMMIT and ROLLBACK take one turn each, and a cached insert takes one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver, type NativePgExports } from "../../../runtime/driver/native/postgres.js";
import { IntegrityError } from "../../../runtime/errors.js";
import { pgTarget } from "./fault-helpers.js";
import { pgWireCounter, type WireCounter } from "../../support/pg-wire-counter.js";

const addon = loadNativeAddon();

for (const native of addon === undefined ? [] : [addon]) {
  describe("native Postgres: round trips", () => {
    const table = `yara_round_trips_${process.pid}`;
    let proxy: WireCounter;
    let driver: NativePgDriver;
    const insert = `INSERT INTO ${table} (label) VALUES ($1) RETURNING id, label`;

    /** Turns taken by `work`, on a connection whose statements are already prepared. */
    async function turnsOf(work: () => Promise<unknown>): Promise<number> {
      proxy.reset();
      await work();
      return proxy.counts().turns;
    }

    const threeInserts = () =>
      driver.transaction(async (tx) => {
        for (const label of ["a", "b", "c"]) await tx.query(insert, [label]);
      });

    beforeAll(async () => {
      const target = pgTarget();
      proxy = await pgWireCounter(target);
      // One connection: every statement below runs on it, with its statement cache.
      driver = await NativePgDriver.open(native, new URL(proxy.url(target)), { max: 1, min: 1 });
      await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      await driver.execute(
        `CREATE TABLE ${table} (id serial PRIMARY KEY, label text NOT NULL)`,
        [],
      );
      await threeInserts(); // prepares the insert on the connection
    });

    afterAll(async () => {
      await driver?.execute(`DROP TABLE IF EXISTS ${table}`, []);
      await driver?.close();
      await proxy?.close();
    });

    it("a transaction of 3 inserts takes 4 round trips: BEGIN goes with the first insert", async () => {
      expect(await turnsOf(threeInserts)).toBe(4);
      const rows = await driver.query(`SELECT count(*)::int FROM ${table}`, []);
      expect(rows.reader.int(0, 0)).toBe(6);
    });

    it("an insert outside a transaction takes 1 round trip", async () => {
      expect(await turnsOf(() => driver.query(insert, ["one"]))).toBe(1);
    });

    it("a transaction that runs no statement sends nothing", async () => {
      expect(await turnsOf(() => driver.transaction(async () => "nothing"))).toBe(0);
    });

    it("a failed first statement rolls back in one more round trip and keeps the connection usable", async () => {
      let failed: unknown;
      const turns = await turnsOf(() =>
        driver
          .transaction(async (tx) => {
            await tx.query(`INSERT INTO ${table} (label) VALUES (NULL)`, []);
          })
          .catch((err: unknown) => (failed = err)),
      );
      expect(failed).toBeInstanceOf(IntegrityError);
      // Prepare (not cached yet) + BEGIN with the failing insert, then ROLLBACK.
      expect(turns).toBe(3);
      // No transaction was left open: a row inserted next is committed at once, as another
      // connection sees.
      await driver.query(insert, ["after failure"]);
      const other = await NativePgDriver.open(native, pgTarget(), { max: 1 });
      try {
        const seen = await other.query(`SELECT count(*)::int FROM ${table} WHERE label = $1`, [
          "after failure",
        ]);
        expect(seen.reader.int(0, 0)).toBe(1);
      } finally {
        await other.close();
      }
    });

    it("the rows of a committed transaction are there and a rolled-back one's are not", async () => {
      const before = (await driver.query(`SELECT count(*)::int FROM ${table}`, [])).reader.int(
        0,
        0,
      );
      await driver
        .transaction(async (tx) => {
          await tx.query(insert, ["gone"]);
          throw new Error("undo");
        })
        .catch(() => undefined);
      await driver.transaction(async (tx) => tx.query(insert, ["kept"]));
      const after = await driver.query(`SELECT label FROM ${table} WHERE id > 0 ORDER BY id`, []);
      expect(after.rowCount).toBe(before + 1);
    });
  });

  describe("native Postgres behind PgBouncer (pgbouncer=true): round trips", () => {
    // The proxy stands in for PgBouncer: the engine's pgbouncer mode is what is counted.
    let proxy: WireCounter;
    let driver: NativePgDriver;
    const lookup = "SELECT $1::int + 1 AS next";
    const leftBehind =
      "SELECT count(*)::int FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'";

    beforeAll(async () => {
      const target = pgTarget();
      proxy = await pgWireCounter(target);
      const url = new URL(proxy.url(target));
      url.searchParams.set("pgbouncer", "true");
      // One connection, so the statements left on it can be counted from it.
      driver = await NativePgDriver.open(native, url, { max: 1, min: 1 });
    });

    afterAll(async () => {
      await driver?.close();
      await proxy?.close();
    });

    it("a lone statement takes 2 round trips: BEGIN with its Parse, then Bind/Execute with DEALLOCATE ALL and COMMIT", async () => {
      await driver.query(lookup, [0]); // leaves a statement retired on the client
      proxy.reset();
      const { reader } = await driver.query(lookup, [41]);
      expect(reader.int(0, 0)).toBe(42);
      const counts = proxy.counts();
      // The previous statement's Close (C) travels inside this transaction, after BEGIN: on a
      // server connection of this transaction's, where nothing of that name exists any more.
      expect(counts.turnMessages).toEqual(["QCSPDS", "BESQ"]);
      expect(counts.queries).toEqual(["BEGIN", "DEALLOCATE ALL; COMMIT"]);
      expect((await driver.query(leftBehind, [])).reader.int(0, 0)).toBe(0);
    });

    it("a lone statement's rows are committed with it", async () => {
      const table = `yara_round_trips_lone_${process.pid}`;
      await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      await driver.execute(`CREATE TABLE ${table} (id serial PRIMARY KEY, n int NOT NULL)`, []);
      try {
        const inserted = await driver.query(
          `INSERT INTO ${table} (n) VALUES ($1) RETURNING n`,
          [7],
        );
        expect(inserted.reader.int(0, 0)).toBe(7);
        expect((await driver.execute(`UPDATE ${table} SET n = n + $1`, [1])).rowCount).toBe(1);
        const other = await NativePgDriver.open(native, pgTarget(), { max: 1 });
        try {
          const seen = await other.query(`SELECT n FROM ${table}`, []);
          expect(seen.reader.int(0, 0)).toBe(8);
        } finally {
          await other.close();
        }
      } finally {
        await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      }
    });

    it("a failing lone statement takes one more round trip to roll back, with its own error", async () => {
      proxy.reset();
      await expect(driver.query("SELECT 1 / $1::int", [0])).rejects.toThrow("division by zero");
      const counts = proxy.counts();
      // Its transaction refused DEALLOCATE (aborted), so COMMIT did not run: ROLLBACK ends it.
      expect(counts.turnMessages).toEqual(["QCSPDS", "BESQ", "Q"]);
      expect(counts.queries).toEqual([
        "BEGIN",
        "DEALLOCATE ALL; COMMIT",
        "ROLLBACK; DEALLOCATE ALL",
      ]);
      expect((await driver.query(leftBehind, [])).reader.int(0, 0)).toBe(0);
      expect((await driver.query(lookup, [1])).reader.int(0, 0)).toBe(2);
    });

    it("a lone statement the server cannot prepare rolls back in 2 round trips", async () => {
      await driver.query(lookup, [0]);
      proxy.reset();
      await expect(driver.query("SELECT no_such_column_here", [])).rejects.toThrow(
        'column "no_such_column_here" does not exist',
      );
      const counts = proxy.counts();
      expect(counts.turnMessages).toEqual(["QCSPDS", "Q"]);
      expect(counts.queries).toEqual(["BEGIN", "ROLLBACK"]);
      expect((await driver.query(leftBehind, [])).reader.int(0, 0)).toBe(0);
      expect((await driver.query(lookup, [2])).reader.int(0, 0)).toBe(3);
    });

    it("a COMMIT that fails (a deferred constraint) fails the lone statement and leaves nothing prepared", async () => {
      const table = `yara_round_trips_deferred_${process.pid}`;
      await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      await driver.execute(
        `CREATE TABLE ${table} (id int PRIMARY KEY, parent int REFERENCES ${table} (id) DEFERRABLE INITIALLY DEFERRED)`,
        [],
      );
      try {
        await expect(
          driver.execute(`INSERT INTO ${table} (id, parent) VALUES ($1, $2)`, [1, 99]),
        ).rejects.toThrow("violates foreign key constraint");
        expect((await driver.query(leftBehind, [])).reader.int(0, 0)).toBe(0);
        expect(
          (await driver.query(`SELECT count(*)::int FROM ${table}`, [])).reader.int(0, 0),
        ).toBe(0);
      } finally {
        await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      }
    });

    it("a connection whose client looked a type up deallocates everything with its COMMIT or ROLLBACK", async () => {
      const mood = `yara_round_trips_mood_${process.pid}`;
      await driver.execute(`DROP TYPE IF EXISTS ${mood}`, []);
      await driver.execute(`CREATE TYPE ${mood} AS ENUM ('calm', 'tense')`, []);
      try {
        proxy.reset();
        const { reader } = await driver.query(`SELECT $1::text::${mood} AS m`, ["calm"]);
        expect(reader.value(0, 0)).toBe("calm");
        expect(proxy.counts().queries).toEqual(["BEGIN", "DEALLOCATE ALL; COMMIT"]);
        expect(
          proxy.counts().parses.filter((sql) => sql.includes("pg_catalog.pg_type")),
        ).toHaveLength(1);
        proxy.reset();
        await expect(driver.query(`SELECT $1::text::${mood} AS m`, ["lost"])).rejects.toThrow(
          `invalid input value for enum ${mood}`,
        );
        expect(proxy.counts().queries).toEqual([
          "BEGIN",
          "DEALLOCATE ALL; COMMIT",
          "ROLLBACK; DEALLOCATE ALL",
        ]);
        // On a new connection, whose client looked the type up again.
        expect(
          proxy.counts().parses.filter((sql) => sql.includes("pg_catalog.pg_type")),
        ).toHaveLength(1);
      } finally {
        await driver.execute(`DROP TYPE IF EXISTS ${mood}`, []);
      }
    });
  });

  describe("native Postgres: starting a transaction", () => {
    it("takes the idle connection at once, also right after the previous transaction committed", async () => {
      let waited = 0;
      const counting = {
        ...native,
        pgAcquire: (pool: unknown) => {
          waited++;
          return (native as unknown as NativePgExports).pgAcquire(pool as never);
        },
      };
      const driver = await NativePgDriver.open(counting as typeof native, pgTarget(), {
        max: 1,
        min: 1,
      });
      try {
        for (let i = 0; i < 50; i++) {
          // COMMIT lets go of the connection before its promise settles, so the next
          // transaction finds it idle without a promise (pgTryAcquire) instead of waiting.
          await driver.transaction((tx) => tx.query("SELECT 1", []));
        }
        expect(waited).toBe(0);
        // Held by a transaction: the next one waits for it through pgAcquire.
        let release: () => void = () => undefined;
        const gate = new Promise<void>((r) => (release = r));
        const holding = driver.transaction(() => gate);
        const next = driver.transaction((tx) => tx.query("SELECT 2", []));
        await new Promise((r) => setTimeout(r, 20));
        release();
        await Promise.all([holding, next]);
        expect(waited).toBe(1);
      } finally {
        await driver.close();
      }
    });
  });
}
