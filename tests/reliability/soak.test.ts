/**
 * Guarantee: under sustained mixed load nothing fails, nothing leaks and every write is where
 * its outcome says. For 60 s under `npm run test:full`, 15 s under `npm test` (YARA_SOAK_MS sets
 * any length; support/sizes.ts), 64 tasks per Postgres driver (pg and native side by side, on loopback) run
 * seeded mixes of point reads, single-statement inserts, committed two-row transactions and
 * transactions rolled back on purpose (the only injected failure). Afterwards every committed
 * row is present with its last value, every rolled-back one absent, no other row exists, no
 * connection is left open; RSS and heap, sampled each second, must not keep growing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "../../runtime/driver/driver.js";
import { isolate, pgUrl, type IsolatedDatabase } from "../support/targets.js";
import { leakedConnections } from "./support/backends.js";
import { pgDriverKinds, tagged, type PgDriverKind } from "./support/drivers.js";
import { reliabilitySize } from "./support/sizes.js";

const DURATION_MS = reliabilitySize("YARA_SOAK_MS", 15_000, 60_000);
const TASKS = 64;
/** Writes one task can make; ids are task * SLOTS + k, so tasks never collide. */
const SLOTS = 1 << 17;

/** What happened to write k of a task; preallocated so bookkeeping adds nothing to the heap. */
const enum Outcome {
  None = 0,
  Single = 1, // INSERT (id, 's')
  Pair = 2, // transaction: INSERT k ('t1'), INSERT k + 1 ('t2'), UPDATE k → 'tx'
  PairSecond = 3,
  RolledBack = 4,
}

class Rollback extends Error {}

/** A small deterministic generator per task (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectedValue(o: Outcome): string | undefined {
  return o === Outcome.Single
    ? "s"
    : o === Outcome.Pair
      ? "tx"
      : o === Outcome.PairSecond
        ? "t2"
        : undefined;
}

interface SoakRun {
  readonly outcomes: Uint8Array[];
  readonly errors: unknown[];
  operations: number;
}

async function soak(driver: Driver, table: string, until: number): Promise<SoakRun> {
  const run: SoakRun = {
    outcomes: Array.from({ length: TASKS }, () => new Uint8Array(SLOTS)),
    errors: [],
    operations: 0,
  };
  const insert = `INSERT INTO ${table} (id, v) VALUES ($1, $2)`;
  await Promise.all(
    Array.from({ length: TASKS }, async (_, task) => {
      const rnd = random(task + 1);
      const outcomes = run.outcomes[task]!;
      const base = task * SLOTS;
      let k = 0;
      while (Date.now() < until && k < SLOTS - 2) {
        const roll = rnd();
        try {
          if (roll < 0.4 && k > 0) {
            const j = Math.floor(rnd() * k);
            const res = await driver.query(`SELECT v FROM ${table} WHERE id = $1`, [base + j]);
            const want = expectedValue(outcomes[j]!);
            const got = res.rowCount === 0 ? undefined : res.reader.text(0, 0);
            if (got !== want) throw new Error(`task ${task} read ${j}: ${got} instead of ${want}`);
          } else if (roll < 0.7) {
            await driver.execute(insert, [base + k, "s"]);
            outcomes[k++] = Outcome.Single;
          } else {
            const first = k;
            k += 2;
            const rollback = roll >= 0.9;
            try {
              await driver.transaction(async (tx) => {
                await tx.execute(insert, [base + first, "t1"]);
                await tx.execute(insert, [base + first + 1, "t2"]);
                await tx.execute(`UPDATE ${table} SET v = 'tx' WHERE id = $1`, [base + first]);
                if (rollback) throw new Rollback();
              });
              outcomes[first] = Outcome.Pair;
              outcomes[first + 1] = Outcome.PairSecond;
            } catch (err) {
              if (!(err instanceof Rollback)) throw err;
              outcomes[first] = outcomes[first + 1] = Outcome.RolledBack;
            }
          }
          run.operations++;
        } catch (err) {
          run.errors.push(err);
          if (run.errors.length > 20) return;
        }
      }
    }),
  );
  return run;
}

interface Sample {
  readonly at: number;
  readonly rss: number;
  readonly heap: number;
}

const mb = (n: number) => Math.round(n / 1_048_576);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

describe(`soak: ${TASKS} tasks per Postgres driver for ${DURATION_MS / 1000} s`, () => {
  let db: IsolatedDatabase;
  beforeAll(async () => {
    db = await isolate({ name: "postgres", dialect: "postgres", driver: "pg", url: pgUrl() });
  });
  afterAll(() => db.dispose());

  it(
    "keeps every committed write, drops every rolled-back one, errs never, stays flat",
    async () => {
      const kinds = pgDriverKinds();
      const opened = await Promise.all(
        kinds.map(async (kind: PgDriverKind) => {
          const app = `yara_soak_${kind.name}_${process.pid}`;
          const table = `soak_${kind.name}`;
          const driver = await kind.open(tagged(new URL(db.url), app), { max: 8 });
          await driver.execute(
            `CREATE TABLE ${table} (id BIGINT PRIMARY KEY, v TEXT NOT NULL)`,
            [],
          );
          return { kind, app, table, driver };
        }),
      );
      const samples: Sample[] = [];
      const started = Date.now();
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        samples.push({ at: Date.now() - started, rss: m.rss, heap: m.heapUsed });
      }, 1000);
      let runs: SoakRun[];
      try {
        runs = await Promise.all(opened.map((o) => soak(o.driver, o.table, started + DURATION_MS)));
      } finally {
        clearInterval(sampler);
      }

      for (const [i, o] of opened.entries()) {
        const run = runs[i]!;
        expect(run.errors, `${o.kind.name}: errors`).toEqual([]);
        expect(run.operations).toBeGreaterThan(TASKS * 10);
        // Row by row: exactly the committed writes, each with its last value.
        const res = await o.driver.query(`SELECT id, v FROM ${o.table} ORDER BY id`, []);
        const found = new Map<number, string>();
        for (let r = 0; r < res.rowCount; r++)
          found.set(res.reader.int(0, r), res.reader.text(1, r));
        let committed = 0;
        let rolledBack = 0;
        for (let task = 0; task < TASKS; task++) {
          const outcomes = run.outcomes[task]!;
          for (let k = 0; k < SLOTS; k++) {
            const o2 = outcomes[k]! as Outcome;
            if (o2 === Outcome.None) continue;
            const id = task * SLOTS + k;
            const want = expectedValue(o2);
            if (want === undefined) rolledBack++;
            else committed++;
            if (found.get(id) !== want) {
              expect(found.get(id), `${o.kind.name}: row ${id}`).toBe(want);
            }
            found.delete(id);
          }
        }
        expect([...found.keys()], `${o.kind.name}: rows nobody committed`).toEqual([]);
        expect(committed).toBeGreaterThan(0);
        expect(rolledBack).toBeGreaterThan(0);
        console.info(
          `soak ${o.kind.name}: ${run.operations} operations, ${committed} rows committed, ${rolledBack} rolled back`,
        );
        await o.driver.close();
        expect(await leakedConnections(db.url, o.app), `${o.kind.name}: leaked`).toEqual([]);
      }

      // Memory: the last third of the run against the second (the first is warm-up).
      const third = DURATION_MS / 3;
      const middle = samples.filter((s) => s.at >= third && s.at < 2 * third);
      const last = samples.filter((s) => s.at >= 2 * third);
      const rss = [median(middle.map((s) => s.rss)), median(last.map((s) => s.rss))];
      const heap = [median(middle.map((s) => s.heap)), median(last.map((s) => s.heap))];
      console.info(
        `soak memory (MB, median of middle → last third): rss ${mb(rss[0]!)} → ${mb(rss[1]!)}, heap ${mb(heap[0]!)} → ${mb(heap[1]!)}; ` +
          `peak rss ${mb(Math.max(...samples.map((s) => s.rss)))}; ` +
          `samples ${samples.map((s) => `${Math.round(s.at / 1000)}s:${mb(s.rss)}/${mb(s.heap)}`).join(" ")}`,
      );
      expect(middle.length).toBeGreaterThan(0);
      expect(last.length).toBeGreaterThan(0);
      expect(rss[1]! - rss[0]!).toBeLessThan(48 * 1_048_576);
      expect(heap[1]! - heap[0]!).toBeLessThan(32 * 1_048_576);
    },
    DURATION_MS + 90_000,
  );
});
