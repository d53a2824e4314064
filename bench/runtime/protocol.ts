/**
 * What the orchestrator sends a child process and what it prints back. A `check` child gets its
 * request as its one argument and prints one reply. A `serve` child (one library, one workload)
 * opens the library, prints that it is ready, then takes commands on stdin, one JSON line each,
 * and answers each with one reply line: warm up, time a window, close.
 */
import type { Subject } from "./targets.js";

export type ChildRequest =
  { kind: "check"; subject: Subject } | { kind: "serve"; subject: Subject; workload: string };

export type ServeCommand =
  { kind: "warm"; warmupMs: number } | { kind: "window"; durationMs: number } | { kind: "close" };

export interface CheckReply {
  kind: "check";
  samples: Record<string, string>;
}

export interface ReadyReply {
  kind: "ready";
}

export interface WarmReply {
  kind: "warm";
  runs: number;
}

/** One timed window. */
export interface WindowReply {
  kind: "window";
  runs: number;
  elapsedMs: number;
  /** Event-loop active milliseconds over the window. */
  jsActiveMs: number;
  /** Process CPU (every thread) over the window. */
  cpuMs: number;
}

export interface ClosedReply {
  kind: "closed";
}

export type ServeReply = ReadyReply | WarmReply | WindowReply | ClosedReply;

/** Marks the reply line among anything a library logs. */
export const REPLY_PREFIX = "@@bench-reply ";
