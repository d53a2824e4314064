/** What the orchestrator sends a child process (as its one argument) and what it prints back. */
import type { Subject } from "./targets.js";

export type ChildRequest =
  | { kind: "check"; subject: Subject }
  | { kind: "measure"; subject: Subject; workload: string; warmupMs: number; durationMs: number };

export interface CheckReply {
  kind: "check";
  samples: Record<string, string>;
}

export interface MeasureReply {
  kind: "measure";
  runs: number;
  elapsedMs: number;
  /** Event-loop active milliseconds over the timed window. */
  jsActiveMs: number;
  /** Process CPU (every thread) over the timed window. */
  cpuMs: number;
}

/** Marks the reply line among anything a library logs. */
export const REPLY_PREFIX = "@@bench-reply ";
