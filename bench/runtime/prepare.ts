/**
 * Everything the runtime workloads need before the first child starts: the yara client
 * generated from bench/schema.ts, both Prisma clients generated (with the schema engine replaced
 * by a placeholder, since `prisma generate` never runs it and the CLI cannot download it
 * offline), the child process bundled (runtime/child.ts and everything it imports, yara's runtime
 * source included, into .data/build with esbuild, so a child starts as plain Node without a
 * TypeScript loader), and the databases seeded.
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seed } from "./seed.js";
import { BENCH_DIR, BUILD_DIR } from "./spawn.js";
import { DATABASES, SQLITE_FILE, type Database } from "./targets.js";

const ROOT = join(BENCH_DIR, "..");

/**
 * The environment of a bundled child. The native addon is looked up relative to the runtime's
 * own file, which bundling moves, so its repository path is passed explicitly when it exists.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env, YARA_BENCH_SQLITE_FILE: SQLITE_FILE };
  const addon = join(ROOT, "native/yara_native.node");
  return existsSync(addon) ? { ...env, YARA_NATIVE_ADDON: addon } : env;
}

/** Bundles runtime/child.ts into BUILD_DIR, one chunk per library so a child loads only its own. */
export async function buildChild(): Promise<void> {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  await build({
    absWorkingDir: BENCH_DIR,
    entryPoints: ["runtime/child.ts"],
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: BUILD_DIR,
    outExtension: { ".js": ".mjs" },
    packages: "external",
    tsconfig: join(BENCH_DIR, "tsconfig.json"),
    logLevel: "warning",
  });
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: BENCH_DIR, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${result.stderr || result.stdout}`);
  }
}

export function generateYaraClient(): void {
  run(process.execPath, [
    "--import",
    "tsx",
    join(ROOT, "generator/cli.ts"),
    "schema.ts",
    "--out",
    "generated/yara",
  ]);
}

/** A stand-in for Prisma's schema engine: `prisma generate` checks the path, never runs it. */
export function placeholderSchemaEngine(): string {
  const dir = join(BENCH_DIR, ".data");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "no-schema-engine.sh");
  writeFileSync(
    path,
    '#!/bin/sh\necho "the Prisma schema engine is not available offline" >&2\nexit 1\n',
  );
  chmodSync(path, 0o755);
  return path;
}

export function prismaEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: placeholderSchemaEngine(),
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
}

export function generatePrismaClients(): void {
  const prisma = join(BENCH_DIR, "node_modules/prisma/build/index.js");
  for (const schema of ["peers/prisma/pg.prisma", "peers/prisma/sqlite.prisma"]) {
    run(process.execPath, [prisma, "generate", "--schema", schema], prismaEnv());
  }
}

/** Generates and bundles everything, and seeds the databases the chosen subjects use. */
export async function prepareRuntime(databases: ReadonlySet<Database>): Promise<void> {
  generateYaraClient();
  generatePrismaClients();
  await buildChild();
  for (const database of DATABASES) if (databases.has(database)) await seed(database);
}
