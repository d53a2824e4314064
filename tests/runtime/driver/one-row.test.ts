/**
 * `QueryOptions.oneRow` on the SQLite drivers (create()'s INSERT … RETURNING of one row):
 * better-sqlite3 steps the statement once instead of to its end, so what the statement does must
 * all be done by then — the row written, a constraint failure raised, a conflict skipped — and
 * the cached statement must run again. The native driver reads every row either way; both are
 * held to the same results.
 */
import { describe, expect, it } from "vitest";
import type { QueryOptions } from "../../../runtime/driver/driver.js";
import { IntegrityError } from "../../../runtime/errors.js";
import { targets } from "../../support/targets.js";
import { useDriver } from "./open.js";

const ONE_ROW: QueryOptions = { oneRow: true };
const INSERT = "INSERT INTO child (id, parent_id, name) VALUES (?, ?, ?) RETURNING id, name";

for (const target of targets().filter((t) => t.dialect === "sqlite")) {
  describe(`oneRow on ${target.name}`, () => {
    const handle = useDriver(target);

    async function names(): Promise<string[]> {
      const { rowCount, reader } = await handle.driver.query(
        "SELECT name FROM child ORDER BY id",
        [],
      );
      return Array.from({ length: rowCount }, (_, row) => reader.text(0, row));
    }

    it("returns the inserted row, and the row is written, in and out of transactions", async () => {
      const { driver } = handle;
      await driver.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)", []);
      await driver.execute(
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), name TEXT NOT NULL UNIQUE)",
        [],
      );
      await driver.execute("INSERT INTO parent (id) VALUES (1)", []);
      const first = await driver.query(INSERT, [1, 1, "a"], ONE_ROW);
      expect(first.rowCount).toBe(1);
      expect([first.reader.int(0, 0), first.reader.text(1, 0)]).toEqual([1, "a"]);
      // The same cached statement again, then on a transaction's connection, at once and queued.
      expect(driver.querySync!(INSERT, [2, 1, "b"], ONE_ROW)?.reader.text(1, 0)).toBe("b");
      await driver.transaction(async (conn) => {
        expect(conn.querySync!(INSERT, [3, 1, "c"], ONE_ROW)?.reader.text(1, 0)).toBe("c");
        expect((await conn.query(INSERT, [4, 1, "d"], ONE_ROW)).reader.text(1, 0)).toBe("d");
      });
      expect(await names()).toEqual(["a", "b", "c", "d"]);
    });

    it("raises a foreign-key or unique failure and writes nothing", async () => {
      const { driver } = handle;
      const missingParent = await driver.query(INSERT, [5, 99, "e"], ONE_ROW).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(missingParent).toBeInstanceOf(IntegrityError);
      expect((missingParent as IntegrityError).kind).toBe("foreign_key");
      const duplicate = await driver.query(INSERT, [6, 1, "a"], ONE_ROW).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(duplicate).toBeInstanceOf(IntegrityError);
      expect((duplicate as IntegrityError).kind).toBe("unique");
      expect(await names()).toEqual(["a", "b", "c", "d"]);
      // The statement is not left mid-step by the failures.
      expect((await driver.query(INSERT, [7, 1, "g"], ONE_ROW)).reader.text(1, 0)).toBe("g");
    });

    it("returns no row when ON CONFLICT skips the insert", async () => {
      const { driver } = handle;
      const skipped = await driver.query(
        "INSERT INTO child (id, parent_id, name) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
        [8, 1, "a"],
        ONE_ROW,
      );
      expect(skipped.rowCount).toBe(0);
      expect(await names()).toEqual(["a", "b", "c", "d", "g"]);
    });
  });
}
