/**
 * Read replicas (issue 17): one primary and one streaming replica of its own
 * (tests/support/pg-cluster.ts), a read-heavy workload — 16 concurrent workers, 9 point reads
 * (`Author.get({ id })`) for every update by key — timed against the primary alone and through
 * `ReadReplicaRouter` over both, per Postgres driver, the two setups alternating within each
 * repetition. Reports throughput of each, their ratio and how the reads split between the
 * servers. `npm run bench` runs it (bench/runtime/replicas-measure.ts); alone, from the
 * repository root: `npx tsx bench/replicas.ts [--reps N] [--duration MS] [--json]`.
 */
import { existsSync } from "node:fs";
import type { DriverName } from "../runtime/driver/driver.js";
import { loadNativeAddon } from "../runtime/driver/native/addon.js";
import { startPgCluster, type PgCluster } from "../tests/support/pg-cluster.js";
import type { ReplicaTimings } from "./runtime/replicas-results.js";
import { replicaSummary } from "./runtime/replicas-measure.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const reps = Number(option("--reps") ?? 3);
const durationMs = Number(option("--duration") ?? 2_000);
const WORKERS = 16;
const AUTHORS = 1_000;
const READS_PER_WRITE = 9;

const client = new URL("../tests/features/generated/index.ts", import.meta.url);
if (!existsSync(client)) {
  // The feature tests' client (Author): generated as the tests generate it.
  const { default: generateClients } = await import("../tests/support/generate-client.js");
  await generateClients();
}
const { Author, ReadReplicaRouter, YaraOrm } = await import("../tests/features/generated/index.js");

type Setup = "primary alone" | "primary + replica";

interface Window {
  opsPerSecond: number;
  readsOnReplica: number;
  readsOnPrimary: number;
}

async function seed(cluster: PgCluster): Promise<void> {
  await YaraOrm.init(cluster.primaryUrl, { driver: "pg" });
  await YaraOrm.generateSchemas();
  await Author.all().delete();
  await Author.bulkCreate(
    Array.from({ length: AUTHORS }, (_, i) => ({ id: i + 1, name: `author ${i + 1}` })),
  );
  await YaraOrm.close();
  await cluster.caughtUp();
}

async function measure(cluster: PgCluster, driver: DriverName, setup: Setup): Promise<Window> {
  let readsOnReplica = 0;
  let readsOnPrimary = 0;
  const log = (e: { sql: string; connection?: string }): void => {
    if (!e.sql.startsWith("SELECT")) return;
    if (e.connection === "replica") readsOnReplica++;
    else readsOnPrimary++;
  };
  if (setup === "primary alone") {
    await YaraOrm.init(cluster.primaryUrl, { driver, log });
  } else {
    await YaraOrm.init({
      connections: { default: cluster.primaryUrl, replica: cluster.replicaUrl },
      driver,
      // The primary takes reads too: the read load spreads over both servers.
      routers: [new ReadReplicaRouter({ replicas: ["replica"], primaryInRotation: true })],
      log,
    });
  }
  try {
    let ops = 0;
    let counting = false;
    let stop = false;
    const worker = async (n: number): Promise<void> => {
      for (let i = n; !stop; i++) {
        const id = 1 + ((i * 7919) % AUTHORS);
        if (i % (READS_PER_WRITE + 1) === 0)
          await Author.filter({ id }).update({ name: `author ${id} (${i})` });
        else await Author.get({ id });
        if (counting) ops++;
      }
    };
    const workers = Array.from({ length: WORKERS }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 300)); // warm-up: pools filled, statements prepared
    readsOnReplica = readsOnPrimary = 0;
    counting = true;
    const started = performance.now();
    await new Promise((r) => setTimeout(r, durationMs));
    counting = false;
    const elapsed = performance.now() - started;
    const window = { opsPerSecond: (ops / elapsed) * 1000, readsOnReplica, readsOnPrimary };
    stop = true;
    await Promise.all(workers);
    return window;
  } finally {
    await YaraOrm.close();
  }
}

const cluster = await startPgCluster();
try {
  await seed(cluster);
  const drivers: DriverName[] = loadNativeAddon() === undefined ? ["pg"] : ["native", "pg"];
  const result: ReplicaTimings = {
    workers: WORKERS,
    readsPerWrite: READS_PER_WRITE,
    durationMs,
    drivers: {},
  };
  for (const driver of drivers)
    result.drivers[driver] = {
      primaryAlone: [],
      withReplica: [],
      readsOnReplica: 0,
      readsOnPrimary: 0,
    };
  for (let rep = 0; rep < reps; rep++) {
    for (const driver of drivers) {
      // Alternate which setup goes first, so neither always runs on a warmer machine.
      const order: Setup[] =
        rep % 2 === 0
          ? ["primary alone", "primary + replica"]
          : ["primary + replica", "primary alone"];
      for (const setup of order) {
        const w = await measure(cluster, driver, setup);
        const d = result.drivers[driver]!;
        if (setup === "primary alone") d.primaryAlone.push(w.opsPerSecond);
        else {
          d.withReplica.push(w.opsPerSecond);
          d.readsOnReplica += w.readsOnReplica;
          d.readsOnPrimary += w.readsOnPrimary;
        }
        if (!json)
          console.log(
            `rep ${rep + 1} ${driver} ${setup}: ${Math.round(w.opsPerSecond)} ops/s` +
              (setup === "primary alone"
                ? ""
                : `, reads ${w.readsOnReplica} replica / ${w.readsOnPrimary} primary`),
          );
      }
    }
  }
  if (json) console.log(JSON.stringify(result));
  else for (const line of replicaSummary(result)) console.log(line);
} finally {
  await cluster.stop();
}
