/**
 * What PgBouncer costs per point query: a primary-key lookup (`SELECT … WHERE id = $1`, one
 * row) through Debian's PgBouncer in transaction pooling mode (`pgbouncer: true`) against the
 * same lookup straight to Postgres, on both Postgres drivers, in one run so the ratios share
 * the machine's load. Two shapes: one query at a time (latency, µs per query) and 16 in flight
 * (throughput). Subjects are interleaved within each repetition, their order rotated.
 * `npm run bench` runs it (orchestrate.ts); alone, from the repository root:
 * `npx tsx bench/pgbouncer.ts [--reps N] [--duration MS] [--json] [postgres-url]`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { parseDatabaseUrl } from "../runtime/config.js";
import type { Driver, DriverName } from "../runtime/driver/driver.js";
import { openDriver } from "../runtime/driver/open.js";
import { startPgBouncer } from "../tests/support/pgbouncer.js";
import type { PgBouncerTimings } from "./runtime/results.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const reps = Number(option("--reps") ?? 3);
const durationMs = Number(option("--duration") ?? 1500);
const serverUrl =
  args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"))[0] ??
  process.env.YARA_PG_URL ??
  "postgres://root@127.0.0.1:5432/test";

const ROWS = 1000;
const IN_FLIGHT = 16;
const DRIVERS: readonly DriverName[] = ["native", "pg"];
const POINT = "SELECT id, label FROM items WHERE id = $1";

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Queries per second over `durationMs`, `concurrency` lookups in flight. */
async function measure(driver: Driver, concurrency: number): Promise<number> {
  let done = 0;
  let next = 0;
  const until = performance.now() + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < until) {
      const { rowCount } = await driver.query(POINT, [(next++ % ROWS) + 1]);
      if (rowCount !== 1) throw new Error(`expected one row, got ${rowCount}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - started) / 1000);
}

async function main(): Promise<PgBouncerTimings> {
  const bouncer = await startPgBouncer(serverUrl);
  const database = `yara_bench_pgb_${randomBytes(4).toString("hex")}`;
  await admin(`CREATE DATABASE ${database} TEMPLATE template0`);
  const at = (base: string) => {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const drivers = new Map<string, Driver>();
  try {
    const setup = await openDriver(parseDatabaseUrl(at(serverUrl)), { driver: "pg" });
    await setup.execute("CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)", []);
    await setup.execute(
      "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, $1::int) g",
      [ROWS],
    );
    await setup.close();
    const subjects: string[] = [];
    for (const name of DRIVERS) {
      for (const via of ["direct", "pgbouncer"] as const) {
        const target =
          via === "direct"
            ? parseDatabaseUrl(at(serverUrl))
            : parseDatabaseUrl(at(bouncer.url), undefined, true);
        drivers.set(`${name}/${via}`, await openDriver(target, { driver: name }));
        subjects.push(`${name}/${via}`);
      }
    }
    const samples: PgBouncerTimings["samples"] = {};
    for (const s of subjects) {
      samples[s] = { sequentialQps: [], concurrentQps: [] };
      await measure(drivers.get(s)!, IN_FLIGHT); // warm up: connections, statement caches
    }
    for (let rep = 0; rep < reps; rep++) {
      const order = subjects.map((_, i) => subjects[(i + rep) % subjects.length]!);
      for (const s of order) {
        samples[s]!.sequentialQps.push(await measure(drivers.get(s)!, 1));
        samples[s]!.concurrentQps.push(await measure(drivers.get(s)!, IN_FLIGHT));
      }
    }
    return { reps, durationMs, inFlight: IN_FLIGHT, samples };
  } finally {
    for (const driver of drivers.values()) await driver.close().catch(() => undefined);
    await bouncer.stop();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const timings = await main();
if (json) {
  console.log(JSON.stringify(timings));
} else {
  console.log(
    `point query by primary key, median of ${reps} × ${durationMs} ms (ratio: PgBouncer ÷ direct)`,
  );
  for (const name of DRIVERS) {
    const direct = timings.samples[`${name}/direct`]!;
    const bounced = timings.samples[`${name}/pgbouncer`]!;
    const us = (qps: number) => (1e6 / qps).toFixed(0);
    const seqD = median(direct.sequentialQps);
    const seqB = median(bounced.sequentialQps);
    const conD = median(direct.concurrentQps);
    const conB = median(bounced.concurrentQps);
    console.log(
      `${name.padEnd(7)} one at a time: direct ${us(seqD)} µs, PgBouncer ${us(seqB)} µs (latency ×${(seqD / seqB).toFixed(2)}); ` +
        `${IN_FLIGHT} in flight: direct ${conD.toFixed(0)} q/s, PgBouncer ${conB.toFixed(0)} q/s (throughput ×${(conB / conD).toFixed(2)})`,
    );
  }
}
