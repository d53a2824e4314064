/**
 * Guarantee: the native addon does not leak per statement. 1 000 000 queries (200 000 under
 * `npm test`; support/sizes.ts) through the native SQLite driver (in memory: a point read, a row-returning expression with text and a blob,
 * an upsert every tenth query, plus a failing statement every thousandth) must leave RSS, measured
 * after a full garbage collection, flat over the second half (the allocator settles first) and
 * within 32 MB of where it stood after the first tenth; the table stays at 1 000 rows, so SQLite's pages
 * do not grow. The decoders and the
 * pool have Rust tests of their own (`cargo test`, native/tests/pg.rs); a panic surfacing as
 * a JS error is tests/runtime/driver/native-napi.test.ts.
 */
import { describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../runtime/driver/native/addon.js";
import { NativeSqliteDriver } from "../../runtime/driver/native/sqlite.js";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { DatabaseError } from "../../runtime/errors.js";
import { reliabilitySize } from "./support/sizes.js";

const addon = loadNativeAddon();
// A full collection before each sample (vitest's workers run without --expose-gc).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const TOTAL = reliabilitySize("YARA_MILLION_STATEMENTS", 200_000, 1_000_000);
/** Samples (after a full collection) every tenth of the run; the first tenth is warm-up. */
const TENTH = Math.floor(TOTAL / 10);
const WARM_UP = TENTH;
const HALF = 5 * TENTH;
const mb = (n: number) => Math.round(n / 1_048_576);

for (const native of addon === undefined ? [] : [addon]) {
  describe("native addon under a million queries", () => {
    it(`keeps RSS flat over ${TOTAL} statements on native SQLite`, async () => {
      const driver = NativeSqliteDriver.open(native, { filename: ":memory:" });
      try {
        await driver.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)", []);
        let rssAfterWarmUp = 0;
        let rssAtHalf = 0;
        let failures = 0;
        let checksum = 0;
        const started = Date.now();
        const trace: string[] = [];
        for (let i = 0; i < TOTAL; i++) {
          if (i % TENTH === 0) {
            gc(); // garbage not yet collected is not a leak
            const m = process.memoryUsage();
            trace.push(`${Math.round(i / 1000)}k: ${mb(m.rss)}/${mb(m.heapUsed)}`);
            if (i === WARM_UP) rssAfterWarmUp = m.rss;
            if (i === HALF) rssAtHalf = m.rss;
          }
          if (i % 10 === 0) {
            await driver.execute(
              "INSERT INTO t (id, v) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v",
              [1 + ((i / 10) % 1000), `row ${i}`],
            );
          } else if (i % 1000 === 1) {
            try {
              await driver.query("SELECT no_such_column FROM t", []);
            } catch (err) {
              if (!(err instanceof DatabaseError)) throw err;
              failures++;
            }
          } else if (i % 2 === 0) {
            const r = await driver.query("SELECT id, v FROM t WHERE id = ?", [1 + (i % 50)]);
            checksum += r.rowCount;
          } else {
            const r = await driver.query("SELECT ? + 1, ? || 'x', x'00ff'", [i, "s"]);
            checksum += r.reader.int(0, 0) === i + 1 && r.reader.text(1, 0) === "sx" ? 1 : 0;
          }
        }
        gc();
        const rssAtEnd = process.memoryUsage().rss;
        console.info(`RSS/heap MB by statements run: ${trace.join(", ")}`);
        console.info(
          `native SQLite: ${TOTAL} statements in ${Date.now() - started} ms; ` +
            `RSS ${mb(rssAfterWarmUp)} MB after ${WARM_UP}, ${mb(rssAtEnd)} MB at the end`,
        );
        expect(failures).toBe(Math.ceil((TOTAL - 1) / 1000));
        expect(checksum).toBeGreaterThan(TOTAL * 0.8);
        const count = await driver.query("SELECT count(*) FROM t", []);
        expect(count.reader.int(0, 0)).toBe(1000);
        // The allocator settles within a few hundred thousand statements; after that, a leak of
        // even 8 bytes per statement would add 4 MB over the second half.
        expect(rssAtEnd - rssAfterWarmUp).toBeLessThan(32 * 1_048_576);
        expect(rssAtEnd - rssAtHalf).toBeLessThan(4 * 1_048_576);
      } finally {
        driver.close();
      }
    }, 120_000);
  });
}
