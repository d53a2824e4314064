/**
 * CPU time and context switches per statement, yara's native Postgres engine beside raw `pg`
 * (named prepared statements), N statements one at a time in one process each: less sensitive
 * to a loaded machine than throughput. Counts are the whole process's (getrusage), per thread
 * from /proc/self/task at the end.
 *
 *   npx tsx bench/pg-switches.ts [--n 5000] [--lib native|pg] [--work lookup|lookup32|insert|tx3]
 */
import { readFileSync, readdirSync } from "node:fs";
import pg from "pg";
import { loadNativeAddon } from "../runtime/driver/native/addon.js";
import { NativePgDriver } from "../runtime/driver/native/postgres.js";

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg("n", "5000"));
const LIB = arg("lib", "native");
const WORK = arg("work", "lookup");
const URL_ = process.env.YARA_PG_URL ?? "postgres://root@127.0.0.1:5432/test";
const TABLE = "yara_switch_books";
const LOOKUP = `SELECT id, title, price, published, rating, published_at, author_id FROM ${TABLE} WHERE id = $1`;
const INSERT =
  `INSERT INTO ${TABLE} (title, price, published, rating, published_at, author_id) ` +
  "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, title, price, published, rating, published_at, author_id";

interface Lib {
  lookup(id: number): Promise<unknown>;
  insert(values: unknown[]): Promise<unknown>;
  tx3(rows: unknown[][]): Promise<void>;
  close(): Promise<void>;
}

async function setup(): Promise<void> {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  await c.query(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (id serial PRIMARY KEY, title text NOT NULL, price numeric(10,2) NOT NULL, ` +
      "published boolean NOT NULL, rating double precision NOT NULL, published_at timestamptz NOT NULL, author_id integer NOT NULL)",
  );
  const { rows } = await c.query(`SELECT count(*)::int AS n FROM ${TABLE}`);
  if (rows[0].n < 1000) {
    await c.query(
      `INSERT INTO ${TABLE} (title, price, published, rating, published_at, author_id) ` +
        "SELECT 'book ' || g, 9.99, g % 2 = 0, 3.5, now(), g % 100 FROM generate_series(1, 1000) g",
    );
  }
  await c.end();
}

async function openNative(): Promise<Lib> {
  const addon = loadNativeAddon();
  if (addon === undefined) throw new Error("the native addon did not load");
  const d = await NativePgDriver.open(addon, new URL(URL_), { max: 10 });
  return {
    lookup: (id) => d.query(LOOKUP, [id]),
    insert: (values) => d.query(INSERT, values as never),
    tx3: (rows) =>
      d.transaction(async (t) => {
        for (const r of rows) await t.query(INSERT, r as never);
      }),
    close: () => d.close(),
  };
}

async function openPg(): Promise<Lib> {
  const pool = new pg.Pool({ connectionString: URL_, max: 10 });
  return {
    lookup: (id) => pool.query({ name: "lookup", text: LOOKUP, values: [id], rowMode: "array" }),
    insert: (values) => pool.query({ name: "insert", text: INSERT, values, rowMode: "array" }),
    tx3: async (rows) => {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        for (const r of rows) await c.query({ name: "insert", text: INSERT, values: r });
        await c.query("COMMIT");
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Nanoseconds on a CPU so far, per thread name (schedstat's first field), summed by name. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    const name = readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
    const key = tid === String(process.pid) ? "js" : name === "yara-pg" ? "engine" : "other";
    const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    out.set(key, (out.get(key) ?? 0) + ns);
  }
  return out;
}

function threads(): string[] {
  return readdirSync("/proc/self/task").map((tid) => {
    const status = readFileSync(`/proc/self/task/${tid}/status`, "utf8");
    const get = (k: string): string => status.match(new RegExp(`^${k}:\\s*(.*)$`, "m"))?.[1] ?? "";
    return `${get("Name")}:${get("voluntary_ctxt_switches")}/${get("nonvoluntary_ctxt_switches")}`;
  });
}

async function main(): Promise<void> {
  await setup();
  const lib = LIB === "pg" ? await openPg() : await openNative();
  const row = (i: number): unknown[] => [`t${i}`, "1.50", true, 4.5, new Date().toISOString(), 7];
  const step = async (i: number): Promise<void> => {
    if (WORK === "lookup") await lib.lookup((i % 1000) + 1);
    else if (WORK === "lookup32") {
      await Promise.all(
        Array.from({ length: 32 }, (_, k) => lib.lookup(((i * 32 + k) % 1000) + 1)),
      );
    } else if (WORK === "insert") await lib.insert(row(i));
    else await lib.tx3([row(i), row(i + 1), row(i + 2)]);
  };
  for (let i = 0; i < Math.min(500, N); i++) await step(i);
  const cpuBefore = threadCpu();
  const before = process.resourceUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await step(i);
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  const after = process.resourceUsage();
  const cpuAfter = threadCpu();
  const threadUs = (k: string): string =>
    (((cpuAfter.get(k) ?? 0) - (cpuBefore.get(k) ?? 0)) / 1e3 / N).toFixed(2);
  const cpu = after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime;
  const vol = after.voluntaryContextSwitches - before.voluntaryContextSwitches;
  const inv = after.involuntaryContextSwitches - before.involuntaryContextSwitches;
  const per = (x: number): string => (x / N).toFixed(2);
  console.log(
    `${LIB.padEnd(6)} ${WORK.padEnd(6)} n=${N} wall ${per(wall)} µs/op  cpu ${per(cpu)} µs/op ` +
      `(JS thread ${threadUs("js")}, engine ${threadUs("engine")}, others ${threadUs("other")})  ` +
      `ctxsw ${per(vol + inv)}/op (vol ${per(vol)}, invol ${per(inv)})  threads ${threads().join(" ")}`,
  );
  await lib.close();
}

await main();
