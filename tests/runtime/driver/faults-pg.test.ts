/**
 * pg driver faults of its own, bounded and on loopback: server-side timeouts and aborts mapped to
 * error codes, and edge values read from text. The pool faults both Postgres drivers share are
 * in faults-pool.test.ts.
 */
import { describe, expect, it } from "vitest";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";
import { DatabaseError } from "../../../runtime/errors.js";
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
});
