/**
 * Editor completions inside `Model.filter({ | })` on a generated client of N models, measured
 * with TypeScript's editor server as an editor drives it (`ts.server.ProjectService`, what
 * tsserver runs, in this process): the app's tsconfig.json project, a completion request at the
 * cursor (cold: the first one), then one edit elsewhere in the open file and the same request
 * again (warm), repeated. Reports the timings, the entry count and the
 * head of the list, and where the first member of `Q` (`and`, `not`, `or`) ranks. Each request is
 * timed twice: wall clock, and the CPU time this process spent in it (user + system), which a
 * machine busy with other work inflates far less than the wall clock. The CPU time of a warm
 * request is also split in two, as an editor's server runs them: bringing the program up to
 * date after the edit (a new program and checker; the server keeps the files it read and their
 * module resolutions), then the completion itself (the filter type, the entry list).
 *
 *   npm run build                       # the app sees yara-orm as published (dist/*.d.ts)
 *   npx tsx bench/codegen/completions.ts --models 300 --edits 10 [--json]
 *
 * The fixture (bench/codegen/fixtures.ts) is written under bench/.data/completions/N.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import ts from "typescript";
import { formatProblem, generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";
import { BENCH_DIR } from "../runtime/spawn.js";
import { yaraSchema } from "./fixtures.js";

const ROOT = join(BENCH_DIR, "..");
/** Members a Q carries that no fixture model has as a filter key (`children` is a relation). */
const Q_MEMBERS = new Set(["and", "or", "not", "connector", "negated"]);

export interface CompletionResult {
  models: number;
  coldMs: number;
  warmMs: number[];
  /** CPU time (user + system) of the same requests. */
  coldCpuMs: number;
  warmCpuMs: number[];
  /** The part of each warm request's CPU time spent bringing the program up to date. */
  warmUpdateCpuMs: number[];
  entries: number;
  head: string[];
  /** 1-based rank of the first Q member in the list, or null when none is offered. */
  firstQMemberRank: number | null;
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} takes a positive integer`);
  return value;
}

/** The usage file: a filter whose braces hold the cursor, and a line the edits change. */
function usage(counter: number): { text: string; cursor: number } {
  const head = [
    'import { Entity003 } from "./yara/index.js";',
    "",
    `export const edited = ${counter};`,
    "export const rows = Entity003.filter({ ",
  ].join("\n");
  return { text: `${head} });\n`, cursor: head.length };
}

async function writeFixture(dir: string, models: number): Promise<void> {
  const published = join(ROOT, "dist/runtime/index.d.ts");
  if (!existsSync(published)) throw new Error("dist/ is missing: run `npm run build` first");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const schema = join(dir, "schema.ts");
  writeFileSync(schema, yaraSchema(models));
  const result = await generate(schema, join(dir, "yara"));
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  await writeFiles(join(dir, "yara"), result.files);
}

export async function measureCompletions(models: number, edits: number): Promise<CompletionResult> {
  const dir = join(BENCH_DIR, ".data/completions", String(models));
  await writeFixture(dir, models);
  // The project as an editor opens it: a tsconfig.json beside the app, read by TypeScript's own
  // editor server (ts.server.ProjectService, what tsserver runs), which keeps every file it has
  // read and its module resolutions between edits and brings the program up to date on a request.
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        skipLibCheck: true,
        noEmit: true,
        paths: {
          "yara-orm": [join(ROOT, "dist/runtime/index.d.ts")],
          "yara-orm/schema": [join(ROOT, "dist/schema/index.d.ts")],
        },
      },
      files: ["use.ts"],
    }),
  );
  const file = join(dir, "use.ts");
  let current = usage(0);
  writeFileSync(file, current.text);
  // Nothing but the open file changes during the run, so no file watching.
  const unwatched = () => ({ close() {} });
  const host: ts.server.ServerHost = {
    ...ts.sys,
    watchFile: unwatched,
    watchDirectory: unwatched,
    setTimeout,
    clearTimeout,
    setImmediate,
    clearImmediate,
  };
  const silent: ts.server.Logger = {
    close() {},
    hasLevel: () => false,
    loggingEnabled: () => false,
    perftrc() {},
    info() {},
    startGroup() {},
    endGroup() {},
    msg() {},
    getLogFileName: () => undefined,
  };
  const server = new ts.server.ProjectService({
    host,
    logger: silent,
    cancellationToken: ts.server.nullCancellationToken,
    useSingleInferredProject: false,
    useInferredProjectPerProjectRoot: false,
    typingsInstaller: ts.server.nullTypingsInstaller,
    session: undefined,
  });
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const spent = process.cpuUsage(since);
    return (spent.user + spent.system) / 1_000;
  };
  // Opening the file loads the project: part of the cold request, as before the first answer.
  const openCpu = process.cpuUsage();
  const openStart = performance.now();
  server.openClientFile(file, current.text, ts.ScriptKind.TS, dir);
  const open = { ms: performance.now() - openStart, cpuMs: cpuMs(openCpu) };
  const script = server.getScriptInfo(file);
  const project = server.getDefaultProjectForFile(ts.server.toNormalizedPath(file), true);
  if (!script || project?.projectKind !== ts.server.ProjectKind.Configured) {
    throw new Error(`${file} did not open in the project of ${join(dir, "tsconfig.json")}`);
  }
  const request = () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    // What the server does on the first request after an edit: the program brought up to date.
    const service = project.getLanguageService();
    service.getProgram();
    const updateCpuMs = cpuMs(cpu);
    const list = service.getCompletionsAtPosition(file, current.cursor, {});
    return { ms: performance.now() - start, cpuMs: cpuMs(cpu), updateCpuMs, list };
  };
  const cold = request();
  const warmMs: number[] = [];
  const warmCpuMs: number[] = [];
  const warmUpdateCpuMs: number[] = [];
  let last = cold.list;
  for (let n = 1; n <= edits; n++) {
    // One edit elsewhere in the file, as typing does: the counter replaced in place.
    const before = current.text;
    current = usage(n);
    const at = before.indexOf("edited = ") + "edited = ".length;
    script.editContent(at, before.indexOf(";", at), String(n));
    const snapshot = script.getSnapshot();
    if (snapshot.getText(0, snapshot.getLength()) !== current.text)
      throw new Error("the edit went astray");
    const warm = request();
    warmMs.push(warm.ms);
    warmCpuMs.push(warm.cpuMs);
    warmUpdateCpuMs.push(warm.updateCpuMs);
    last = warm.list;
  }
  server.closeClientFile(file);
  if (!last) throw new Error("no completions inside filter({ })");
  const names = last.entries.map((e) => e.name);
  const rank = names.findIndex((name) => Q_MEMBERS.has(name));
  return {
    models,
    coldMs: open.ms + cold.ms,
    warmMs,
    coldCpuMs: open.cpuMs + cold.cpuMs,
    warmCpuMs,
    warmUpdateCpuMs,
    entries: names.length,
    head: names.slice(0, 12),
    firstQMemberRank: rank < 0 ? null : rank + 1,
  };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  const result = await measureCompletions(
    option(argv, "--models", 300),
    option(argv, "--edits", 10),
  );
  if (argv.includes("--json")) {
    console.log(JSON.stringify(result));
  } else {
    const spread = (xs: readonly number[]) =>
      `median ${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))} ms)`;
    console.log(
      `${result.models} models: filter({ | }) completions cold ${Math.round(result.coldMs)} ms ` +
        `(CPU ${Math.round(result.coldCpuMs)} ms), warm ${spread(result.warmMs)}, ` +
        `CPU ${spread(result.warmCpuMs)} (program update ${Math.round(median(result.warmUpdateCpuMs))} ms, ` +
        `completion ${Math.round(median(result.warmCpuMs.map((ms, i) => ms - result.warmUpdateCpuMs[i]!)))} ms), ` +
        `${result.warmMs.length} edits, ` +
        `${result.entries} entries; first Q member at ${result.firstQMemberRank ?? "none"}`,
    );
    console.log(`  head: ${result.head.join(", ")}`);
  }
}
