/**
 * The memory figures, each in processes of its own: bench/memory.ts (bytes per row of a
 * 5 000-row fetch, raw `pg` objects beside yara's instances) and the reliability soak
 * (tests/reliability/soak.test.ts: 64 tasks per Postgres driver, pg and native side by side),
 * run for `durationMs` with its RSS and heap read off the line it prints.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { MemorySample } from "../memory.js";
import type { SoakMemory } from "./memory-results.js";
import { BENCH_DIR, runJsonScript } from "./spawn.js";

const ROOT = join(BENCH_DIR, "..");
const MB = 1_048_576;

export function measureFetchMemory(repetitions: number): MemorySample[] {
  return runJsonScript<MemorySample[]>("memory.ts", ["--reps", String(repetitions)], BENCH_DIR);
}

/** The soak's summary line: `soak memory (MB, …): rss A → B, heap C → D; peak rss E; …`. */
const SOAK_LINE = /soak memory \(MB[^)]*\): rss (\d+) → (\d+), heap (\d+) → (\d+); peak rss (\d+)/;

export function measureSoak(durationMs: number): SoakMemory {
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/vitest/vitest.mjs"),
      "run",
      "tests/reliability/soak.test.ts",
      "--reporter=verbose",
    ],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, YARA_SOAK_MS: String(durationMs) },
    },
  );
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`the soak failed:\n${output.slice(-4_000)}`);
  const match = SOAK_LINE.exec(output);
  if (match === null) throw new Error(`the soak printed no memory line:\n${output.slice(-4_000)}`);
  const [, rss1, rss2, heap1, heap2, peak] = match.map(Number) as number[];
  return {
    durationMs,
    peakRss: peak! * MB,
    rss: [rss1! * MB, rss2! * MB],
    heap: [heap1! * MB, heap2! * MB],
  };
}
