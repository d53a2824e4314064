/**
 * Pool faults both Postgres drivers must handle the same way, bounded and on loopback: a killed
 * connection, an exhausted pool, close() with statements waiting, a transaction holding every
 * connection. Driver-specific faults live in
 * faults-pg.test.ts (pg) and native-pg.test.ts (native).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolOptions } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { ConnectionError, TransactionError } from "../../../runtime/errors.js";
import { holdConnection, pgTarget, sleep, within } from "./fault-helpers.js";

type Open = (options?: PoolOptions) => Promise<Driver>;

const addon = loadNativeAddon();
const drivers: [string, Open][] = [["pg", (options) => PgDriver.open(pgTarget(), options)]];
if (addon !== undefined) {
  drivers.push(["native", (options) => NativePgDriver.open(addon, pgTarget(), options)]);
}

for (const [name, open] of drivers) {
  describe(`${name} driver: pool faults`, () => {
    let admin: Driver;
    beforeAll(async () => {
      admin = await open({ max: 1 });
    });
    afterAll(() => admin.close());

    const pid = async (d: Driver) =>
      (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
    const kill = (p: number) => admin.query("SELECT pg_terminate_backend($1)", [p]);

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

    it("settles every statement of a burst queued behind idle connections when the driver closes", async () => {
      const driver = await open({ max: 4 });
      // Four idle connections: a burst sees them free, though only four can be served.
      await Promise.all(Array.from({ length: 4 }, () => driver.query("SELECT pg_sleep(0.02)", [])));
      const burst = Array.from({ length: 20 }, (_, i) =>
        within(driver.query("SELECT $1::int AS n, pg_sleep(0.05)", [i]), 3000),
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
