/** The raw results file the orchestrator writes and the report reads (bench/results.json). */
import type { MemoryResults } from "./memory-results.js";
import type { ReplicaTimings } from "./replicas-results.js";
import type { CodegenResults } from "../codegen/results.js";
import type { Database, Subject } from "./targets.js";
import type { WorkloadId } from "./workloads.js";

export interface Machine {
  cpus: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load averages when the run started and ended (other work on the machine). */
  loadBefore: number[];
  loadAfter: number[];
}

export interface SubjectStatus {
  subject: Subject;
  name: string;
  /** "ok", "not built", or why it was not timed. */
  status: string;
  /** Workloads whose output differs from the raw driver's (timed anyway, marked in the tables). */
  mismatches: Record<string, string>;
}

/** One timed child: throughput in units per second and JS-thread CPU per unit. */
export interface Sample {
  unitsPerSec: number;
  jsUsPerUnit: number;
  cpuUsPerUnit: number;
}

export interface RuntimeCell {
  workload: WorkloadId;
  database: Database;
  subject: string;
  samples: Sample[];
  failures: string[];
}

/** bench/pgbouncer.ts: point queries per second through PgBouncer and direct, per driver. */
export interface PgBouncerTimings {
  reps: number;
  durationMs: number;
  inFlight: number;
  /** By "native/direct", "native/pgbouncer", "pg/direct", "pg/pgbouncer": one value per repetition. */
  samples: Record<string, { sequentialQps: number[]; concurrentQps: number[] }>;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  mode: "full" | "quick";
  command: string;
  machine: Machine;
  versions: Record<string, string>;
  repetitions: number;
  warmupMs: number;
  durationMs: number;
  subjects: SubjectStatus[];
  runtime: RuntimeCell[];
  /** Absent in results written before bench/pgbouncer.ts existed. */
  pgbouncer?: PgBouncerTimings | null;
  codegen: CodegenResults | null;
  /**
   * When this run skipped the generator measurements (--skip-codegen) and kept those of the
   * results.json it replaced: when that earlier run started.
   */
  codegenFrom?: string;
  /** bench/replicas.ts: the primary alone against primary + streaming replica (absent: not run). */
  replicas?: ReplicaTimings | null;
  /** The memory figures (bench/memory.ts, the 60 s soak); absent: not run. */
  memory?: MemoryResults | null;
}
