/** What the memory measurements keep in results.json. */
import type { MemorySample } from "../memory.js";

export interface SoakMemory {
  /** Length of the soak (tests/reliability/soak.test.ts under YARA_SOAK_MS). */
  durationMs: number;
  /** Largest resident set sampled (each second) over the whole run, bytes. */
  peakRss: number;
  /** Median RSS of the middle third and of the last third, bytes. */
  rss: [number, number];
  /** Median V8 heap used of the middle third and of the last third, bytes. */
  heap: [number, number];
}

export interface MemoryResults {
  /** bench/memory.ts: one 5 000-row fetch per subject and repetition. */
  fetch: MemorySample[];
  /** The 60 s soak's memory, when it ran. */
  soak: SoakMemory | null;
}
