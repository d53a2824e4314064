/**
 * The CPU time per unit (row, query or operation) of one bench workload for one subject, in one
 * process: the main thread's time on a CPU (Linux' schedstat, where the JavaScript and the
 * driver's decoding run) and the whole process's (user + system), over windows of `--runs`
 * runs each after `--warm` warm-up runs (V8 optimizes by calls). CPU time, unlike throughput,
 * leaves out the database server and is little disturbed by a loaded machine.
 *
 *   node --import tsx workload-cpu.ts --subject "yara (mysql2)" --workload fetch-5000-rows
 *     [--database mariadb] [--warm 200] [--runs 100] [--windows 3] [--marks]
 *
 * Subjects by their bench names: "mysql2", "yara (mysql2)", "kysely (mysql2)", "pg", … The
 * database must be seeded (any bench run on it); write workloads delete their rows before and
 * after. With `--marks`, each window is bracketed by lines `WP-ON <pid>` / `WP-OFF <pid>` with a
 * pause at each, so a watcher can count the instructions of the steady state alone
 * (workload-cpu-callgrind.sh).
 */
import { readFileSync } from "node:fs";
import { openSubject } from "./runtime/open-subject.js";
import { resetWrites } from "./runtime/reset.js";
import { SUBJECTS, subjectName, type Database } from "./runtime/targets.js";
import { workloadNamed } from "./runtime/workloads.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const database = option("--database", "mariadb") as Database;
const name = option("--subject", "yara (mysql2)");
const workload = workloadNamed(option("--workload", "fetch-5000-rows"));
const warm = Number(option("--warm", "200"));
const runs = Number(option("--runs", "100"));
const windows = Number(option("--windows", "3"));
const marks = process.argv.includes("--marks");

const subject = SUBJECTS.find((s) => s.database === database && subjectName(s) === name);
if (subject === undefined) {
  const known = SUBJECTS.filter((s) => s.database === database).map(subjectName);
  throw new Error(`no subject "${name}" on ${database}; known: ${known.join(", ")}`);
}

/** The main thread's time on a CPU so far, in microseconds (Linux). */
function mainThread(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8");
  return Number(stat.split(" ")[0]) / 1000;
}

function processCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const pause = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2000));
const fmt = (us: number): string => (us < 10 ? us.toFixed(3) : us.toFixed(1));

if (workload.writes) await resetWrites(database);
const lib = await openSubject(subject);
try {
  let i = 0;
  for (; i < warm; i++) await workload.run(lib, i);
  const units = runs * workload.perRun;
  const unit = { queries: "query", rows: "row", ops: "op" }[workload.unit];
  for (let w = 0; w < windows; w++) {
    if (marks) {
      console.log(`WP-ON ${process.pid}`);
      await pause();
    }
    const thread0 = mainThread();
    const process0 = processCpu();
    const wall0 = performance.now();
    for (const end = i + runs; i < end; i++) await workload.run(lib, i);
    const thread = (mainThread() - thread0) / units;
    const proc = (processCpu() - process0) / units;
    const wall = ((performance.now() - wall0) * 1000) / units;
    if (marks) {
      console.log(`WP-OFF ${process.pid}`);
      await pause();
    }
    console.log(
      `${name} ${workload.id}: main thread ${fmt(thread)} µs, process ${fmt(proc)} µs, ` +
        `wall ${fmt(wall)} µs per ${unit}`,
    );
  }
} finally {
  await lib.close();
  if (workload.writes) await resetWrites(database);
}
