/**
 * Wake-ups of the native Postgres engine's thread (`yara-pg`) per round trip. The JavaScript
 * thread's event loop watches the connections' sockets (native/src/pg/event_loop.rs): a reply
 * wakes that thread alone, which reads it and settles the promise, as the `pg` driver's one
 * wake-up. The engine's thread, which was woken by every reply before handing it over, now
 * sleeps through sequential statements, transactions and pipelined bursts; only its timers
 * (the idle-connection reaper) wake it. Counted with the thread's voluntary context switches
 * (/proc, so Linux only).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { pgTarget } from "./fault-helpers.js";

const addon = loadNativeAddon();
const linux = existsSync("/proc/self/task");

/** The engine thread's voluntary context switches so far (each one a sleep it woke from). */
function engineWakeups(): number {
  for (const tid of readdirSync("/proc/self/task")) {
    if (readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() !== "yara-pg") continue;
    const status = readFileSync(`/proc/self/task/${tid}/status`, "utf8");
    return Number(/^voluntary_ctxt_switches:\s*(\d+)$/m.exec(status)![1]);
  }
  throw new Error("the native engine's thread (yara-pg) is not running");
}

for (const native of addon === undefined || !linux ? [] : [addon]) {
  describe("native Postgres: the engine's thread sleeps through round trips", () => {
    // A temporary table: its commits write no WAL, so no fsync stretches the test out.
    const table = `yara_wakeups_${process.pid}`;
    const insert = `INSERT INTO ${table} (label) VALUES ($1) RETURNING id, label`;
    let driver: NativePgDriver;

    async function wakeupsOf(work: () => Promise<unknown>): Promise<number> {
      const before = engineWakeups();
      await work();
      return engineWakeups() - before;
    }

    beforeAll(async () => {
      driver = await NativePgDriver.open(native, pgTarget(), { max: 1, min: 1 });
      await driver.execute(
        `CREATE TEMPORARY TABLE ${table} (id serial PRIMARY KEY, label text)`,
        [],
      );
      await driver.query(insert, ["warm"]);
    });

    afterAll(async () => {
      await driver?.close();
    });

    // Before, each round trip woke the engine's thread at least once: 300 and more below.
    it("300 sequential statements", async () => {
      const woken = await wakeupsOf(async () => {
        for (let i = 0; i < 300; i++) await driver.query(insert, [`row ${i}`]);
      });
      expect(woken).toBeLessThan(30);
    });

    it("100 transactions of 3 inserts (400 round trips)", async () => {
      const woken = await wakeupsOf(async () => {
        for (let i = 0; i < 100; i++) {
          await driver.transaction(async (tx) => {
            for (const label of ["a", "b", "c"]) await tx.query(insert, [label]);
          });
        }
      });
      expect(woken).toBeLessThan(30);
      const rows = await driver.query(`SELECT count(*)::int FROM ${table}`, []);
      expect(rows.reader.int(0, 0)).toBe(601);
    });

    it("bursts of 32 pipelined statements", async () => {
      const woken = await wakeupsOf(async () => {
        for (let i = 0; i < 30; i++) {
          const burst = Array.from({ length: 32 }, (_, k) => driver.query(insert, [`${i}.${k}`]));
          expect((await Promise.all(burst)).length).toBe(32);
        }
      });
      expect(woken).toBeLessThan(30);
    });
  });
}
