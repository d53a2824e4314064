/**
 * What the type-check of the N-model usage file is made of, for yara and Prisma 7 alike: tsc
 * (the repo's, as measure.ts runs it) over four programs in the same fixture directory, each a
 * step larger than the one before, so the difference of two steps is the cost of what the
 * larger one adds:
 *
 *   environment  a file importing nothing: the default lib and every @types package the
 *                fixture directory sees (the same for both libraries)
 *   runtime      a file importing the runtime (yara: yara-orm's published declarations;
 *                Prisma has none without its client, so this step is yara's only)
 *   client       a file importing one model of the generated client: every generated file
 *                parsed and bound, nothing of it checked (yara's: its `.d.ts` files)
 *   usage        the usage file of measure.ts: the same client, and its queries checked
 *
 * One more yara program prices the client generated as TypeScript (`.ts` files, implementations
 * and all, as yara-gen wrote them before it wrote `.js` and `.d.ts`): the same usage file over
 * it (yara-ts/), so the difference is what the declarations save.
 *
 * Each step runs `--reps` times, alternating; the medians of CPU time (user + system of the
 * tsc process) and instantiations are printed, then the ratio of Prisma's usage CPU time to
 * yara's, over the whole program and over what each library adds to the environment.
 *
 *   npm run build        # yara is seen through dist/*.d.ts, as an app sees it installed
 *   npx tsx bench/codegen/type-check-parts.ts [--models 300] [--reps 3] [--json]
 *
 * The fixture is written under bench/.data/type-check-parts/N (`prisma generate` runs once).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate, formatProblem } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";
import { prismaEnv } from "../runtime/prepare.js";
import { BENCH_DIR } from "../runtime/spawn.js";
import { prismaSchema, prismaUsage, usedModels, yaraSchema, yaraUsage } from "./fixtures.js";
import { typeCheck } from "./measure.js";

const ROOT = join(BENCH_DIR, "..");
const PRISMA = join(BENCH_DIR, "node_modules/prisma/build/index.js");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive integer`);
  return value;
}

const STEPS = {
  environment: { file: "env.ts", text: "export const nothing = 0;\n", yara: true },
  "yara runtime": {
    file: "yara-runtime.ts",
    text: 'import { Model } from "yara-orm";\nexport const runtime: unknown = Model;\n',
    yara: true,
  },
  "yara client": { file: "yara-client.ts", text: "", yara: true },
  "yara usage": { file: "use-yara.ts", text: "", yara: true },
  "yara typescript usage": { file: "use-yara-typescript.ts", text: "", yara: true },
  "prisma client": {
    file: "prisma-client.ts",
    text: 'import type { PrismaClient } from "./prisma/client.js";\nexport type Client = PrismaClient;\n',
    yara: false,
  },
  "prisma usage": { file: "use-prisma.ts", text: "", yara: false },
} as const;
type Step = keyof typeof STEPS;
const configName = (step: Step) => step.replaceAll(" ", "-");

async function writeFixture(dir: string, models: number): Promise<void> {
  if (!existsSync(join(ROOT, "dist/runtime/index.d.ts"))) {
    throw new Error("dist/ is missing: run `npm run build` first");
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "schema.ts"), yaraSchema(models));
  for (const [language, out] of [
    ["js", "yara"],
    ["ts", "yara-ts"],
  ] as const) {
    const result = await generate(join(dir, "schema.ts"), join(dir, out), { language });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
    rmSync(join(dir, out), { recursive: true, force: true });
    await writeFiles(join(dir, out), result.files);
  }
  const model = `Entity${String(usedModels(models)[0]).padStart(3, "0")}`;
  const texts: Record<string, string> = {
    "yara-client.ts": `import { ${model} } from "./yara/index.js";\nexport const client: unknown = ${model};\n`,
    "use-yara.ts": yaraUsage(models),
    "use-yara-typescript.ts": yaraUsage(models).replace(
      '"./yara/index.js"',
      '"./yara-ts/index.js"',
    ),
    "use-prisma.ts": prismaUsage(models),
  };
  if (!existsSync(join(dir, "prisma/client.ts"))) {
    writeFileSync(join(dir, "schema.prisma"), prismaSchema(models));
    const gen = spawnSync(process.execPath, [PRISMA, "generate", "--schema", "schema.prisma"], {
      cwd: dir,
      env: prismaEnv(),
      encoding: "utf8",
    });
    if (gen.status !== 0) throw new Error(`prisma generate failed:\n${gen.stderr || gen.stdout}`);
  }
  for (const [step, { file, text, yara }] of Object.entries(STEPS)) {
    writeFileSync(join(dir, file), texts[file] ?? text);
    const compilerOptions: Record<string, unknown> = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    };
    if (yara) {
      compilerOptions.paths = {
        "yara-orm": [join(ROOT, "dist/runtime/index.d.ts")],
        "yara-orm/schema": [join(ROOT, "dist/schema/index.d.ts")],
      };
    }
    writeFileSync(
      join(dir, `tsconfig.${configName(step as Step)}.json`),
      JSON.stringify({ compilerOptions, files: [file] }, null, 2),
    );
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const models = option("models", 300);
const reps = option("reps", 3);
const dir = join(BENCH_DIR, ".data/type-check-parts", String(models));
await writeFixture(dir, models);
const cpu: Record<string, number[]> = {};
const instantiations: Record<string, number> = {};
for (let r = 0; r < reps; r++) {
  for (const step of Object.keys(STEPS) as Step[]) {
    const check = typeCheck(dir, configName(step));
    if (check.errors.length > 0) throw new Error(`${step}: ${check.errors.join("\n")}`);
    (cpu[step] ??= []).push(check.cpuMs ?? Number.NaN);
    instantiations[step] = check.instantiations;
  }
}
const ms = Object.fromEntries(Object.entries(cpu).map(([step, xs]) => [step, median(xs)]));
const at = (step: Step) => ms[step]!;
const parts = {
  environment: at("environment"),
  "yara runtime declarations": at("yara runtime") - at("environment"),
  "yara generated client": at("yara client") - at("yara runtime"),
  "yara usage checked": at("yara usage") - at("yara client"),
  "yara .d.ts client saves": at("yara typescript usage") - at("yara usage"),
  "prisma generated client": at("prisma client") - at("environment"),
  "prisma usage checked": at("prisma usage") - at("prisma client"),
};
const ratios = {
  whole: at("prisma usage") / at("yara usage"),
  "whole, yara client as .ts": at("prisma usage") / at("yara typescript usage"),
  "above the environment":
    (at("prisma usage") - at("environment")) / (at("yara usage") - at("environment")),
};
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ models, reps, cpuMs: ms, instantiations, parts, ratios }));
} else {
  console.log(`${models} models, CPU time of tsc, median of ${reps}:`);
  for (const step of Object.keys(STEPS) as Step[]) {
    console.log(
      `  ${step.padEnd(23)} ${String(Math.round(at(step))).padStart(6)} ms  ${instantiations[step]} instantiations`,
    );
  }
  for (const [part, value] of Object.entries(parts)) {
    console.log(`  ${part.padEnd(26)} ${String(Math.round(value)).padStart(6)} ms`);
  }
  console.log(
    `  Prisma ÷ yara: ${ratios.whole.toFixed(2)}× whole, ${ratios["above the environment"].toFixed(2)}× above the environment, ${ratios["whole, yara client as .ts"].toFixed(2)}× whole with the client as .ts`,
  );
}
