/**
 * Generator and type-check cost for schemas of N models: `yara-gen` cold (fresh process, empty
 * output directory), `yara-gen --watch` regeneration after one model changes, generated lines
 * and bytes, Prisma 7's `prisma generate`, and `tsc --noEmit --extendedDiagnostics` of a usage
 * file per library (the repo's TypeScript). Fixtures are written under bench/.data/codegen.
 * yara-gen runs as it is published: compiled (`npm run build`), from a copy of generator/dist
 * that resolves `yara-orm` to this checkout, not through tsx.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { prismaEnv } from "../runtime/prepare.js";
import type { PgBouncerTimings } from "../runtime/results.js";
import { BENCH_DIR, runJsonScript } from "../runtime/spawn.js";
import {
  drizzleSchema,
  drizzleUsage,
  editedModel,
  prismaSchema,
  prismaUsage,
  yaraSchema,
  yaraUsage,
} from "./fixtures.js";
import type { CodegenSize, MigrationTimings, OutputSize, TypeCheck } from "./results.js";

const ROOT = join(BENCH_DIR, "..");
/** The compiled CLI, copied where `yara-orm` resolves to this checkout (`installCompiledCli`). */
const INSTALLED = join(BENCH_DIR, ".data/yara-gen");
const YARA_GEN = join(INSTALLED, "dist/generator/cli.js");
const CPU_REPORT = join(BENCH_DIR, "codegen/cpu-report.mjs");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const PRISMA = join(BENCH_DIR, "node_modules/prisma/build/index.js");

export function tscVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "node_modules/typescript/package.json"), "utf8"));
  return `typescript ${pkg.version as string} (the repo's tsc, JavaScript compiler)`;
}

/**
 * Builds both packages and lays the compiled yara-gen out as an app's node_modules would hold
 * it: generator/dist beside a `node_modules/yara-orm` that is this checkout (its dist/ built).
 */
export function installCompiledCli(): void {
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr || build.stdout}`);
  rmSync(INSTALLED, { recursive: true, force: true });
  mkdirSync(join(INSTALLED, "node_modules"), { recursive: true });
  cpSync(join(ROOT, "generator/dist"), join(INSTALLED, "dist"), { recursive: true });
  cpSync(join(ROOT, "generator/package.json"), join(INSTALLED, "package.json"));
  symlinkSync(ROOT, join(INSTALLED, "node_modules/yara-orm"), "dir");
}

function timed(command: string, args: readonly string[], cwd: string, env = process.env): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  const ms = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${args.join(" ")} failed in ${cwd}:\n${result.stderr || result.stdout}`);
  }
  return ms;
}

export function outputSize(path: string): OutputSize {
  const size: OutputSize = { files: 0, lines: 0, bytes: 0 };
  const visit = (p: string) => {
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p)) visit(join(p, name));
      return;
    }
    const text = readFileSync(p, "utf8");
    size.files++;
    size.bytes += Buffer.byteLength(text);
    size.lines += text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  };
  visit(path);
  return size;
}

function writeFixture(dir: string, models: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "drizzle"), { recursive: true });
  writeFileSync(join(dir, "schema.ts"), yaraSchema(models));
  writeFileSync(join(dir, "schema.prisma"), prismaSchema(models));
  writeFileSync(join(dir, "drizzle/schema.ts"), drizzleSchema(models));
  writeFileSync(join(dir, "use-yara.ts"), yaraUsage(models));
  writeFileSync(join(dir, "use-prisma.ts"), prismaUsage(models));
  writeFileSync(join(dir, "use-drizzle.ts"), drizzleUsage(models));
  for (const library of ["yara", "prisma", "drizzle"]) {
    const compilerOptions: Record<string, unknown> = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    };
    if (library === "yara") {
      // As an app sees yara-orm installed: its published declarations (dist/, built by
      // installCompiledCli), as Prisma's and Drizzle's runtimes are seen through theirs.
      compilerOptions.paths = {
        "yara-orm": [join(ROOT, "dist/runtime/index.d.ts")],
        "yara-orm/schema": [join(ROOT, "dist/schema/index.d.ts")],
      };
    }
    writeFileSync(
      join(dir, `tsconfig.${library}.json`),
      JSON.stringify({ compilerOptions, files: [`use-${library}.ts`] }, null, 2),
    );
  }
}

/** One cold run: its wall time and the CPU time (user + system) the process reported. */
export function yaraGenCold(dir: string): { wallMs: number; cpuMs: number } {
  rmSync(join(dir, "yara"), { recursive: true, force: true });
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--import", CPU_REPORT, YARA_GEN, "schema.ts", "--out", "yara"],
    { cwd: dir, encoding: "utf8" },
  );
  const wallMs = performance.now() - start;
  if (result.status !== 0) throw new Error(`yara-gen failed in ${dir}:\n${result.stderr}`);
  const cpu = /yara-bench-cpu-ms ([\d.]+)/.exec(result.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) : Number.NaN };
}

/** Starts `yara-gen --watch`, edits one model `edits` times, and times each regeneration. */
export async function yaraWatch(dir: string, models: number, edits: number): Promise<number[]> {
  const schemaPath = join(dir, "schema.ts");
  const original = readFileSync(schemaPath, "utf8");
  const child = spawn(process.execPath, [YARA_GEN, "schema.ts", "--out", "yara", "--watch"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let pending: ((line: string) => void) | undefined;
  let buffered = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.includes("regenerated") || line.includes("problem")) pending?.(line);
    }
  });
  const nextLine = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`yara-gen --watch said nothing in ${timeoutMs} ms: ${stderr}`)),
        timeoutMs,
      );
      pending = (line) => {
        clearTimeout(timer);
        pending = undefined;
        resolve(line);
      };
    });
  const times: number[] = [];
  try {
    await nextLine(120_000); // the first full generation
    const model = editedModel(models);
    const anchor = `  ${model}: model(\n    {\n`;
    for (let n = 0; n < edits; n++) {
      await new Promise((r) => setTimeout(r, 300));
      const edited =
        n % 2 === 0
          ? original.replace(anchor, `${anchor}      extra: fields.IntField({ null: true }),\n`)
          : original;
      const line = nextLine(60_000);
      const start = performance.now();
      writeFileSync(schemaPath, edited);
      const said = await line;
      if (!said.includes("regenerated")) throw new Error(`yara-gen --watch: ${said}`);
      times.push(performance.now() - start);
    }
  } finally {
    child.kill();
    writeFileSync(schemaPath, original);
  }
  return times;
}

function prismaGenerate(dir: string): number {
  rmSync(join(dir, "prisma"), { recursive: true, force: true });
  return timed(
    process.execPath,
    [PRISMA, "generate", "--schema", "schema.prisma"],
    dir,
    prismaEnv(),
  );
}

export function typeCheck(dir: string, library: string): TypeCheck {
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--import", CPU_REPORT, TSC, "-p", `tsconfig.${library}.json`, "--extendedDiagnostics"],
    { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = performance.now() - start;
  const out = result.stdout;
  const number = (label: string) => {
    const match = new RegExp(`^${label}:\\s+([\\d.]+)`, "m").exec(out);
    return match ? Number(match[1]) : Number.NaN;
  };
  const cpu = /yara-bench-cpu-ms ([\d.]+)/.exec(result.stderr);
  return {
    wallMs,
    totalMs: number("Total time") * 1_000,
    cpuMs: cpu ? Number(cpu[1]) : Number.NaN,
    checkMs: number("Check time") * 1_000,
    instantiations: number("Instantiations"),
    types: number("Types"),
    memoryKB: number("Memory used"),
    errors: out
      .split("\n")
      .filter((l) => l.includes("error TS"))
      .slice(0, 5),
  };
}

export interface CodegenPlan {
  sizes: readonly number[];
  repetitions: number;
  watchEdits: number;
  log: (line: string) => void;
}

export async function measureCodegen(plan: CodegenPlan): Promise<CodegenSize[]> {
  const results: CodegenSize[] = [];
  for (const models of plan.sizes) {
    const dir = join(BENCH_DIR, ".data/codegen", String(models));
    writeFixture(dir, models);
    const yaraGenColdMs: number[] = [];
    const yaraGenColdCpuMs: number[] = [];
    const prismaGenerateMs: number[] = [];
    for (let r = 0; r < plan.repetitions; r++) {
      const cold = yaraGenCold(dir);
      yaraGenColdMs.push(cold.wallMs);
      yaraGenColdCpuMs.push(cold.cpuMs);
      prismaGenerateMs.push(prismaGenerate(dir));
    }
    plan.log(
      `  ${models} models: yara-gen cold ${yaraGenColdMs.map(Math.round).join(", ")} ms ` +
        `(CPU ${yaraGenColdCpuMs.map(Math.round).join(", ")} ms)`,
    );
    const yaraWatchMs = await yaraWatch(dir, models, plan.watchEdits);
    plan.log(`  ${models} models: watch ${yaraWatchMs.map(Math.round).join(", ")} ms`);
    const typeChecks = {
      yara: typeCheck(dir, "yara"),
      prisma: typeCheck(dir, "prisma"),
      drizzle: typeCheck(dir, "drizzle"),
    };
    for (const [library, check] of Object.entries(typeChecks)) {
      plan.log(
        `  ${models} models: tsc ${library} ${Math.round(check.totalMs)} ms (CPU ${Math.round(check.cpuMs ?? Number.NaN)} ms), ${check.instantiations} instantiations${check.errors.length ? `, ${check.errors.length} error(s)` : ""}`,
      );
    }
    results.push({
      models,
      yaraGenColdMs,
      yaraGenColdCpuMs,
      yaraWatchMs,
      yaraOutput: outputSize(join(dir, "yara")),
      prismaGenerateMs,
      prismaOutput: outputSize(join(dir, "prisma")),
      drizzleSchema: outputSize(join(dir, "drizzle")),
      typeCheck: typeChecks,
    });
  }
  return results;
}

/** bench/pgbouncer.ts in its own process (it starts and stops its own PgBouncer). */
export function measurePgBouncer(repetitions: number, durationMs: number): PgBouncerTimings {
  return runJsonScript<PgBouncerTimings>("pgbouncer.ts", [
    "--reps",
    String(repetitions),
    "--duration",
    String(durationMs),
  ]);
}

/**
 * `bench/migrations.ts` in its own process from the repository root (its migration files import
 * `yara-orm/migrations`, which resolves there), `repetitions` samples of each timing.
 */
export function measureMigrations(repetitions: number): MigrationTimings {
  return runJsonScript<MigrationTimings>("migrations.ts", ["--reps", String(repetitions)]);
}
