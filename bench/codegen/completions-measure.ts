/**
 * bench/codegen/completions.ts in its own process from the repository root (it reads yara's
 * published declarations, dist/, which the codegen phase builds first).
 */
import { runJsonScript } from "../runtime/spawn.js";
import type { CompletionResult } from "./completions.js";

export function measureCompletionsInChild(models: number, edits: number): CompletionResult {
  return runJsonScript<CompletionResult>("codegen/completions.ts", [
    "--models",
    String(models),
    "--edits",
    String(edits),
  ]);
}
