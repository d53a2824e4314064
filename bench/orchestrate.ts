/**
 * `npm run bench [-- --quick]`: prepares the clients and databases, checks every library's
 * output against the raw driver of its database, times every (library, driver, database,
 * workload) in its own child process — interleaved across libraries within each repetition,
 * the order rotated between repetitions — measures the generator and type-check cost, and
 * writes results.json, RESULTS.md and chart.svg (quick runs write under .data/quick instead).
 *
 * Options: --quick, --reps N, --duration MS, --workloads a,b, --skip-codegen, --skip-runtime,
 * --skip-replicas (no primary + replica run), --skip-memory (no bytes-per-row fetch and no 60 s
 * soak; neither runs in a partial run), --subjects a,b (only these subjects by name, e.g.
 * `yara (native)@sqlite,prisma (pg)`; the raw driver of each database they use is kept as the
 * baseline; the results go under .data/partial), --databases a,b (only the subjects of these
 * databases: postgres, mariadb, sqlite; combines with --subjects; the results go under
 * .data/partial; the PgBouncer and replica runs only when postgres is among them), and
 * --report (only render RESULTS.md and chart.svg again from the results.json already written).
 */
import { execSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import * as prettier from "prettier";
import {
  installCompiledCli,
  measureCodegen,
  measureMigrations,
  measurePgBouncer,
  tscVersion,
} from "./codegen/measure.js";
import { measureCompletionsInChild } from "./codegen/completions-measure.js";
import { renderChart } from "./report/chart.js";
import { codegenGoals, memoryGoals } from "./report/goals.js";
import { renderMarkdown } from "./report/markdown.js";
import { firstDifference } from "./runtime/canonical.js";
import { childEnv, prepareRuntime } from "./runtime/prepare.js";
import { measureFetchMemory, measureSoak } from "./runtime/memory-measure.js";
import { measureReplicas, replicaSummary } from "./runtime/replicas-measure.js";
import type { CheckReply } from "./runtime/protocol.js";
import type {
  BenchResults,
  Machine,
  PgBouncerTimings,
  RuntimeCell,
  SubjectStatus,
} from "./runtime/results.js";
import { BENCH_DIR, runChild } from "./runtime/spawn.js";
import {
  DATABASES,
  SUBJECTS,
  baselineOf,
  sameSubject,
  subjectName,
  type Database,
  type Subject,
} from "./runtime/targets.js";
import { WORKLOADS, workloadNamed, type Workload } from "./runtime/workloads.js";

interface Options {
  quick: boolean;
  reps: number;
  warmupMs: number;
  durationMs: number;
  workloads: readonly Workload[];
  /** The subjects checked and timed (every one unless --subjects narrows them). */
  subjects: readonly Subject[];
  /** Whether --subjects or --databases narrowed them (the results then go under .data/partial). */
  partial: boolean;
  codegen: boolean;
  runtime: boolean;
  /** bench/replicas.ts: a primary and a streaming replica against the primary alone. */
  replicas: boolean;
  /** bench/memory.ts and the 60 s soak (full runs only; --quick runs the fetch once, no soak). */
  memory: boolean;
  reportOnly: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes("--quick");
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = [
    "--quick",
    "--reps",
    "--duration",
    "--workloads",
    "--skip-codegen",
    "--skip-runtime",
    "--skip-replicas",
    "--skip-memory",
    "--subjects",
    "--databases",
    "--report",
  ];
  for (const arg of argv) {
    if (arg.startsWith("--") && !known.includes(arg)) {
      throw new Error(`unknown option ${arg}; known: ${known.join(" ")}`);
    }
  }
  const only = value("--workloads");
  const named = value("--subjects");
  const databases = value("--databases");
  let subjects = named ? subjectsNamed(named.split(",")) : SUBJECTS;
  if (databases) {
    const chosen = databasesNamed(databases.split(","));
    subjects = subjects.filter((s) => chosen.includes(s.database));
  }
  return {
    quick,
    reps: Number(value("--reps") ?? (quick ? 1 : 5)),
    warmupMs: quick ? 100 : 250,
    durationMs: Number(value("--duration") ?? (quick ? 150 : 600)),
    workloads: only ? only.split(",").map(workloadNamed) : WORKLOADS,
    subjects,
    partial: named !== undefined || databases !== undefined,
    codegen: !argv.includes("--skip-codegen"),
    runtime: !argv.includes("--skip-runtime"),
    replicas:
      !argv.includes("--skip-runtime") &&
      !argv.includes("--skip-replicas") &&
      subjects.some((s) => s.database === "postgres"),
    memory:
      !argv.includes("--skip-runtime") &&
      !argv.includes("--skip-memory") &&
      named === undefined &&
      databases === undefined &&
      subjects.some((s) => s.database === "postgres"),
    reportOnly: argv.includes("--report"),
  };
}

/**
 * The subjects of `names` (a name alone, or `name@database` for one database: `yara
 * (native)@sqlite`) plus the raw baseline of each database they use, in SUBJECTS order.
 */
function subjectsNamed(names: readonly string[]): Subject[] {
  const known = SUBJECTS.flatMap((s) => [subjectName(s), `${subjectName(s)}@${s.database}`]);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown subject(s) ${unknown.join(", ")}; known: ${known.join(", ")}`);
  }
  const chosen = SUBJECTS.filter(
    (s) => names.includes(subjectName(s)) || names.includes(`${subjectName(s)}@${s.database}`),
  );
  const databases = new Set(chosen.map((s) => s.database));
  return SUBJECTS.filter(
    (s) =>
      chosen.includes(s) || (databases.has(s.database) && sameSubject(s, baselineOf(s.database))),
  );
}

function databasesNamed(names: readonly string[]): Database[] {
  const unknown = names.filter((n) => !(DATABASES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown database(s) ${unknown.join(", ")}; known: ${DATABASES.join(", ")}`);
  }
  return names as Database[];
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function machine(loadBefore: number[]): Machine {
  const cpu = cpus();
  return {
    cpus: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadBefore,
    loadAfter: loadavg(),
  };
}

function versions(): Record<string, string> {
  const read = (path: string) =>
    (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  const out: Record<string, string> = {};
  let commit = "unknown";
  try {
    commit = execSync("git rev-parse --short HEAD", { cwd: BENCH_DIR, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout: the version alone
  }
  out["yara-orm"] = `${read(join(BENCH_DIR, "../package.json"))} (${commit}, working tree)`;
  for (const name of [
    "pg",
    "postgres",
    "mysql2",
    "better-sqlite3",
    "drizzle-orm",
    "kysely",
    "prisma",
    "@prisma/client",
    "@prisma/adapter-pg",
    "@prisma/adapter-better-sqlite3",
  ]) {
    out[name] = read(join(BENCH_DIR, "node_modules", name, "package.json"));
  }
  try {
    out.postgres_server = execSync("psql --version", { encoding: "utf8" }).trim();
  } catch {
    out.postgres_server = "unknown";
  }
  try {
    out.mariadb_server = execSync("mariadbd --version", { encoding: "utf8" }).trim();
  } catch {
    out.mariadb_server = "unknown";
  }
  return out;
}

/**
 * The check child of every subject, in SUBJECTS order. Checks are not timed, so the
 * databases are checked side by side; within one database they run one at a time, since a
 * check's writes would otherwise show up in another library's reads.
 */
async function checkSubjects(chosen: readonly Subject[]): Promise<SubjectStatus[]> {
  const replies = new Array<Promise<CheckReply | Error>>(chosen.length);
  const checkDatabase = async (database: Database) => {
    for (const [k, subject] of chosen.entries()) {
      if (subject.database !== database) continue;
      replies[k] = runChild({ kind: "check", subject }, childEnv()).catch(
        (error: unknown) => error as Error,
      );
      await replies[k];
    }
  };
  await Promise.all(DATABASES.map(checkDatabase));
  const baselines = new Map<string, Record<string, string>>();
  const statuses: SubjectStatus[] = [];
  for (const [k, subject] of chosen.entries()) {
    const reply = await replies[k]!;
    if (!(reply instanceof Error) && sameSubject(subject, baselineOf(subject.database))) {
      baselines.set(subject.database, reply.samples);
    }
  }
  for (const [k, subject] of chosen.entries()) {
    const name = subjectName(subject);
    const reply = await replies[k]!;
    if (reply instanceof Error) {
      const notBuilt = subject.driver === "native" && /not available|not built/.test(reply.message);
      const status = notBuilt ? "not built" : `failed: ${reply.message}`;
      statuses.push({ subject, name, status, mismatches: {} });
      log(`check ${name} (${subject.database}): ${status}`);
      continue;
    }
    const expected = baselines.get(subject.database) ?? {};
    const status: SubjectStatus = { subject, name, status: "ok", mismatches: {} };
    for (const [workload, output] of Object.entries(reply.samples)) {
      const want = expected[workload];
      if (want === undefined) status.mismatches[workload] = "the raw driver produced no output";
      else if (want !== output) status.mismatches[workload] = firstDifference(want, output);
    }
    statuses.push(status);
    const differs = Object.keys(status.mismatches);
    log(
      `check ${name} (${subject.database}): ${differs.length === 0 ? "same output as the raw driver" : `differs on ${differs.join(", ")}`}`,
    );
  }
  return statuses;
}

/** Every timed child, libraries interleaved per workload, the order rotated each repetition. */
async function timeSubjects(
  options: Options,
  subjects: readonly Subject[],
): Promise<RuntimeCell[]> {
  const cells = new Map<string, RuntimeCell>();
  const total = options.reps * options.workloads.length * subjects.length;
  let done = 0;
  for (let rep = 0; rep < options.reps; rep++) {
    for (const workload of options.workloads) {
      for (const database of DATABASES) {
        const group = subjects.filter((s) => s.database === database);
        const order = group.map((_, k) => group[(k + rep) % group.length]!);
        for (const subject of order) {
          const name = subjectName(subject);
          const key = `${workload.id}|${database}|${name}`;
          let cell = cells.get(key);
          if (!cell) {
            cell = { workload: workload.id, database, subject: name, samples: [], failures: [] };
            cells.set(key, cell);
          }
          try {
            const reply = await runChild(
              {
                kind: "measure",
                subject,
                workload: workload.id,
                warmupMs: options.warmupMs,
                durationMs: options.durationMs,
              },
              childEnv(),
            );
            const units = reply.runs * workload.perRun;
            cell.samples.push({
              unitsPerSec: (units / reply.elapsedMs) * 1_000,
              jsUsPerUnit: (reply.jsActiveMs * 1_000) / units,
              cpuUsPerUnit: (reply.cpuMs * 1_000) / units,
            });
          } catch (error) {
            cell.failures.push((error as Error).message);
            log(`  ${workload.id} ${name}: failed: ${(error as Error).message}`);
          }
          done++;
          if (done % 20 === 0) log(`  ${done}/${total} measurements`);
        }
      }
    }
  }
  return [...cells.values()];
}

/** Writes `text` formatted by the repository's prettier, so the committed files pass `npm run lint`. */
async function writeFormatted(path: string, text: string): Promise<void> {
  const config = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(path, await prettier.format(text, { ...config, filepath: path }));
}

function readPrevious(path: string): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as BenchResults;
  } catch {
    return undefined;
  }
}

async function writeReport(outDir: string, results: BenchResults): Promise<void> {
  await writeFormatted(join(outDir, "RESULTS.md"), renderMarkdown(results));
  writeFileSync(join(outDir, "chart.svg"), renderChart(results));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const outDir = options.quick
    ? join(BENCH_DIR, ".data/quick")
    : options.partial
      ? join(BENCH_DIR, ".data/partial")
      : BENCH_DIR;
  if (options.reportOnly) {
    const results = JSON.parse(readFileSync(join(outDir, "results.json"), "utf8")) as BenchResults;
    await writeReport(outDir, results);
    log(`rendered ${join(outDir, "RESULTS.md")} and chart.svg from results.json`);
    return;
  }
  const startedAt = new Date();
  const loadBefore = loadavg();
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  log(
    `yara bench (${options.quick ? "quick" : "full"}): ${options.reps} repetition(s), ${options.durationMs} ms per measurement`,
  );
  let subjects: SubjectStatus[] = [];
  let runtime: RuntimeCell[] = [];
  let pgbouncer: PgBouncerTimings | null = null;
  if (options.runtime) {
    log("preparing: yara client, Prisma clients, seeded databases");
    await prepareRuntime(new Set(options.subjects.map((s) => s.database)));
    subjects = await checkSubjects(options.subjects);
    const timed = subjects.filter((s) => s.status === "ok").map((s) => s.subject);
    runtime = await timeSubjects(options, timed);
    if (options.subjects.some((s) => s.database === "postgres")) {
      log(
        "PgBouncer: point query through PgBouncer (transaction mode) and direct, both Postgres drivers",
      );
      pgbouncer = measurePgBouncer(options.reps, options.quick ? 500 : 1500);
    }
  }
  let replicas: BenchResults["replicas"] = null;
  if (options.replicas) {
    log("read replicas: primary alone against primary + streaming replica (bench/replicas.ts)");
    replicas = measureReplicas(options.quick ? 1 : 3, options.quick ? 500 : 2_000);
    for (const line of replicaSummary(replicas)) log(`  ${line}`);
  }
  let memory: BenchResults["memory"] = null;
  if (options.memory) {
    log("memory: bytes per row of a 5 000-row fetch (bench/memory.ts)");
    const fetch = measureFetchMemory(options.quick ? 1 : 3);
    let soak = null;
    if (!options.quick) {
      log("memory: the 60 s soak (tests/reliability/soak.test.ts)");
      soak = measureSoak(60_000);
    }
    memory = { fetch, soak };
    for (const goal of memoryGoals(memory)) log(`  ${goal.goal}: ${goal.measured}`);
  }
  let codegen: BenchResults["codegen"] = null;
  let codegenFrom: string | undefined;
  if (options.codegen) {
    log("generator and type-check (npm run build: yara-gen runs compiled)");
    installCompiledCli();
    const sizes = await measureCodegen({
      sizes: options.quick ? [10] : [10, 100, 300],
      repetitions: options.quick ? 1 : 3,
      watchEdits: options.quick ? 2 : 4,
      log,
    });
    log("migrations: make, status, apply (300 models, 100 migrations)");
    const migrations = measureMigrations(options.quick ? 1 : 3);
    log(
      `  make empty ${migrations.makeEmptyMs.map(Math.round).join(", ")} ms, up to date ${migrations.makeUpToDateMs.map(Math.round).join(", ")} ms, ` +
        `status ${migrations.status100Ms.map(Math.round).join(", ")} ms, apply 100 ${migrations.apply100Ms.map(Math.round).join(", ")} ms`,
    );
    const models = options.quick ? 10 : 300;
    log(`editor completions in filter({ | }): ${models} models (bench/codegen/completions.ts)`);
    const completions = measureCompletionsInChild(models, options.quick ? 2 : 10);
    codegen = { tsc: tscVersion(), sizes, migrations, completions };
    for (const goal of codegenGoals(codegen)) {
      log(`  ${goal.met === true ? "met:    " : "NOT met:"} ${goal.goal}: ${goal.measured}`);
    }
  }
  if (codegen === null && !options.quick && !options.partial) {
    // A full runtime run without --skip-codegen's measurements keeps the last ones, dated.
    const previous = readPrevious(join(outDir, "results.json"));
    if (previous?.codegen) {
      codegen = previous.codegen;
      codegenFrom = previous.codegenFrom ?? previous.startedAt;
      log(`generator and type-check: kept from the run of ${codegenFrom} (--skip-codegen)`);
    }
  }
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: options.quick ? "quick" : "full",
    command,
    machine: machine(loadBefore),
    versions: versions(),
    repetitions: options.reps,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    subjects,
    runtime,
    pgbouncer,
    codegen,
    replicas,
    memory,
    ...(codegenFrom ? { codegenFrom } : {}),
  };
  mkdirSync(outDir, { recursive: true });
  await writeFormatted(join(outDir, "results.json"), JSON.stringify(results, null, 2));
  await writeReport(outDir, results);
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  log(
    `wrote ${join(outDir, "RESULTS.md")}, results.json and chart.svg in ${minutes.toFixed(1)} min`,
  );
}

await main();
