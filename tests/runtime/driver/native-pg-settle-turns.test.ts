/**
 * Where the native Postgres engine settles a statement's promise. The JavaScript thread's event
 * loop reads the reply (native/src/napi/socket_poll.rs) and settles the promise in that same
 * callback, inside a callback scope named `yara-native-poll`; the thread-safe function
 * (`yara-native-completion`, native/src/napi/completion.rs), which costs the loop a second turn
 * per round trip, is left to work finished on the engine's thread. Told apart by async hooks:
 * each callback runs under its own async resource.
 */
import { createHook } from "node:async_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { pgTarget } from "./fault-helpers.js";

const addon = loadNativeAddon();

/** Callbacks run so far under each resource type, counted from before the first promise. */
const kinds = new Map<number, string>();
const calls = new Map<string, number>();
createHook({
  init(asyncId, type) {
    if (type.startsWith("yara-native")) kinds.set(asyncId, type);
  },
  before(asyncId) {
    const kind = kinds.get(asyncId);
    if (kind !== undefined) calls.set(kind, (calls.get(kind) ?? 0) + 1);
  },
}).enable();

async function callbacksOf(
  work: () => Promise<unknown>,
): Promise<{ poll: number; threadsafe: number }> {
  const poll = calls.get("yara-native-poll") ?? 0;
  const threadsafe = calls.get("yara-native-completion") ?? 0;
  await work();
  return {
    poll: (calls.get("yara-native-poll") ?? 0) - poll,
    threadsafe: (calls.get("yara-native-completion") ?? 0) - threadsafe,
  };
}

for (const native of addon === undefined ? [] : [addon]) {
  describe("native Postgres: promises settle in the event loop's callback that read the reply", () => {
    const table = `yara_settle_turns_${process.pid}`;
    const insert = `INSERT INTO ${table} (label) VALUES ($1) RETURNING id, label`;
    let driver: NativePgDriver;

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

    // Before, every one of them went through the thread-safe function: 300 and more.
    it("200 sequential inserts and 50 transactions of 3", async () => {
      const counted = await callbacksOf(async () => {
        for (let i = 0; i < 200; i++) await driver.query(insert, [`row ${i}`]);
        for (let i = 0; i < 50; i++) {
          await driver.transaction(async (tx) => {
            for (const label of ["a", "b", "c"]) await tx.query(insert, [label]);
          });
        }
      });
      expect(counted.threadsafe).toBeLessThan(10);
      expect(counted.poll).toBeGreaterThanOrEqual(400);
      const rows = await driver.query(`SELECT count(*)::int FROM ${table}`, []);
      expect(rows.reader.int(0, 0)).toBe(351);
    });

    it("a pipelined burst settles each promise with its own result, and a failure with its error", async () => {
      const burst = Array.from({ length: 16 }, (_, k) =>
        (k === 7
          ? driver.query("SELECT 1 / 0", [])
          : driver.query("SELECT $1::int AS k", [k])
        ).then(
          (rows) => rows.reader.int(0, 0),
          (e: Error) => e.message,
        ),
      );
      const settled = await Promise.all(burst);
      expect(settled[7]).toMatch(/division by zero/);
      expect(settled.filter((_, k) => k !== 7)).toEqual(
        Array.from({ length: 16 }, (_, k) => k).filter((k) => k !== 7),
      );
    });
  });
}
