/**
 * Runs bench/replicas.ts in its own process from the repository root (it starts a primary and
 * a streaming replica of its own) and reads the JSON line it ends with.
 */
import type { ReplicaTimings } from "./replicas-results.js";
import { runJsonScript } from "./spawn.js";
import { median } from "./stats.js";

export function measureReplicas(repetitions: number, durationMs: number): ReplicaTimings {
  return runJsonScript<ReplicaTimings>("replicas.ts", [
    "--reps",
    String(repetitions),
    "--duration",
    String(durationMs),
  ]);
}

/** One line per driver: throughput of each setup, their ratio and the read split. */
export function replicaSummary(timings: ReplicaTimings): string[] {
  return Object.entries(timings.drivers).map(([driver, d]) => {
    const alone = median(d.primaryAlone);
    const both = median(d.withReplica);
    const reads = d.readsOnReplica + d.readsOnPrimary;
    const share = reads === 0 ? 0 : d.readsOnReplica / reads;
    return (
      `${driver}: primary alone ${Math.round(alone)} ops/s, primary + replica ${Math.round(both)} ops/s ` +
      `(${(both / alone).toFixed(2)}×); reads ${(share * 100).toFixed(0)} % replica / ${((1 - share) * 100).toFixed(0)} % primary`
    );
  });
}
