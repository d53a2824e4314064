/**
 * One bench workload's lookups in one process, for callgrind: the subject opens exactly as in the
 * bench (peers/), runs `--warm` lookups of `pk-sequential` (V8 optimizes by calls), then prints
 * `RP-ON <pid>`, pauses, runs `--lookups` more, prints `RP-OFF <pid>` and pauses again, so a
 * watcher can count the instructions of the steady state alone (bench/read-path-callgrind.sh);
 * `--windows` times (default 3: a rare deopt or a scavenge in one window shows as an outlier).
 *
 *   node --import tsx read-path.ts --subject "yara (native)" | "yara (better-sqlite3)" | better-sqlite3
 *
 * The seeded database (`.data/bench.db`) must exist: run the bench on sqlite once first.
 */
import { openSubject } from "./runtime/open-subject.js";
import { spreadBookId } from "./runtime/data.js";
import type { Subject } from "./runtime/targets.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const name = option("--subject", "yara (native)");
const warm = Number(option("--warm", "60000"));
const lookups = Number(option("--lookups", "4000"));
const windows = Number(option("--windows", "3"));
const subject: Subject =
  name === "better-sqlite3"
    ? { library: "raw", driver: "better-sqlite3", database: "sqlite" }
    : {
        library: "yara",
        driver: name.includes("native") ? "native" : "better-sqlite3",
        database: "sqlite",
      };

const lib = await openSubject(subject);
let i = 0;
for (; i < warm; i++) await lib.bookByPk(spreadBookId(i));
const pause = () => new Promise((resolve) => setTimeout(resolve, 3000));
for (let w = 0; w < windows; w++) {
  console.log(`RP-ON ${process.pid}`);
  await pause();
  for (const end = i + lookups; i < end; i++) await lib.bookByPk(spreadBookId(i));
  console.log(`RP-OFF ${process.pid}`);
  await pause();
}
await lib.close();
