/** What the generator and type-check measurements record, per schema size. */
import type { CompletionResult } from "./completions.js";

export interface OutputSize {
  files: number;
  lines: number;
  bytes: number;
}

/** One `tsc --noEmit --extendedDiagnostics` of a usage file. */
export interface TypeCheck {
  wallMs: number;
  totalMs: number;
  checkMs: number;
  /**
   * CPU time (user + system) of the tsc process, which a loaded machine inflates far less than
   * tsc's wall-clock "Total time" (absent from results measured before it was recorded).
   */
  cpuMs?: number;
  instantiations: number;
  /** tsc's "Types" count (absent from results measured before it was recorded). */
  types?: number;
  memoryKB: number;
  /** Type errors tsc reported (a usage file must check clean for its time to count). */
  errors: string[];
}

export interface CodegenSize {
  models: number;
  /** Wall time of the compiled CLI, fresh process, empty output directory. */
  yaraGenColdMs: number[];
  /** CPU time (user + system) of the same runs; absent in results written before it was measured. */
  yaraGenColdCpuMs?: number[];
  /** From the schema edit to the `regenerated` line of `yara-gen --watch` (20 ms debounce included). */
  yaraWatchMs: number[];
  yaraOutput: OutputSize;
  prismaGenerateMs: number[];
  prismaOutput: OutputSize;
  /** The hand-written Drizzle schema of the same tables (Drizzle generates nothing). */
  drizzleSchema: OutputSize;
  typeCheck: { yara: TypeCheck; prisma: TypeCheck; drizzle: TypeCheck };
}

/** `bench/migrations.ts` on the 300-model schema, one sample per repetition. */
export interface MigrationTimings {
  /** `migrations make` from an empty folder: writes the 300-model 0001_initial. */
  makeEmptyMs: number[];
  /** `migrations make` again, the folder up to date ("no changes"). */
  makeUpToDateMs: number[];
  /** `status` with 100 applied migrations (Postgres). */
  status100Ms: number[];
  /** 100 small migrations applied to an empty Postgres schema. */
  apply100Ms: number[];
}

export interface CodegenResults {
  tsc: string;
  sizes: CodegenSize[];
  /** Absent in results written before the migrations were measured. */
  migrations?: MigrationTimings;
  /** Editor completions in `filter({ | })` at 300 models; absent before they were measured. */
  completions?: CompletionResult;
}
