/** The "PgBouncer" section of RESULTS.md: bench/pgbouncer.ts's point queries, PgBouncer ÷ direct. */
import type { PgBouncerTimings } from "../runtime/results.js";
import { median } from "../runtime/stats.js";
import { micros, rate, ratio } from "./format.js";

export function pgbouncerSection(
  timings: PgBouncerTimings,
  table: (header: readonly string[], rows: readonly (readonly string[])[]) => string,
): string[] {
  const drivers = [...new Set(Object.keys(timings.samples).map((k) => k.split("/")[0]!))];
  const rows = drivers.map((driver) => {
    const direct = timings.samples[`${driver}/direct`];
    const bounced = timings.samples[`${driver}/pgbouncer`];
    if (direct === undefined || bounced === undefined)
      return [driver, "–", "–", "–", "–", "–", "–"];
    const seqD = median(direct.sequentialQps);
    const seqB = median(bounced.sequentialQps);
    const conD = median(direct.concurrentQps);
    const conB = median(bounced.concurrentQps);
    return [
      driver,
      micros(1e6 / seqD),
      micros(1e6 / seqB),
      ratio(seqD / seqB),
      `${rate(conD)}/s`,
      `${rate(conB)}/s`,
      ratio(conB / conD),
    ];
  });
  return [
    "## PgBouncer",
    "",
    "bench/pgbouncer.ts, in its own process: a primary-key lookup (one row) through Debian's PgBouncer in transaction pooling mode " +
      "(`pgbouncer: true`, started on loopback in front of the same server) and straight to Postgres, each driver with its default pool, " +
      `subjects interleaved, median of ${timings.reps} × ${timings.durationMs} ms. Latency: one query at a time; throughput: ${timings.inFlight} in flight.`,
    "",
    table(
      [
        "driver",
        "latency direct",
        "latency PgBouncer",
        "PgBouncer ÷ direct",
        "throughput direct",
        "throughput PgBouncer",
        "PgBouncer ÷ direct",
      ],
      rows,
    ),
    "",
  ];
}
