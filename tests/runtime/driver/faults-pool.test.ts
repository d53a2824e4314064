/**
 * Pool faults every pooled driver — both Postgres drivers and mysql2 on MariaDB — must handle the
 * same way, bounded and on loopback: a killed connection, an exhausted pool, close() with
 * statements waiting, a transaction holding every connection. Driver-specific faults live in
 * faults-pg.test.ts (pg), native-pg.test.ts (native) and
 * tests/reliability/mysql-connection-loss.test.ts (mysql2).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolOptions } from "../../../runtime/config.js";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { Mysql2Driver } from "../../../runtime/driver/mysql2/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { ConnectionError, TransactionError } from "../../../runtime/errors.js";
import { mysqlUrl } from "../../support/targets.js";
import { holdConnection, pgTarget, sleep, within } from "./fault-helpers.js";

/** A pooled driver and the SQL its database spells differently. */
interface PoolSubject {
  readonly name: string;
  readonly open: (options?: PoolOptions) => Promise<Driver>;
  /** The connection's server-side id. */
  readonly pid: string;
  /** Ends the connection whose id is given, from another one. */
  readonly kill: (pid: number) => string;
  /** Sleeps `seconds` on the server and returns the parameter, an integer, as column 0. */
  readonly sleepEcho: (seconds: number) => string;
}

const addon = loadNativeAddon();
const postgres = {
  pid: "SELECT pg_backend_pid()",
  kill: (pid: number) => `SELECT pg_terminate_backend(${pid})`,
  sleepEcho: (seconds: number) => `SELECT $1::int AS n, pg_sleep(${seconds})`,
};
const subjects: PoolSubject[] = [
  { name: "pg", open: (options) => PgDriver.open(pgTarget(), options), ...postgres },
];
if (addon !== undefined) {
  subjects.push({
    name: "native",
    open: (options) => NativePgDriver.open(addon, pgTarget(), options),
    ...postgres,
  });
}
subjects.push({
  name: "mysql2",
  open: (options) => {
    const target = parseDatabaseUrl(mysqlUrl());
    if (target.dialect !== "mysql") throw new Error("YARA_MYSQL_URL must be a MySQL URL");
    return Mysql2Driver.open(target.url, options, 10_000);
  },
  pid: "SELECT CONNECTION_ID()",
  kill: (pid: number) => `KILL CONNECTION ${pid}`,
  sleepEcho: (seconds: number) => `SELECT CAST(? AS SIGNED) AS n, SLEEP(${seconds})`,
});

for (const { name, open, ...sql } of subjects) {
  describe(`${name} driver: pool faults`, () => {
    let admin: Driver;
    beforeAll(async () => {
      admin = await open({ max: 1 });
    });
    afterAll(() => admin.close());

    const pid = async (d: Driver) => (await d.query(sql.pid, [])).reader.int(0, 0);
    const kill = (p: number) => admin.execute(sql.kill(p), []);

    it("recovers from a killed idle connection without an unhandled error", async () => {
      const driver = await open({ max: 1 });
      try {
        const killed = await pid(driver);
        await kill(killed);
        const first = await within(driver.query("SELECT 1", []));
        if (first instanceof Error) expect(first).toBeInstanceOf(ConnectionError);
        else expect(first).not.toBe("hang");
        expect(await pid(driver)).not.toBe(killed);
      } finally {
        await driver.close();
      }
    });

    // Postgres ends an idle transaction's session with its own reason (SQLSTATE 25P03).
    if (name !== "mysql2") {
      it("says why a transaction's connection broke while the callback was busy elsewhere", async () => {
        const driver = await open({ max: 1 });
        try {
          const err = await within(
            driver.transaction(async (c) => {
              await c.execute("SET LOCAL idle_in_transaction_session_timeout = 30", []);
              await sleep(300);
              await c.query("SELECT 1", []);
            }),
          );
          expect(err).toBeInstanceOf(ConnectionError);
          expect((err as Error).message).toMatch(/idle-in-transaction timeout/);
          expect(err).toMatchObject({ code: "25P03" });
          expect((await driver.query("SELECT 1", [])).rowCount).toBe(1);
        } finally {
          await driver.close();
        }
      });
    }

    it("names the pool size and the timeout when no connection frees up in time", async () => {
      const driver = await open({ max: 1, acquireTimeoutMs: 100 });
      const { done, release } = holdConnection(driver);
      try {
        await sleep(10);
        const err = await within(driver.query("SELECT 1", []));
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(/all 1 connection.*pool\.max.*100 ms/);
      } finally {
        release();
        await done;
        await driver.close();
      }
    });

    it("lets a root statement wait for a transaction on a pool of one", async () => {
      const driver = await open({ max: 1 });
      const { done, release } = holdConnection(driver);
      try {
        await sleep(10);
        const waiting = within(driver.query("SELECT 1", []), 3000);
        await sleep(50);
        release();
        expect(await waiting).toMatchObject({ rowCount: 1 });
      } finally {
        await done;
        await driver.close();
      }
    });

    it("rejects statements still waiting for a connection when the driver closes", async () => {
      const driver = await open({ max: 1 });
      const { done, release } = holdConnection(driver);
      await sleep(10);
      const waiting = within(driver.query("SELECT 1", []));
      await sleep(20);
      const closing = within(driver.close());
      await sleep(20);
      release();
      await done;
      expect(await closing).toBeUndefined();
      const err = await waiting;
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/closed/);
      expect(await within(driver.close())).toBeUndefined();
      expect(await within(driver.query("SELECT 1", []))).toBeInstanceOf(ConnectionError);
    });

    it("lets a running transaction finish its statements and commit when the driver closes", async () => {
      const driver = await open({ max: 2 });
      let gate: () => void = () => undefined;
      const closeCalled = new Promise<void>((r) => (gate = r));
      const tx = within(
        driver.transaction(async (c) => {
          await c.query("SELECT 1", []);
          await closeCalled;
          return (await c.query(sql.sleepEcho(0.02), [7])).reader.int(0, 0);
        }),
      );
      await sleep(10);
      const closing = within(driver.close());
      gate();
      expect(await tx).toBe(7);
      expect(await closing).toBeUndefined();
      expect(await within(driver.query("SELECT 1", []))).toBeInstanceOf(ConnectionError);
    });

    it("settles every statement of a burst queued behind idle connections when the driver closes", async () => {
      const driver = await open({ max: 4 });
      // Four idle connections: a burst sees them free, though only four can be served.
      await Promise.all(
        Array.from({ length: 4 }, (_, i) => driver.query(sql.sleepEcho(0.02), [i])),
      );
      const burst = Array.from({ length: 20 }, (_, i) =>
        within(driver.query(sql.sleepEcho(0.05), [i]), 3000),
      );
      const closing = within(driver.close(), 3000);
      const settled = await Promise.all(burst);
      expect(await closing).toBeUndefined();
      expect(settled).not.toContain("hang");
      const refused = settled.filter((r) => r instanceof Error);
      for (const err of refused) {
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(/closed/);
      }
      const ran = settled.filter((r) => !(r instanceof Error));
      // Statements that got a connection ran (all of them on native, which pipelines); the rest
      // were refused.
      expect(ran.length + refused.length).toBe(20);
    });

    it("fails fast when a transaction holding every connection uses the root driver", async () => {
      const driver = await open({ max: 1 });
      try {
        const err = await within(driver.transaction(async () => driver.query("SELECT 1", [])));
        expect(err).toBeInstanceOf(TransactionError);
        expect((err as Error).message).toMatch(/pool\.max/);
        expect(
          await within(driver.transaction(async (c) => c.transaction(async (c2) => pid(c2)))),
        ).toEqual(expect.any(Number));
        expect((await driver.query("SELECT 5", [])).reader.int(0, 0)).toBe(5);
      } finally {
        await driver.close();
      }
    });
  });
}
