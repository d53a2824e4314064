/**
 * pg driver faults, bounded and on loopback: killed connections, an exhausted pool, close() with
 * statements waiting, a transaction holding every connection, server-side timeouts and aborts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "../../../runtime/driver/driver.js";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { ConnectionError, DatabaseError, TransactionError } from "../../../runtime/errors.js";
import { holdConnection, pgTarget, sleep, within } from "./fault-helpers.js";

describe("pg driver faults", () => {
  let admin: PgDriver;
  beforeAll(async () => {
    admin = await PgDriver.open(pgTarget(), { max: 1 });
  });
  afterAll(() => admin.close());

  const pid = async (d: Driver) => (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
  const kill = (p: number) => admin.query("SELECT pg_terminate_backend($1)", [p]);

  it("recovers from a killed idle connection without an unhandled error", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
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
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
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
    const driver = await PgDriver.open(pgTarget(), { max: 1, acquireTimeoutMs: 100 });
    const { done, release } = holdConnection(driver);
    try {
      await sleep(10);
      const err = await within(driver.query("SELECT 1", []));
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/all 1 connection.*100 ms/);
    } finally {
      release();
      await done;
      await driver.close();
    }
  });

  it("lets a root statement wait for a transaction on a pool of one", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
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
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    const { done, release } = holdConnection(driver);
    await sleep(10);
    const waiting = within(driver.query("SELECT 1", []));
    await sleep(20);
    const closing = within(driver.close());
    await sleep(20); // the pool is ending: a released connection is closed, not handed on
    release();
    await done;
    expect(await closing).toBeUndefined();
    const err = await waiting;
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/closed/);
    expect(await within(driver.close())).toBeUndefined(); // twice is fine
  });

  it("fails fast when a transaction holding every connection uses the root driver", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      const err = await within(driver.transaction(async () => driver.query("SELECT 1", [])));
      expect(err).toBeInstanceOf(TransactionError);
      expect((err as Error).message).toMatch(/pool\.max/);
      // Nested transactions on the connection are savepoints and never wait for the pool.
      expect(
        await within(driver.transaction(async (c) => c.transaction(async (c2) => pid(c2)))),
      ).toEqual(expect.any(Number));
      expect((await driver.query("SELECT 5", [])).reader.int(0, 0)).toBe(5);
    } finally {
      await driver.close();
    }
  });

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

  it("runs several statements in one parameterless string: last rows, total row count", async () => {
    const driver = await PgDriver.open(pgTarget(), { max: 1 });
    try {
      const res = await driver.query("SELECT 1 AS a; SELECT 2 AS b, 3 AS c", []);
      expect(res.columns).toEqual(["b", "c"]);
      expect(res.reader.int(1, 0)).toBe(3);
      const changed = await driver.execute(
        "CREATE TEMP TABLE multi (x INTEGER); INSERT INTO multi VALUES (1), (2); UPDATE multi SET x = 3",
        [],
      );
      expect(changed.rowCount).toBe(4);
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
});
