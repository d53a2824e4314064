/**
 * The native Postgres driver's pool and faults, bounded and on loopback (the faults both Postgres
 * drivers share are in faults-pool.test.ts), plus what only the native pool does: pipelined
 * statements sharing connections, cancellation through an AbortSignal, and statements with more
 * parameters than one Bind message carries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolOptions } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import {
  ConfigurationError,
  ConnectionError,
  DatabaseError,
  IntegrityError,
  TransactionError,
} from "../../../runtime/errors.js";
import { pgTarget, sleep, within } from "./fault-helpers.js";

const addon = loadNativeAddon();

for (const native of addon === undefined ? [] : [addon]) {
  const open = (options?: PoolOptions, url: URL = pgTarget()) =>
    NativePgDriver.open(native, url, options);

  describe("native Postgres pool", () => {
    let admin: NativePgDriver;
    beforeAll(async () => {
      admin = await open({ max: 1 });
    });
    afterAll(() => admin.close());

    const pid = async (d: Driver) =>
      (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);

    it("pipelines concurrent statements over a few shared connections", async () => {
      const driver = await open({ max: 2 });
      try {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            driver.query("SELECT $1::int * 2, pg_backend_pid()", [i]),
          ),
        );
        expect(results.map((r) => r.reader.int(0, 0))).toEqual(
          Array.from({ length: 50 }, (_, i) => i * 2),
        );
        const backends = new Set(results.map((r) => r.reader.int(1, 0)));
        expect(backends.size).toBeGreaterThanOrEqual(1);
        expect(backends.size).toBeLessThanOrEqual(2);
      } finally {
        await driver.close();
      }
    });

    it("gives a transaction its own connection while statements keep running beside it", async () => {
      const driver = await open({ max: 2 });
      try {
        await driver.transaction(async (tx) => {
          const mine = await pid(tx);
          for (let i = 0; i < 5; i++) expect(await pid(driver)).not.toBe(mine);
        });
      } finally {
        await driver.close();
      }
    });

    it("reports a commit that Postgres turned into a rollback", async () => {
      const driver = await open({ max: 1 });
      try {
        const err = await within(
          driver.transaction(async (c) => {
            await c.query("SELECT 1/0", []).catch(() => undefined);
          }),
        );
        expect(err).toBeInstanceOf(TransactionError);
        expect((err as Error).message).toMatch(/rolled back instead of committed/);
      } finally {
        await driver.close();
      }
    });

    it("maps statement_timeout, integrity and data errors as the pg driver does", async () => {
      const url = pgTarget();
      url.searchParams.set("options", "-c statement_timeout=50");
      const driver = await open({ max: 1 }, url);
      try {
        const timeout = await within(driver.query("SELECT pg_sleep(1)", []));
        expect(timeout).toBeInstanceOf(DatabaseError);
        expect(timeout).toMatchObject({ code: "57014" });
        expect((timeout as Error).message).toMatch(/statement timeout/);
        const data = await within(driver.query("SELECT $1::int", ["secret-value"]));
        expect(data).toBeInstanceOf(DatabaseError);
        expect(data).toMatchObject({ code: "22P02" });
        expect((data as Error).message).not.toMatch(/secret/);
        const unique = await within(
          driver.transaction(async (c) => {
            await c.execute("CREATE TEMP TABLE u (id int PRIMARY KEY, email text UNIQUE)", []);
            await c.execute("INSERT INTO u VALUES (1, $1)", ["a@example.com"]);
            await c.execute("INSERT INTO u VALUES (2, $1)", ["a@example.com"]);
          }),
        );
        expect(unique).toBeInstanceOf(IntegrityError);
        expect(unique).toMatchObject({
          kind: "unique",
          code: "23505",
          constraint: "u_email_key",
          table: "u",
          column: "email",
        });
        expect(JSON.stringify(unique) + String((unique as Error).message)).not.toMatch(/example/);
      } finally {
        await driver.close();
      }
    });

    it("cancels a running statement when its AbortSignal fires", async () => {
      const driver = await open({ max: 2 });
      try {
        const controller = new AbortController();
        const started = Date.now();
        const running = within(
          driver.query("SELECT pg_sleep(5)", [], { signal: controller.signal }),
          3000,
        );
        await sleep(100);
        controller.abort();
        const err = await running;
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).toMatchObject({ code: "57014" });
        expect((err as Error).message).toMatch(/user request/);
        expect(Date.now() - started).toBeLessThan(2000);
        // An already aborted signal never reaches the server; the pool is still usable.
        const early = await within(driver.query("SELECT 1", [], { signal: AbortSignal.abort() }));
        expect(early).toMatchObject({ code: "57014" });
        const ok = await driver.query("SELECT 2", [], { signal: new AbortController().signal });
        expect(ok.reader.int(0, 0)).toBe(2);
      } finally {
        await driver.close();
      }
    });

    it("refuses more parameters than one Bind message carries, before sending anything", async () => {
      const driver = await open({ max: 1 });
      try {
        expect(driver.maxParams).toBe(32_767);
        const n = 40_000;
        const rows = Array.from({ length: n }, (_, i) => `($${i + 1}::int)`).join(",");
        const err = await driver
          .query(`SELECT sum(v)::int8 FROM (VALUES ${rows}) t(v)`, [
            ...Array.from({ length: n }, (_, i) => i + 1),
          ])
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).toMatchObject({ code: "54000" });
        expect((err as Error).message).toMatch(
          /^the statement has 40000 parameters, but the native/,
        );
        // The one connection of the pool is still there and serves the next statement.
        expect((await driver.query("SELECT 2", [])).reader.int(0, 0)).toBe(2);
      } finally {
        await driver.close();
      }
    });

    it("reads edge values clearly: int8 past 2^53, infinite and BC dates and timestamps", async () => {
      const driver = await open({ max: 1 });
      try {
        const r = (
          await driver.query(
            "SELECT 9007199254740993::int8, 'infinity'::date, '0044-03-15 BC'::date, '\\xDEADbeef'::bytea, " +
              "10000000000::int8, 'infinity'::timestamptz, 12.50::numeric(6,2)",
            [],
          )
        ).reader;
        expect(() => r.int(0, 0)).toThrow(/2\^53.*bigint/);
        expect(r.bigint(0, 0)).toBe(9007199254740993n);
        expect(() => r.date(1, 0)).toThrow(/"infinity".*date/);
        expect(() => r.date(2, 0)).toThrow(/BC/);
        expect(r.binary(3, 0)).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
        expect(r.int(4, 0)).toBe(10000000000);
        expect(() => r.datetime(5, 0)).toThrow(/infinity.*cannot hold/);
        expect(r.decimal(6, 0)).toBe("12.50");
        const big = await driver.query("SELECT 5::int8", [], { bigints: true });
        expect(big.reader.value(0, 0)).toBe(5n);
        const unreadable = await within(driver.query("SELECT interval '1 day' AS i", []));
        expect((unreadable as Error).message).toMatch(/column "i".*interval.*::text/);
      } finally {
        await driver.close();
      }
    });

    it("refuses bad URLs and unreachable servers as the pg driver does", async () => {
      const bad = pgTarget();
      bad.searchParams.set("sslmod", "require");
      const config = await within(open({}, bad));
      expect(config).toBeInstanceOf(ConfigurationError);
      expect((config as Error).message).toMatch(/unsupported Postgres URL parameter "sslmod"/);
      const refused = await within(open({}, new URL("postgres://root@127.0.0.1:1/test")));
      expect(refused).toBeInstanceOf(ConnectionError);
      expect(refused).toMatchObject({ code: "ECONNREFUSED" });
      expect((refused as Error).message).toBe(
        "nothing is listening on 127.0.0.1:1 (connection refused)",
      );
    });
  });
}
