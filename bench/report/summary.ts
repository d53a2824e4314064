/**
 * Reduces the raw samples to what the report and chart show: per (workload, subject) the median
 * throughput, its range, the ratio to the raw driver of the same database and JS-thread CPU.
 */
import type { BenchResults, RuntimeCell } from "../runtime/results.js";
import { median, range } from "../runtime/stats.js";
import { baselineOf, subjectName, type Database } from "../runtime/targets.js";
import { WORKLOADS, type Workload } from "../runtime/workloads.js";

export interface Summary {
  workload: Workload;
  database: Database;
  subject: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  /** Median throughput over the raw driver's median (NaN when either is missing). */
  ratio: number;
  jsUsPerUnit: number;
  cpuUsPerUnit: number;
  failures: string[];
}

function summarize(cell: RuntimeCell, baseline: RuntimeCell | undefined): Summary {
  const rates = cell.samples.map((s) => s.unitsPerSec);
  const [min, max] = range(rates);
  const med = median(rates);
  const base = baseline ? median(baseline.samples.map((s) => s.unitsPerSec)) : Number.NaN;
  return {
    workload: WORKLOADS.find((w) => w.id === cell.workload)!,
    database: cell.database,
    subject: cell.subject,
    runs: rates.length,
    median: med,
    min,
    max,
    ratio: med / base,
    jsUsPerUnit: median(cell.samples.map((s) => s.jsUsPerUnit)),
    cpuUsPerUnit: median(cell.samples.map((s) => s.cpuUsPerUnit)),
    failures: cell.failures,
  };
}

export function summaries(results: BenchResults): Summary[] {
  return results.runtime.map((cell) => {
    const baseName = subjectName(baselineOf(cell.database));
    const baseline = results.runtime.find(
      (c) => c.workload === cell.workload && c.database === cell.database && c.subject === baseName,
    );
    return summarize(cell, baseline);
  });
}

export function find(
  all: readonly Summary[],
  database: Database,
  workload: string,
  subject: string,
): Summary | undefined {
  return all.find(
    (s) => s.database === database && s.workload.id === workload && s.subject === subject,
  );
}

/** Subjects of `database` in the order of the results (raw drivers first). */
export function subjectsOf(all: readonly Summary[], database: Database): string[] {
  return [...new Set(all.filter((s) => s.database === database).map((s) => s.subject))];
}
