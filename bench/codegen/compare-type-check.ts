/**
 * Type-check cost of the generated client of one schema size at two checkouts of yara, in one
 * run: this repository and another worktree (`--base`, e.g. an older commit checked out with
 * `git worktree add --detach /tmp/base <commit>`). Each checkout generates the client with its
 * own yara-gen and is type-checked by this repository's tsc against that checkout's published
 * declarations (its dist/*.d.ts, built first with this repository's tsc), as an app installing
 * yara-orm sees it and as measure.ts measures it; alternating, `--reps` times; the median of each
 * figure is printed as a JSON line.
 *
 *   npx tsx bench/codegen/compare-type-check.ts --base /tmp/base [--models 300] [--reps 3]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BENCH_DIR } from "../runtime/spawn.js";
import { yaraSchema, yaraUsage } from "./fixtures.js";
import { typeCheck } from "./measure.js";
import type { TypeCheck } from "./results.js";

const ROOT = join(BENCH_DIR, "..");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

function option(name: string, fallback?: string): string {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? process.argv[at + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

/**
 * Builds the declarations of `root`'s runtime into its dist/, as `npm run build` does: an app's
 * tsc reads yara-orm through them, never through runtime/*.ts, so the sources' implementation
 * bodies are no part of what the comparison measures.
 */
function buildDeclarations(root: string): void {
  const build = spawnSync(process.execPath, [TSC, "-p", join(root, "tsconfig.build.json")], {
    cwd: root,
    encoding: "utf8",
  });
  if (build.status !== 0) {
    throw new Error(`building ${root}'s dist/ failed:\n${build.stdout || build.stderr}`);
  }
}

/** Writes the fixture for `root` and generates its client with that checkout's yara-gen. */
function prepare(root: string, dir: string, models: number): void {
  buildDeclarations(root);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "schema.ts"), yaraSchema(models));
  writeFileSync(join(dir, "use-yara.ts"), yaraUsage(models));
  const paths = {
    "yara-orm": [join(root, "dist/runtime/index.d.ts")],
    "yara-orm/schema": [join(root, "dist/schema/index.d.ts")],
  };
  const compilerOptions = {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    paths,
  };
  writeFileSync(
    join(dir, "tsconfig.yara.json"),
    JSON.stringify({ compilerOptions, files: ["use-yara.ts"] }, null, 2),
  );
  const gen = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "generator/cli.ts"), "schema.ts", "--out", "yara"],
    { cwd: dir, encoding: "utf8" },
  );
  if (gen.status !== 0) throw new Error(`yara-gen of ${root} failed:\n${gen.stderr}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const base = resolve(option("base"));
const models = Number(option("models", "300"));
const reps = Number(option("reps", "3"));
const checkouts = { current: ROOT, base };
const runs: Record<string, TypeCheck[]> = { current: [], base: [] };
for (const [name, root] of Object.entries(checkouts))
  prepare(root, join(BENCH_DIR, ".data/compare", name), models);
for (let r = 0; r < reps; r++) {
  for (const name of Object.keys(checkouts)) {
    const check = typeCheck(join(BENCH_DIR, ".data/compare", name), "yara");
    if (check.errors.length > 0) throw new Error(`${name}: ${check.errors.join("\n")}`);
    runs[name]!.push(check);
  }
}
for (const [name, list] of Object.entries(runs)) {
  console.log(
    JSON.stringify({
      checkout: name,
      root: checkouts[name as keyof typeof checkouts],
      models,
      reps,
      instantiations: median(list.map((c) => c.instantiations)),
      types: median(list.map((c) => c.types ?? Number.NaN)),
      checkMs: Math.round(median(list.map((c) => c.checkMs))),
      totalMs: Math.round(median(list.map((c) => c.totalMs))),
      cpuMs: Math.round(median(list.map((c) => c.cpuMs ?? Number.NaN))),
      memoryKB: median(list.map((c) => c.memoryKB)),
    }),
  );
}
