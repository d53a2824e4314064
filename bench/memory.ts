/**
 * Memory of a 5 000-row fetch from the seeded Postgres bench database (`npm run bench` seeds
 * it; bench/generated/yara must exist): raw `pg` rows as pg returns them, and yara's model
 * instances on the pg driver and on the native engine. Each subject runs in its own process
 * (`--expose-gc`, a young generation large enough that one fetch runs without a collection):
 *
 * - allocated: heap growth across one fetch with no collection in between (checked), plus the
 *   growth of memory outside the heap (`external`: socket buffers, the engine's result buffer),
 *   per row;
 * - fixed per query: what the same query allocates for one row, less that row's share of the
 *   retained heap (the query's builder, statement, promises and result object, whatever the row
 *   count): the part of `allocated` that is no row's, the median of FIXED_RUNS one-row fetches;
 * - retained: heap still held by the rows after a full collection, per row; on the native
 *   engine plus the result buffer, which the instances keep by design (their loaded values are
 *   read from it again when save() compares: runtime/model/snapshot.ts). V8 frees external
 *   buffers lazily, so `external` after a collection cannot tell whether it is kept: the buffer
 *   allocated by the fetch is counted as retained, in full.
 *
 * The heap counted is the spaces objects live in (`objectHeap`): machine code the optimizing
 * compiler installs while the fetch runs (it compiles on another thread, whenever a function
 * turns hot) is no object the fetch made. A heap figure is the least of a few full collections
 * on later turns of the event loop (`settledHeap`): what a library releases on a later turn,
 * and garbage one collection leaves behind, are not kept by the rows. Read straight after one
 * collection, raw pg's retained figure moved between about 260 and 340 bytes a row from one
 * process to the next (now within 2).
 *
 * Peak RSS under a long fetch loop is the reliability soak's figure (tests/reliability/soak.test.ts,
 * which `npm run bench` runs for 60 s: bench/runtime/memory-measure.ts).
 *
 *   npx tsx bench/memory.ts [--reps 3] [--json]
 */
import { spawnSync } from "node:child_process";
import { PerformanceObserver } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { getHeapSpaceStatistics } from "node:v8";

const ROWS = 5_000;
/** Fetches before the measured one: prepared statements, shape caches, optimized code. */
const WARM_UP = 10;
/** One-row fetches whose median allocation is the query's fixed cost. */
const FIXED_RUNS = 21;
/** Full collections a heap figure is the least of. */
const SETTLE_ROUNDS = 5;
const SUBJECTS = ["raw-pg", "yara-pg", "yara-native"] as const;
type MemorySubject = (typeof SUBJECTS)[number];

export interface MemorySample {
  subject: MemorySubject;
  allocatedPerRow: number;
  buffersPerRow: number;
  retainedPerRow: number;
  /** Rows fetched; absent in results written before `fixedPerQuery` was measured. */
  rows?: number;
  /** Heap a query allocates whatever its row count (see the file's comment), in bytes. */
  fixedPerQuery?: number;
  /** Of `buffersPerRow`, what the rows keep alive (the native engine's result buffer). */
  keptBuffersPerRow: number;
  collections: number;
}

async function fetcher(
  subject: MemorySubject,
): Promise<(rows: number) => Promise<readonly unknown[]>> {
  const { PG_URL } = await import("./runtime/targets.js");
  if (subject === "raw-pg") {
    const { default: pg } = await import("pg");
    const { SQL } = await import("./peers/raw-sql.js");
    const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
    return async (rows) =>
      (await pool.query({ name: "first_books", text: SQL.firstBooks, values: [rows] })).rows;
  }
  const { Book, YaraOrm } = await import("./generated/yara/index.js");
  await YaraOrm.init(PG_URL, { driver: subject === "yara-native" ? "native" : "pg" });
  return async (rows) => await Book.all().orderBy("id").limit(rows);
}

function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Holds the fetched rows across the collections, where the optimizer cannot drop them. */
const held: { rows: (readonly unknown[])[] } = { rows: [] };

/** Bytes used in the heap spaces objects live in: not the code spaces, not the read-only one. */
function objectHeap(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith("code_") && space.space_name !== "read_only_space") {
      used += space.space_used_size;
    }
  }
  return used;
}

/**
 * The object heap once pending callbacks have run: the least reading of a few full collections,
 * each on a later turn of the event loop (garbage one leaves behind, a later one frees; readings
 * moved by about 150 KB from one collection to the next).
 */
async function settledHeap(gc: () => void): Promise<number> {
  let least = Number.POSITIVE_INFINITY;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
    least = Math.min(least, objectHeap());
  }
  return least;
}

/** One subject, in this process: warm up, then measure one fetch. */
async function measureHere(subject: MemorySubject): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("bench/memory.ts measures with --expose-gc");
  const fetch = await fetcher(subject);
  for (let i = 0; i < WARM_UP; i++) {
    await fetch(ROWS);
    await fetch(1);
  }
  // One result set held already: whatever a library keeps of its last result is in `before`.
  held.rows.push(await fetch(ROWS));
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  const before = await settledHeap(gc);
  const externalBefore = process.memoryUsage().external;
  observer.observe({ entryTypes: ["gc"] });
  const start = objectHeap();
  held.rows.push(await fetch(ROWS));
  const allocated = objectHeap() - start;
  const external = process.memoryUsage().external - externalBefore;
  observer.disconnect();
  await new Promise((r) => setImmediate(r)); // deliver pending gc entries
  const after = await settledHeap(gc);
  const fetched = held.rows.map((rows) => rows.length);
  held.rows = [];
  gc();
  const oneRow: number[] = [];
  for (let i = 0; i < FIXED_RUNS; i++) {
    const before1 = objectHeap();
    held.rows.push(await fetch(1));
    oneRow.push(objectHeap() - before1);
  }
  held.rows = [];
  if (fetched.some((n) => n !== ROWS)) throw new Error(`${subject}: fetched ${fetched} rows`);
  const buffersPerRow = external / ROWS;
  return {
    subject,
    allocatedPerRow: allocated / ROWS,
    buffersPerRow,
    retainedPerRow: (after - before) / ROWS,
    rows: ROWS,
    fixedPerQuery: median(oneRow) - (after - before) / ROWS,
    keptBuffersPerRow: subject === "yara-native" ? buffersPerRow : 0,
    collections,
  };
}

function measureInChild(subject: MemorySubject): MemorySample {
  const result = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      "--max-semi-space-size=256",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--child",
      subject,
    ],
    { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`${subject} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "") as MemorySample;
}

async function main(argv: readonly string[]): Promise<void> {
  const child = argv.indexOf("--child");
  if (child >= 0) {
    const sample = await measureHere(argv[child + 1] as MemorySubject);
    console.log(JSON.stringify(sample));
    process.exit(0);
  }
  const repsAt = argv.indexOf("--reps");
  const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : 3;
  const samples: MemorySample[] = [];
  for (let r = 0; r < reps; r++) for (const s of SUBJECTS) samples.push(measureInChild(s));
  if (argv.includes("--json")) {
    console.log(JSON.stringify(samples));
    return;
  }
  const total = (s: MemorySample) => s.retainedPerRow + s.keptBuffersPerRow;
  const raw = median(samples.filter((s) => s.subject === "raw-pg").map(total));
  for (const subject of SUBJECTS) {
    const mine = samples.filter((s) => s.subject === subject);
    const m = (pick: (s: MemorySample) => number) => Math.round(median(mine.map(pick)));
    const retained = median(mine.map(total));
    const range = (pick: (s: MemorySample) => number) =>
      `${Math.round(Math.min(...mine.map(pick)))}–${Math.round(Math.max(...mine.map(pick)))}`;
    const kept = m((s) => s.keptBuffersPerRow);
    console.log(
      `${subject}: allocated ${m((s) => s.allocatedPerRow)} B/row (of which the query's fixed ` +
        `${m((s) => s.fixedPerQuery ?? 0)} B: ${(m((s) => s.fixedPerQuery ?? 0) / ROWS).toFixed(1)} B/row) ` +
        `+ buffers ${m((s) => s.buffersPerRow)} B/row, ` +
        `retained ${Math.round(retained)} B/row (heap ${m((s) => s.retainedPerRow)}, ${range((s) => s.retainedPerRow)}` +
        `${kept > 0 ? ` + result buffer ${kept}` : ""}; ${(retained / raw).toFixed(2)}× raw pg objects), ` +
        `collections during the fetch: ${mine.map((s) => s.collections).join(", ")}`,
    );
  }
}

await main(process.argv.slice(2));
