/**
 * One measurement in its own process: `tsx runtime/child.ts '<json request>'`. Opens one
 * library, then either prints the canonical sample outputs of every workload (`check`) or warms
 * up and times one workload (`measure`), printing one JSON line. JS-thread CPU is the event
 * loop's active time (performance.eventLoopUtilization) over the timed window.
 */
import { performance } from "node:perf_hooks";
import { canonical } from "./canonical.js";
import { openSubject } from "./open-subject.js";
import { resetWrites } from "./reset.js";
import type { Subject } from "./targets.js";
import { REPLY_PREFIX, type CheckReply, type ChildRequest, type MeasureReply } from "./protocol.js";
import { WORKLOADS, workloadNamed } from "./workloads.js";

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

async function measure(request: Extract<ChildRequest, { kind: "measure" }>): Promise<MeasureReply> {
  const workload = workloadNamed(request.workload);
  if (workload.writes) await resetWrites(request.subject.database);
  const lib = await openSubject(request.subject);
  let i = 0;
  try {
    const warmStart = performance.now();
    const warmEnd = warmStart + request.warmupMs;
    const warmCap = warmStart + WARM_CAP_FACTOR * request.warmupMs;
    for (let n = 0; ; n++) {
      const now = performance.now();
      if (n >= 3 && now >= warmEnd && (n >= WARM_RUNS || now >= warmCap)) break;
      await workload.run(lib, i++);
    }
    const elu = performance.eventLoopUtilization();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const end = start + request.durationMs;
    let runs = 0;
    do {
      await workload.run(lib, i++);
      runs++;
    } while (runs < 3 || performance.now() < end);
    const elapsedMs = performance.now() - start;
    const active = performance.eventLoopUtilization(elu);
    const used = process.cpuUsage(cpu);
    return {
      kind: "measure",
      runs,
      elapsedMs,
      jsActiveMs: active.active,
      cpuMs: (used.user + used.system) / 1_000,
    };
  } finally {
    await lib.close();
    if (workload.writes) await resetWrites(request.subject.database);
  }
}

const request = JSON.parse(process.argv[2] ?? "null") as ChildRequest | null;
if (request === null) throw new Error("usage: child.ts '<json request>'");
const reply = request.kind === "check" ? await check(request.subject) : await measure(request);
process.stdout.write(`${REPLY_PREFIX}${JSON.stringify(reply)}\n`);
