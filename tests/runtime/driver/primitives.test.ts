/** The small pieces drivers share: the async mutex, the LRU statement cache, pg parameters. */
import { describe, expect, it } from "vitest";
import { AsyncMutex } from "../../../runtime/driver/mutex.js";
import { pgArrayLiteral, toPgParams } from "../../../runtime/driver/pg/params.js";
import { parsePgTimestamp } from "../../../runtime/driver/pg/timestamp.js";
import { StatementCache } from "../../../runtime/driver/statement-cache.js";

describe("AsyncMutex", () => {
  it("hands the lock over in FIFO order", async () => {
    const mutex = new AsyncMutex();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        mutex.run(async () => {
          order.push(n);
          await new Promise((r) => setTimeout(r, 5));
          order.push(-n);
        }),
      ),
    );
    expect(order).toEqual([1, -1, 2, -2, 3, -3]);
    expect(mutex.locked).toBe(false);
  });

  it("releases after a throw", async () => {
    const mutex = new AsyncMutex();
    await expect(mutex.run(async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(mutex.locked).toBe(false);
  });

  it("knows its holder's callbacks across awaits, also after another mutex's run inside ended", async () => {
    // The async context is switched off when no run is in progress on any mutex, and must
    // stay on while one still is.
    const outer = new AsyncMutex();
    const inner = new AsyncMutex();
    expect(outer.heldByCaller()).toBe(false);
    for (let round = 0; round < 2; round++) {
      await outer.run(async () => {
        await inner.run(async () => {
          await new Promise((r) => setTimeout(r, 1));
          expect([outer.heldByCaller(), inner.heldByCaller()]).toEqual([true, true]);
        });
        await new Promise((r) => setTimeout(r, 1));
        expect([outer.heldByCaller(), inner.heldByCaller()]).toEqual([true, false]);
      });
      // A callback queued behind the holder is not inside it.
      let seen: boolean | undefined;
      const held = outer.run(() => new Promise((r) => setTimeout(r, 5)));
      const outside = new Promise<void>((resolve) =>
        setTimeout(() => {
          seen = outer.heldByCaller();
          resolve();
        }, 1),
      );
      await Promise.all([held, outside]);
      expect(seen).toBe(false);
    }
  });
});

describe("StatementCache", () => {
  it("evicts the least recently used entry", () => {
    const evicted: string[] = [];
    const cache = new StatementCache<number>(2, (_, sql) => evicted.push(sql));
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect(evicted).toEqual(["b"]);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });
});

describe("pg parameters", () => {
  it("converts bigints, bytes and arrays", () => {
    const [big, bytes, arr] = toPgParams([
      2n ** 64n,
      new Uint8Array([1, 2]),
      ["a", null, 'q"\\', 3n],
    ]);
    expect(big).toBe("18446744073709551616");
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(arr).toBe('{"a",NULL,"q\\"\\\\",3}');
    expect(pgArrayLiteral([true, false, [1, 2]])).toBe("{t,f,{1,2}}");
    expect(pgArrayLiteral([new Uint8Array([255])])).toBe('{"\\\\xff"}');
  });
});

describe("pg timestamps", () => {
  it.each([
    ["2024-01-02 03:04:05.123456+00", "2024-01-02T03:04:05.123Z"],
    ["2024-01-02 03:04:05+05:30", "2024-01-01T21:34:05.000Z"],
    ["2024-01-02 03:04:05.1-08", "2024-01-02T11:04:05.100Z"],
    ["0050-06-01 00:00:00+00", "0050-06-01T00:00:00.000Z"],
    ["12345-01-01 00:00:00+00", "+012345-01-01T00:00:00.000Z"],
    ["1900-01-01 00:00:00+00:09:21", "1899-12-31T23:50:39.000Z"],
    ["0001-01-01 00:00:00+00", "0001-01-01T00:00:00.000Z"],
    ["0099-12-31 23:00:00.999-02", "0100-01-01T01:00:00.999Z"],
    ["1969-12-31 23:59:59.9995+00", "1969-12-31T23:59:59.999Z"],
  ])("parses %s", (text, iso) => {
    expect(parsePgTimestamp(text).toISOString()).toBe(iso);
  });

  it.each(["infinity", "-infinity", "2024-01-01 00:00:00+00 BC", "garbage"])(
    "rejects %s clearly",
    (text) => {
      expect(() => parsePgTimestamp(text)).toThrow(/timestamp/);
    },
  );
});
