/**
 * Guarantee: a MariaDB connection killed by the server (`KILL CONNECTION` from an admin
 * connection) at any moment of its life — idle in the pool, in the middle of a statement, inside
 * a transaction, over and over under writing load — costs the statements on it a typed
 * ConnectionError and nothing else: nothing of a broken transaction is committed, no
 * acknowledged write is lost, the killed connection is never handed out again, and the pool
 * serves the next statements on fresh connections. The Postgres counterpart is the
 * "backend terminated" row of fault-matrix.test.ts.
 *
 * The test works in a database of its own on the shared server (created and dropped here); the
 * admin connection kills only connections to that database.
 */
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolOptions } from "../../runtime/config.js";
import { parseDatabaseUrl } from "../../runtime/config.js";
import type { Driver } from "../../runtime/driver/driver.js";
import { openDriver } from "../../runtime/driver/open.js";
import { ConnectionError } from "../../runtime/errors.js";
import { mysqlUrl } from "../support/targets.js";
import { checkLedger, errorText, startLoad } from "./support/write-load.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`'s value or error, failing the test if it has not settled within `ms` (a hang). */
async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T | Error> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((r) => (timer = setTimeout(() => r("hang"), ms)));
  try {
    const r = await Promise.race([p.catch((e: unknown) => e as Error), hang]);
    if (r === "hang") throw new Error(`${what} did not settle within ${ms} ms`);
    return r;
  } finally {
    clearTimeout(timer);
  }
}

describe("MariaDB connections killed by the server (mysql2 driver)", () => {
  const database = `yara_rel_${randomBytes(5).toString("hex")}`;
  let admin: mysql.Connection;
  let url: string;
  beforeAll(async () => {
    admin = await mysql.createConnection({ uri: mysqlUrl() });
    await admin.query(`CREATE DATABASE ${database}`);
    const u = new URL(mysqlUrl());
    u.pathname = `/${database}`;
    url = u.toString();
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin.end();
  });

  const open = (pool: PoolOptions): Promise<Driver> =>
    openDriver(parseDatabaseUrl(url), { driver: "mysql2", pool });

  /** Opens a driver with a fresh `items (id BIGINT PRIMARY KEY, task INT)`, runs `fn`, closes it. */
  async function withDriver(pool: PoolOptions, fn: (d: Driver) => Promise<void>): Promise<void> {
    const d = await open(pool);
    try {
      await d.execute("DROP TABLE IF EXISTS items", []);
      await d.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, task INT)", []);
      await fn(d);
    } finally {
      const closed = await bounded(d.close(), 10_000, "close()");
      if (closed instanceof Error) throw closed;
    }
  }

  const connectionId = async (d: Pick<Driver, "query">): Promise<number> =>
    (await d.query("SELECT CONNECTION_ID()", [])).reader.int(0, 0);

  /** The ids of the connections to this test's database (the admin's is elsewhere). */
  async function connectionsOfTest(): Promise<number[]> {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? ORDER BY ID",
      [database],
    );
    return rows.map((r) => Number(r.ID));
  }

  /** Kills one connection of this test's database, refusing any other. */
  async function kill(id: number): Promise<void> {
    if (!(await connectionsOfTest()).includes(id)) {
      throw new Error(`connection ${id} is not one of this test's`);
    }
    await admin.query(`KILL CONNECTION ${Number(id)}`);
  }

  /** Waits for the statement containing `marker` to be running and returns its connection id. */
  async function runningStatement(marker: string): Promise<number> {
    for (let tries = 0; tries < 200; tries++) {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ?",
        [database, `%${marker}%`],
      );
      if (rows.length > 0) return Number(rows[0]!.ID);
      await sleep(10);
    }
    throw new Error(`the statement marked ${marker} never showed in the process list`);
  }

  const ids = async (d: Driver): Promise<number[]> => {
    const res = await d.query("SELECT id FROM items ORDER BY id", []);
    return Array.from({ length: res.rowCount }, (_, row) => res.reader.int(0, row));
  };

  /**
   * After a fault: statements fail only with ConnectionError until one succeeds (within 5 s),
   * then the next 5 all succeed. Returns how many failed.
   */
  async function recovers(d: Driver): Promise<number> {
    const started = Date.now();
    let failures = 0;
    for (;;) {
      const r = await bounded(d.query("SELECT 1", []), 5000, "a statement after the fault");
      if (!(r instanceof Error)) break;
      expect(r, errorText(r)).toBeInstanceOf(ConnectionError);
      failures++;
      expect(Date.now() - started, "no statement succeeded within 5 s").toBeLessThan(5000);
      await sleep(50);
    }
    for (let i = 0; i < 5; i++) expect((await d.query("SELECT 1", [])).rowCount).toBe(1);
    return failures;
  }

  it("fails a statement whose connection is killed mid-query with a ConnectionError, then serves on a new connection", async () => {
    await withDriver({ max: 2 }, async (d) => {
      const marker = `yara_kill_${randomBytes(4).toString("hex")}`;
      const running = bounded(
        d.query(`SELECT SLEEP(20) AS ${marker}`, []),
        10_000,
        "the killed statement",
      );
      const killed = await runningStatement(marker);
      await kill(killed);
      const err = await running;
      expect(err, errorText(err)).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/connection/i);
      await recovers(d);
      const after = await Promise.all(Array.from({ length: 6 }, () => connectionId(d)));
      expect(after).not.toContain(killed);
    });
  });

  it("fails a transaction whose connection is killed between its statements; none of it is committed", async () => {
    await withDriver({ max: 2 }, async (d) => {
      await d.execute("INSERT INTO items VALUES (1, 0)", []);
      let killed = 0;
      const err = await bounded(
        d.transaction(async (tx) => {
          killed = await connectionId(tx);
          await tx.execute("INSERT INTO items VALUES (2, 0)", []);
          await kill(killed);
          await sleep(50);
          await tx.execute("INSERT INTO items VALUES (3, 0)", []);
        }),
        10_000,
        "the transaction",
      );
      expect(err, errorText(err)).toBeInstanceOf(ConnectionError);
      await recovers(d);
      expect(await ids(d)).toEqual([1]);
      const after = await Promise.all(Array.from({ length: 6 }, () => connectionId(d)));
      expect(after).not.toContain(killed);
      await d.transaction((tx) => tx.execute("INSERT INTO items VALUES (4, 0)", []));
      expect(await ids(d)).toEqual([1, 4]);
    });
  });

  it("fails a transaction whose connection is killed while one of its statements runs; none of it is committed", async () => {
    await withDriver({ max: 2 }, async (d) => {
      await d.execute("INSERT INTO items VALUES (1, 0)", []);
      const marker = `yara_kill_${randomBytes(4).toString("hex")}`;
      const transaction = bounded(
        d.transaction(async (tx) => {
          await tx.execute("INSERT INTO items VALUES (2, 0)", []);
          await tx.query(`SELECT SLEEP(20) AS ${marker}`, []);
          await tx.execute("INSERT INTO items VALUES (3, 0)", []);
        }),
        10_000,
        "the transaction",
      );
      const killed = await runningStatement(marker);
      await kill(killed);
      const err = await transaction;
      expect(err, errorText(err)).toBeInstanceOf(ConnectionError);
      await recovers(d);
      expect(await ids(d)).toEqual([1]);
      const after = await Promise.all(Array.from({ length: 6 }, () => connectionId(d)));
      expect(after).not.toContain(killed);
    });
  });

  it("replaces idle pooled connections the server killed; statements fail only with ConnectionError", async () => {
    await withDriver({ max: 3 }, async (d) => {
      await Promise.all(Array.from({ length: 6 }, () => d.query("SELECT SLEEP(0.02)", [])));
      const idle = await connectionsOfTest();
      expect(idle.length).toBeGreaterThan(0);
      for (const id of idle) await kill(id);
      await sleep(100);
      await recovers(d);
      const after = await Promise.all(Array.from({ length: 6 }, () => connectionId(d)));
      for (const id of after) expect(idle).not.toContain(id);
    });
  });

  it("keeps every acknowledged write and every transaction whole while connections are killed every 20 ms under 16 writers", async () => {
    await withDriver({ max: 4, acquireTimeoutMs: 5000 }, async (d) => {
      const load = startLoad(d, "items", 16, ["?", "?"]);
      await sleep(200);
      const before = load.ledger.acked.size;
      let killed = 0;
      const until = Date.now() + 1000;
      while (Date.now() < until) {
        for (const id of await connectionsOfTest()) {
          await admin.query(`KILL CONNECTION ${Number(id)}`).then(
            () => killed++,
            () => undefined, // it closed on its own between the listing and the kill
          );
        }
        await sleep(20);
      }
      await recovers(d);
      await sleep(200);
      const ledger = await bounded(load.stop(), 10_000, "the load's statements");
      if (ledger instanceof Error) throw ledger;
      expect(killed, "no connection was killed").toBeGreaterThan(0);
      expect(ledger.errors.length, "no statement in flight met a kill").toBeGreaterThan(0);
      expect(before, "no write was acknowledged before the kills").toBeGreaterThan(0);
      expect(ledger.acked.size, "no write was acknowledged after the kills").toBeGreaterThan(
        before,
      );
      checkLedger(ledger, new Set(await ids(d)));
    });
  }, 30_000);
});
