/**
 * One library in its own process: `node child.mjs '<json request>'` (bundled by prepare.ts).
 * `check` prints the canonical sample outputs of every workload. `serve` opens the library for
 * one workload and runs the orchestrator's commands from stdin until `close`: a warm-up, then
 * timed windows, which the orchestrator interleaves with the other libraries' windows of the
 * same workload. JS-thread CPU is the event loop's active time
 * (performance.eventLoopUtilization) over a window.
 */
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { canonical } from "./canonical.js";
import { openSubject } from "./open-subject.js";
import { resetWrites } from "./reset.js";
import type { Subject } from "./targets.js";
import {
  REPLY_PREFIX,
  type CheckReply,
  type ChildRequest,
  type ServeCommand,
  type ServeReply,
  type WarmReply,
  type WindowReply,
} from "./protocol.js";
import { WORKLOADS, workloadNamed, type Workload } from "./workloads.js";
import type { BenchLibrary } from "./rows.js";

/**
 * The warm-up lasts `warmupMs` and at least WARM_RUNS runs (up to WARM_CAP_FACTOR × `warmupMs`):
 * V8 optimizes a function after enough calls, not enough time, so a library with more code on the
 * path of a slow workload (a write: tens of µs of file I/O per run) was still being compiled in
 * its timed window after 250 ms (yara's insert-one: 66 µs of CPU per insert after 300 warm-up
 * runs, 38 after 2 000, 31 after 10 000; raw better-sqlite3 25 in all three).
 */
const WARM_RUNS = 5_000;
const WARM_CAP_FACTOR = 8;

async function check(subject: Subject): Promise<CheckReply> {
  await resetWrites(subject.database);
  const lib = await openSubject(subject);
  const samples: Record<string, string> = {};
  try {
    for (const workload of WORKLOADS) samples[workload.id] = canonical(await workload.sample(lib));
  } finally {
    await lib.close();
    await resetWrites(subject.database);
  }
  return { kind: "check", samples };
}

/** One library serving one workload; `next` numbers the runs across warm-up and windows. */
class Served {
  #next = 0;

  constructor(
    private readonly lib: BenchLibrary,
    private readonly workload: Workload,
  ) {}

  async warm(warmupMs: number): Promise<WarmReply> {
    const start = performance.now();
    const end = start + warmupMs;
    const cap = start + WARM_CAP_FACTOR * warmupMs;
    let n = 0;
    for (; ; n++) {
      const now = performance.now();
      if (n >= 3 && now >= end && (n >= WARM_RUNS || now >= cap)) break;
      await this.workload.run(this.lib, this.#next++);
    }
    return { kind: "warm", runs: n };
  }

  async window(durationMs: number): Promise<WindowReply> {
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const end = start + durationMs;
    let runs = 0;
    do {
      await this.workload.run(this.lib, this.#next++);
      runs++;
    } while (runs < 3 || performance.now() < end);
    const elapsedMs = performance.now() - start;
    const active = performance.eventLoopUtilization(elu);
    const used = process.cpuUsage(cpu);
    return {
      kind: "window",
      runs,
      elapsedMs,
      jsActiveMs: active.active,
      cpuMs: (used.user + used.system) / 1_000,
    };
  }
}

function reply(message: CheckReply | ServeReply): void {
  process.stdout.write(`${REPLY_PREFIX}${JSON.stringify(message)}\n`);
}

async function serve(request: Extract<ChildRequest, { kind: "serve" }>): Promise<void> {
  const lib = await openSubject(request.subject);
  try {
    const served = new Served(lib, workloadNamed(request.workload));
    reply({ kind: "ready" });
    for await (const line of createInterface({ input: process.stdin })) {
      const command = JSON.parse(line) as ServeCommand;
      if (command.kind === "close") break;
      reply(
        command.kind === "warm"
          ? await served.warm(command.warmupMs)
          : await served.window(command.durationMs),
      );
    }
  } finally {
    process.stdin.destroy();
    await lib.close();
  }
  reply({ kind: "closed" });
}

const request = JSON.parse(process.argv[2] ?? "null") as ChildRequest | null;
if (request === null) throw new Error("usage: child.ts '<json request>'");
if (request.kind === "check") reply(await check(request.subject));
else await serve(request);
