/** YaraOrm's lifecycle under load: close with work in flight, close racing init, async loggers. */
import { describe, expect, it } from "vitest";
import { ConnectionError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { inTransaction } from "../../../runtime/transaction.js";
import { mysqlUrl, pgUrl } from "../../support/targets.js";
import { sleep, within } from "./fault-helpers.js";

describe("YaraOrm.close with work in flight", () => {
  for (const url of ["sqlite://:memory:", pgUrl(), mysqlUrl()]) {
    const name = url.split(":")[0]!;

    it(`${name}: lets an open transaction and statements issued before close finish`, async () => {
      await YaraOrm.init(url, { pool: { max: 1 } });
      const driver = YaraOrm.driver;
      let gate: () => void = () => undefined;
      const opened = new Promise<void>((ready) => (gate = ready));
      const tx = inTransaction(async (c) => {
        const res = await c.query("SELECT 1", []);
        await opened;
        return res.reader.int(0, 0);
      });
      await sleep(10);
      const queued = within(driver.query("SELECT 2", []));
      const closing = within(YaraOrm.close());
      gate();
      expect(await within(tx)).toBe(1);
      expect(await closing).toBeUndefined();
      const late = await queued;
      // Issued before close: it runs (SQLite queues it behind the transaction) or, on a full
      // pool that ends, fails with a ConnectionError — it never hangs.
      if (late instanceof Error) expect(late).toBeInstanceOf(ConnectionError);
      else expect(late).toMatchObject({ rowCount: 1 });
      await expect(driver.query("SELECT 3", [])).rejects.toBeInstanceOf(ConnectionError);
      expect(await within(YaraOrm.close())).toBeUndefined();
    });

    it(`${name}: close() from inside a transaction returns and the transaction still commits`, async () => {
      await YaraOrm.init(url);
      const result = await within(
        inTransaction(async (c) => {
          await YaraOrm.close();
          return (await c.query("SELECT 7", [])).reader.int(0, 0);
        }),
      );
      expect(result).toBe(7);
      await YaraOrm.init(url); // init after close
      expect((await YaraOrm.driver.query("SELECT 8", [])).reader.int(0, 0)).toBe(8);
      await YaraOrm.close();
    });
  }
});

describe("YaraOrm.close racing init", () => {
  it("cancels an init still connecting, and init works again afterwards", async () => {
    const opening = YaraOrm.init(pgUrl());
    await YaraOrm.close();
    // The pending init fails (what it still opens is closed, see init-connect.test.ts).
    await expect(opening).rejects.toThrow(/closed while connecting/);
    expect(YaraOrm.initialized).toBe(false);
    await YaraOrm.init("sqlite://:memory:");
    expect(YaraOrm.initialized).toBe(true);
    await YaraOrm.close();
  });
});

describe("an async logger that rejects", () => {
  it("neither breaks the statement nor leaves an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      await YaraOrm.init("sqlite://:memory:", {
        log: (async () => {
          throw new Error("logger broke");
        }) as unknown as () => void,
      });
      expect((await YaraOrm.driver.query("SELECT 1", [])).rowCount).toBe(1);
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
      await YaraOrm.close();
    }
  });
});
