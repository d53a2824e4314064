/**
 * `Driver.querySync` on the SQLite drivers: a statement run at once outside transactions (what
 * `Model.get({ field: value })` uses), nothing sent while a transaction holds the connection
 * (the caller then queues through `query`), errors thrown as `query` rejects with them. A
 * transaction's connection runs it at once on the held connection (what create() uses inside a
 * transaction) and refuses it once the transaction has finished.
 */
import { describe, expect, it } from "vitest";
import type { Driver } from "../../../runtime/driver/driver.js";
import { TransactionError, YaraError } from "../../../runtime/errors.js";
import { targets } from "../../support/targets.js";
import { useDriver } from "./open.js";

for (const target of targets().filter((t) => t.dialect === "sqlite")) {
  describe(`querySync on ${target.name}`, () => {
    const handle = useDriver(target);

    it("returns the rows query would return, at once", async () => {
      const { driver } = handle;
      await driver.execute("CREATE TABLE qs (id INTEGER PRIMARY KEY, name TEXT NOT NULL)", []);
      await driver.execute("INSERT INTO qs (id, name) VALUES (?, ?), (?, ?)", [1, "a", 2, "b"]);
      const now = driver.querySync!("SELECT name FROM qs WHERE id = ?", [2]);
      const later = await driver.query("SELECT name FROM qs WHERE id = ?", [2]);
      expect(now?.rowCount).toBe(1);
      expect(now?.reader.text(0, 0)).toBe("b");
      expect(now?.columns).toEqual(later.columns);
    });

    it("sends nothing while a transaction holds the connection", async () => {
      const { driver } = handle;
      let inside: unknown = "not run";
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = driver.transaction(async (conn) => {
        await conn.execute("UPDATE qs SET name = ? WHERE id = ?", ["changed", 1]);
        await held;
      });
      inside = driver.querySync!("SELECT name FROM qs WHERE id = ?", [1]);
      // Through query, the same statement waits for the transaction and sees its write.
      const queued = driver.query("SELECT name FROM qs WHERE id = ?", [1]);
      release();
      await tx;
      expect(inside).toBeUndefined();
      expect((await queued).reader.text(0, 0)).toBe("changed");
      expect(driver.querySync!("SELECT name FROM qs WHERE id = ?", [1])?.reader.text(0, 0)).toBe(
        "changed",
      );
    });

    it("throws the error query rejects with", async () => {
      const { driver } = handle;
      let thrown: unknown;
      try {
        driver.querySync!("SELECT nope FROM qs", []);
      } catch (err) {
        thrown = err;
      }
      const rejected = await driver.query("SELECT nope FROM qs", []).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(thrown).toBeInstanceOf(YaraError);
      expect((thrown as Error).message).toBe((rejected as Error).message);
    });

    it("runs at once on a transaction's connection, and refuses once it has finished", async () => {
      const { driver } = handle;
      let pinned!: Driver;
      let inside: string | undefined;
      await driver.transaction(async (conn) => {
        pinned = conn;
        await conn.execute("UPDATE qs SET name = ? WHERE id = ?", ["in tx", 2]);
        // The transaction's own write, read in the same call: no wait for the held mutex.
        inside = conn.querySync!("SELECT name FROM qs WHERE id = ?", [2])?.reader.text(0, 0);
      });
      expect(inside).toBe("in tx");
      expect(() => pinned.querySync!("SELECT name FROM qs WHERE id = ?", [2])).toThrow(
        TransactionError,
      );
    });
  });
}
