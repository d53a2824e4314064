/**
 * bench/codegen/completions.ts in its own process from the repository root (it reads yara's
 * published declarations, dist/, which the codegen phase builds first).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { BENCH_DIR } from "../runtime/spawn.js";
import type { CompletionResult } from "./completions.js";

export function measureCompletionsInChild(models: number, edits: number): CompletionResult {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(BENCH_DIR, "codegen/completions.ts"),
      "--json",
      "--models",
      String(models),
      "--edits",
      String(edits),
    ],
    { cwd: join(BENCH_DIR, ".."), encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(`bench/codegen/completions.ts failed:\n${result.stderr || result.stdout}`);
  }
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as CompletionResult;
}
