/**
 * The client's CPU time per written row: `Book.bulkCreate` of 1 000 rows and `Book.create` of
 * one, on one database and driver, with the client yara-gen makes from bench/schema.ts. Two
 * times: the process's CPU time (user + system, every thread: the native engine's too, and
 * whatever Node's own threads spend waiting), and the main thread's alone (Linux' schedstat, in
 * nanoseconds), where the JavaScript runs. The server's work is left out either way, and a
 * loaded machine disturbs CPU time less than wall time.
 *
 *   cd bench && node --import tsx ../generator/cli.ts schema.ts --out generated/yara
 *   node --import tsx write-path.ts --database sqlite|postgres [--driver native] [--reps 5]
 *
 * Postgres writes into a database of its own, `yara_write_path` beside the test database.
 *
 * With `--marks`, after the warm-up round it runs one more round of each between lines
 * `WP-ON <what> <pid>` and `WP-OFF <what> <pid>`, pausing a few seconds at each, so a watcher
 * can switch callgrind's instrumentation on and off around it (bench/write-path-callgrind.sh):
 * instruction counts of the steady state alone, without start-up, loading or JIT warm-up.
 * `--tx3-calls N` adds a third window: N transactions of three `Book.create` each.
 */
import { readFileSync } from "node:fs";
import pg from "pg";
import { Author, Book, YaraOrm, inTransaction } from "./generated/yara/index.js";
import { PG_ADMIN_URL } from "./runtime/targets.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const database = option("--database", "sqlite");
const driver = option("--driver", "native") as "native" | "pg" | "better-sqlite3";
const reps = Number(option("--reps", "5"));
const BULK = 1000;
const BULK_CALLS = Number(option("--bulk-calls", "20"));
const CREATE_CALLS = Number(option("--create-calls", "2000"));
const TX3_CALLS = Number(option("--tx3-calls", "0"));

async function open(): Promise<void> {
  if (database === "postgres") {
    const name = "yara_write_path";
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    await YaraOrm.init(PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`), { driver });
  } else if (database === "sqlite") {
    await YaraOrm.init("sqlite://:memory:", { driver });
  } else {
    throw new Error(`--database sqlite or postgres, not ${database}`);
  }
  await YaraOrm.generateSchemas();
}

/** The main thread's time on a CPU so far, in microseconds (Linux). */
function mainThread(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8");
  return Number(stat.split(" ")[0]) / 1000;
}

/** CPU microseconds `run` takes: every thread's, and the main thread's. */
async function cpu(run: () => Promise<void>): Promise<[number, number]> {
  const start = process.cpuUsage();
  const main = mainThread();
  await run();
  const thread = mainThread() - main;
  const used = process.cpuUsage(start);
  return [used.user + used.system, thread];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

await open();
const author = await Author.create({ name: "Writer" });
const published = new Date(Date.UTC(2024, 4, 17, 10, 30, 15, 250));
const rows = Array.from({ length: BULK }, (_, i) => ({
  title: `Book ${i}`,
  price: "19.99",
  published: i % 2 === 0,
  rating: 4.5,
  publishedAt: new Date(published.getTime() + i * 1000),
  authorId: author.id,
}));

/** Three `Book.create` in one transaction (the bench's transaction-3-inserts). */
function threeInTransaction(i: number): Promise<void> {
  return inTransaction(async () => {
    for (let j = 0; j < 3; j++) await Book.create(rows[(3 * i + j) % BULK]!);
  });
}

const bulk: number[] = [];
const single: number[] = [];
const bulkMain: number[] = [];
const singleMain: number[] = [];
const tx3: number[] = [];
const tx3Main: number[] = [];
// The first round warms the JIT and the statement caches; it is not counted.
for (let rep = 0; rep <= reps; rep++) {
  await Book.all().delete();
  const b = await cpu(async () => {
    for (let i = 0; i < BULK_CALLS; i++) await Book.bulkCreate(rows);
  });
  const c = await cpu(async () => {
    for (let i = 0; i < CREATE_CALLS; i++) await Book.create(rows[i % BULK]!);
  });
  const t = await cpu(async () => {
    for (let i = 0; i < TX3_CALLS; i++) await threeInTransaction(i);
  });
  if (rep === 0) continue;
  tx3.push(t[0] / Math.max(TX3_CALLS, 1));
  tx3Main.push(t[1] / Math.max(TX3_CALLS, 1));
  bulk.push(b[0] / (BULK_CALLS * BULK));
  bulkMain.push(b[1] / (BULK_CALLS * BULK));
  single.push(c[0] / CREATE_CALLS);
  singleMain.push(c[1] / CREATE_CALLS);
}
if (process.argv.includes("--marks")) {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 4000));
  const mark = async (line: string) => {
    console.log(`${line} ${process.pid}`);
    await pause();
  };
  await Book.all().delete();
  await mark("WP-ON bulk");
  for (let i = 0; i < BULK_CALLS; i++) await Book.bulkCreate(rows);
  await mark("WP-OFF bulk");
  await mark("WP-ON create");
  for (let i = 0; i < CREATE_CALLS; i++) await Book.create(rows[i % BULK]!);
  await mark("WP-OFF create");
  if (TX3_CALLS > 0) {
    await mark("WP-ON tx3");
    for (let i = 0; i < TX3_CALLS; i++) await threeInTransaction(i);
    await mark("WP-OFF tx3");
  }
}
await YaraOrm.close();
const show = (xs: readonly number[]) =>
  `median ${median(xs).toFixed(2)} µs (${xs.map((x) => x.toFixed(2)).join(", ")})`;
const name = `${database}/${driver}`;
console.log(`${name} bulkCreate(${BULK}) CPU per row, process: ${show(bulk)}`);
console.log(`${name} bulkCreate(${BULK}) CPU per row, main thread: ${show(bulkMain)}`);
console.log(`${name} create() CPU per call, process: ${show(single)}`);
console.log(`${name} create() CPU per call, main thread: ${show(singleMain)}`);
if (TX3_CALLS > 0) {
  console.log(`${name} 3 creates in a transaction, CPU per transaction, process: ${show(tx3)}`);
  console.log(
    `${name} 3 creates in a transaction, CPU per transaction, main thread: ${show(tx3Main)}`,
  );
}
