/** Driver.transaction and inTransaction on every driver: commit, rollback, savepoints, isolation. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Driver } from "../../../runtime/driver/driver.js";
import { TransactionError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { currentDriver, inTransaction, isInTransaction } from "../../../runtime/transaction.js";
import { isolate, targets, type IsolatedDatabase } from "../../support/targets.js";

for (const target of targets()) {
  describe(`transactions on ${target.name}`, () => {
    let db: IsolatedDatabase;
    let driver: Driver;
    const p = (n: number) => (target.dialect === "postgres" ? `$${n}` : "?");
    const names = async (d: Driver = driver) => {
      const res = await d.query("SELECT name FROM t ORDER BY name", []);
      return Array.from({ length: res.rowCount }, (_, i) => res.reader.text(0, i));
    };
    const insert = (d: Driver, name: string) =>
      d.execute(`INSERT INTO t (name) VALUES (${p(1)})`, [name]);

    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, { driver: target.driver, pool: { max: 4 } });
      driver = YaraOrm.driver;
      await driver.execute("CREATE TABLE t (name TEXT NOT NULL UNIQUE)", []);
    });
    afterAll(async () => {
      await YaraOrm.close();
      await db.dispose();
    });
    beforeEach(async () => {
      await driver.execute("DELETE FROM t", []);
    });

    it("commits and returns the callback's value", async () => {
      const value = await driver.transaction(async (conn) => {
        await insert(conn, "a");
        return 42;
      });
      expect(value).toBe(42);
      expect(await names()).toEqual(["a"]);
    });

    it("rolls back on a throw and rethrows the same error", async () => {
      const boom = new Error("boom");
      await expect(
        driver.transaction(async (conn) => {
          await insert(conn, "a");
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await names()).toEqual([]);
    });

    it("takes a callback from untyped code that returns a plain value or throws at once", async () => {
      // As `await` would: the value is the result, and the transaction commits.
      const untyped = driver.transaction.bind(driver) as (
        fn: (conn: Driver) => unknown,
      ) => Promise<unknown>;
      expect(await untyped(() => "done")).toBe("done");
      const boom = new Error("thrown before any promise");
      await expect(
        driver.transaction(() => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      // Both released the connection: another transaction runs and commits.
      await driver.transaction(async (conn) => insert(conn, "after"));
      expect(await names()).toEqual(["after"]);
    });

    it("nests with a savepoint: the inner rollback keeps the outer work", async () => {
      await driver.transaction(async (conn) => {
        await insert(conn, "outer");
        await expect(
          conn.transaction(async (inner) => {
            await insert(inner, "inner");
            await insert(inner, "outer"); // unique violation
          }),
        ).rejects.toMatchObject({ kind: "unique" });
        await conn.transaction(async (inner) => insert(inner, "kept"));
      });
      expect(await names()).toEqual(["kept", "outer"]);
    });

    it("refuses a finished transaction's connection", async () => {
      let leaked: Driver | undefined;
      await driver.transaction(async (conn) => {
        leaked = conn;
      });
      await expect(leaked!.query("SELECT 1", [])).rejects.toBeInstanceOf(TransactionError);
    });

    it("goes on after a statement that failed before it was sent", async () => {
      // An array parameter whose elements cannot be read: the driver fails while encoding it.
      const unreadable = new Proxy([] as string[], {
        get: () => {
          throw new Error("unreadable parameter");
        },
      });
      const rows = await driver.transaction(async (conn) => {
        await insert(conn, "a");
        await expect(
          conn.query(`SELECT ${p(1)} AS v`, [unreadable as unknown as string]),
        ).rejects.toThrow();
        await insert(conn, "b");
        return names(conn);
      });
      expect(rows).toEqual(["a", "b"]);
      expect(await names()).toEqual(["a", "b"]);
    });

    it("never lets two concurrent transactions share a connection", async () => {
      const order: string[] = [];
      // On a pool (Postgres, MySQL) both transactions insert, then both read, and only then does either commit.
      const meet = () => {
        let arrived = 0;
        let open!: () => void;
        const gate = new Promise<void>((r) => (open = r));
        return async () => {
          if (++arrived === 2) open();
          if (target.dialect !== "sqlite") await gate;
        };
      };
      const inserted = meet();
      const read = meet();
      const work = (label: string) =>
        driver.transaction(async (conn) => {
          order.push(`${label} start`);
          await insert(conn, label);
          await inserted();
          const seen = await names(conn);
          await read();
          order.push(`${label} end`);
          return seen;
        });
      const [a, b] = await Promise.all([work("a"), work("b")]);
      if (target.dialect === "sqlite") {
        // One connection: the second waits until the first has committed.
        expect(order).toEqual(["a start", "a end", "b start", "b end"]);
        expect([a, b]).toEqual([["a"], ["a", "b"]]);
      } else {
        // Two connections: neither sees the other's uncommitted row.
        expect([a, b]).toEqual([["a"], ["b"]]);
      }
    });

    if (target.dialect === "postgres") {
      it("runs concurrent transactions on different backends", async () => {
        const pid = (conn: Driver) =>
          conn.transaction(async (c) => {
            const res = await c.query("SELECT pg_backend_pid()", []);
            await new Promise((r) => setTimeout(r, 20));
            return res.reader.int(0, 0);
          });
        const [a, b] = await Promise.all([pid(driver), pid(driver)]);
        expect(a).not.toBe(b);
      });

      it("reports a transaction Postgres aborted instead of committing it", async () => {
        await expect(
          driver.transaction(async (conn) => {
            await insert(conn, "x");
            await insert(conn, "x").catch(() => undefined); // swallowed error aborts the transaction
          }),
        ).rejects.toThrow(TransactionError);
        expect(await names()).toEqual([]);
      });
    } else {
      it("makes statements outside a transaction wait for it", async () => {
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        const tx = driver.transaction(async (conn) => {
          await insert(conn, "in-tx");
          await gate;
          await conn.execute("DELETE FROM t WHERE name = 'in-tx'", []);
        });
        const outside = names();
        release();
        await tx;
        expect(await outside).toEqual([]);
      });
    }

    describe("inTransaction", () => {
      it("binds model statements to the transaction through currentDriver()", async () => {
        expect(isInTransaction()).toBe(false);
        const result = await inTransaction(async () => {
          expect(isInTransaction()).toBe(true);
          await insert(currentDriver(), "ctx");
          await Promise.resolve();
          return names(currentDriver());
        });
        expect(result).toEqual(["ctx"]);
        expect(currentDriver()).toBe(driver);
      });

      it("rolls back and rethrows; nested calls use savepoints", async () => {
        await expect(
          inTransaction(async () => {
            await insert(currentDriver(), "one");
            await inTransaction(async () => {
              await insert(currentDriver(), "two");
            });
            await expect(
              inTransaction(async () => {
                await insert(currentDriver(), "three");
                throw new Error("inner");
              }),
            ).rejects.toThrow("inner");
            expect(await names(currentDriver())).toEqual(["one", "two"]);
            throw new Error("outer");
          }),
        ).rejects.toThrow("outer");
        expect(await names()).toEqual([]);
      });

      it("serialises concurrent nested transactions on one connection", async () => {
        await inTransaction(async () => {
          await Promise.all(
            ["n1", "n2", "n3"].map((n) => inTransaction(() => insert(currentDriver(), n))),
          );
        });
        expect(await names()).toEqual(["n1", "n2", "n3"]);
      });
    });
  });
}
