/**
 * yara installed as a user installs it, from outside this repository: `npm run pack:all`
 * (native/pack.mjs) makes the tarballs — yara-orm, yara-gen, this platform's engine — and an
 * app in a temporary directory installs them with no `cargo` on the PATH. The installed
 * `node_modules/.bin/yara-gen` generates the client; tsc accepts the app under nodenext,
 * node16, bundler and legacy node resolution; the compiled app runs on SQLite and on a
 * private Postgres schema, as ESM and as CommonJS, and the prebuilt engine serves both
 * databases. Then the dev dependencies are pruned, as a production install has none, and the
 * app still runs: the runtime needs neither yara-gen nor ts-morph nor prettier.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import {
  accessSync,
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolate, pgUrl, type IsolatedDatabase } from "../support/targets.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const appSources = fileURLToPath(new URL("./app/", import.meta.url));
const tarballs = join(repo, "native", "npm", "tarballs");
const rootPackage = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  version: string;
  devDependencies: Record<string, string>;
};
const version = rootPackage.version;
const MINUTES = 60_000;

/** The module / moduleResolution pairs an app may compile under; `node` is legacy node10. */
const RESOLUTIONS = [
  { name: "nodenext", module: "nodenext", moduleResolution: "nodenext" },
  { name: "node16", module: "node16", moduleResolution: "node16" },
  { name: "bundler", module: "esnext", moduleResolution: "bundler" },
  { name: "node", module: "commonjs", moduleResolution: "node" },
] as const;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** This process's PATH without every directory holding a `cargo`. */
function pathWithoutCargo(): string {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "" && !isExecutable(join(dir, "cargo")))
    .join(delimiter);
}

/** The environment of everything run in the app: no Rust, no repository-only switches. */
function appEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutCargo() };
  for (const name of [
    "CARGO",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "YARA_NATIVE_ADDON",
    "YARA_REQUIRE_NATIVE",
    "NODE_OPTIONS",
  ])
    delete env[name];
  return env;
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = appEnv(),
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Runs and requires exit 0, with the output in the failure message. */
function ok(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const result = run(command, args, cwd, env);
  const shown = `${command} ${args.join(" ")} (in ${cwd})`;
  if (result.error !== undefined) throw new Error(`${shown}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`${shown} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

function tarball(name: string): string {
  const file = join(tarballs, `${name}-${version}.tgz`);
  expect(existsSync(file), `${file} was not packed`).toBe(true);
  return file;
}

interface AppOutput {
  readonly driver: string;
  readonly engine: { readonly loaded: boolean; readonly source: string; readonly path: string };
  readonly titles: readonly string[];
  readonly count: number;
}

/** The one engine package pack.mjs made: this machine's, `yara-orm-engine-<target>-<version>`. */
function engineTarball(): { file: string; name: string } {
  const files = readdirSync(tarballs).filter((f) => f.startsWith("yara-orm-engine-"));
  expect(files, "one engine tarball").toHaveLength(1);
  const target = files[0]!.slice("yara-orm-engine-".length, -`-${version}.tgz`.length);
  return { file: join(tarballs, files[0]!), name: `@yara-orm/engine-${target}` };
}

function runApp(app: string, entry: string, url: string): AppOutput {
  const result = ok(process.execPath, [entry, url], app);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "") as AppOutput;
}

/** Markdown files under `dir`, recursively. */
function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(dir, f));
}

/** `file`'s relative links (`[text](path#anchor)` → `path`), web and mail links left out. */
function relativeLinks(file: string): string[] {
  const links = [...readFileSync(file, "utf8").matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
  return links
    .filter((l) => !/^[a-z]+:/i.test(l) && !l.startsWith("#"))
    .map((l) => l.replace(/#.*$/, ""));
}

/** What the app prints when the prebuilt engine served it. */
function expected(app: string, enginePackage: string) {
  return {
    driver: "native",
    engine: {
      loaded: true,
      source: "platform-package",
      path: join(app, "node_modules", enginePackage, "yara_native.node"),
    },
    titles: ["Notes"],
    count: 2,
  };
}

describe("the packed packages installed into an app outside the repository", () => {
  let app: string;
  let postgres: IsolatedDatabase;

  beforeAll(async () => {
    ok(process.execPath, [join(repo, "native", "pack.mjs")], repo, process.env);
    app = mkdtempSync(join(tmpdir(), "yara-packaged-app-"));
    cpSync(appSources, app, { recursive: true });
    for (const r of RESOLUTIONS) {
      const tsconfig = {
        compilerOptions: {
          target: "ES2022",
          module: r.module,
          moduleResolution: r.moduleResolution,
          strict: true,
          esModuleInterop: true,
          skipLibCheck: false,
          types: ["node"],
          rootDir: ".",
          outDir: `dist-${r.name}`,
        },
        include: ["app.schema.ts", "src"],
      };
      writeFileSync(join(app, `tsconfig.${r.name}.json`), JSON.stringify(tsconfig, null, 2));
    }
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "packaged-app", private: true, type: "module" }, null, 2),
    );
    postgres = await isolate({
      name: "postgres/native",
      dialect: "postgres",
      driver: "native",
      url: pgUrl(),
    });
  }, 10 * MINUTES);

  afterAll(async () => {
    await postgres?.dispose();
    if (app !== undefined) rmSync(app, { recursive: true, force: true });
  });

  it(
    "installs without a Rust toolchain, generates, type-checks and runs on both databases",
    {
      timeout: 10 * MINUTES,
    },
    () => {
      const env = appEnv();
      expect(run("cargo", ["--version"], app, env).error, "cargo must be absent").toBeDefined();
      const npmArgs = ["--no-audit", "--no-fund", "--prefer-offline"];
      const engine = engineTarball();
      ok("npm", ["install", ...npmArgs, tarball("yara-orm"), engine.file], app);
      ok(
        "npm",
        [
          "install",
          "--save-dev",
          ...npmArgs,
          tarball("yara-gen"),
          `typescript@${rootPackage.devDependencies.typescript}`,
          `@types/node@${rootPackage.devDependencies["@types/node"]}`,
        ],
        app,
      );
      const installed = JSON.parse(
        readFileSync(join(app, "node_modules", "yara-orm", "package.json"), "utf8"),
      ) as { scripts?: unknown; optionalDependencies?: Record<string, string> };
      expect(installed.scripts, "the published yara-orm runs no script at install").toBeUndefined();
      expect(installed.optionalDependencies?.[engine.name]).toBe(version);
      for (const source of ["Cargo.toml", "src", "build.mjs"])
        expect(existsSync(join(app, "node_modules", "yara-orm", "native", source)), source).toBe(
          false,
        );

      for (const pkg of ["yara-orm", "yara-gen"]) {
        const dir = join(app, "node_modules", pkg);
        expect(existsSync(join(dir, "LICENSE")), `${pkg} has its LICENSE`).toBe(true);
        for (const file of markdownFiles(dir))
          for (const link of relativeLinks(file))
            expect(
              existsSync(resolve(dirname(file), link)),
              `${relative(app, file)} links ${link}`,
            ).toBe(true);
      }

      const yaraGen = join(app, "node_modules", ".bin", "yara-gen");
      // The app compiles the client with its own sources (tsc into dist-*, CommonJS among
      // them), so it takes the client as TypeScript; the default .js and .d.ts files would not
      // be in the compiled output.
      const client = ["app.schema.ts", "--out", "src/generated", "--language", "ts"];
      ok(yaraGen, client, app);
      ok(yaraGen, [...client, "--check"], app);
      // Migrations through the CLI: `make` writes a .ts file, `check` reads it back (yara-gen's
      // own TypeScript loader: the app has none), `migrate` applies it.
      ok(yaraGen, ["migrations", "make", "app.schema.ts", "--dir", "migrations"], app);
      expect(readdirSync(join(app, "migrations"))).toEqual(["0001_initial.ts"]);
      const check = ok(
        yaraGen,
        ["migrations", "check", "app.schema.ts", "--dir", "migrations"],
        app,
      );
      expect(check.stdout).toContain("no changes");
      const cliDb = `sqlite://${join(app, "cli.db")}`;
      const cli = ok(
        yaraGen,
        ["migrations", "migrate", "--url", cliDb, "--dir", "migrations"],
        app,
      );
      expect(cli.stdout).toContain("applied 0001_initial");

      const tsc = join(app, "node_modules", ".bin", "tsc");
      for (const r of RESOLUTIONS) ok(tsc, ["-p", `tsconfig.${r.name}.json`], app);
      // The CommonJS build runs as CommonJS: `require("yara-orm")` of the ES module package.
      writeFileSync(join(app, "dist-node", "package.json"), '{ "type": "commonjs" }\n');

      const sqlite = (name: string) => `sqlite://${join(app, `${name}.db`)}`;
      const served = expected(app, engine.name);
      expect(runApp(app, "dist-nodenext/src/main.js", sqlite("esm"))).toMatchObject(served);
      expect(runApp(app, "dist-nodenext/src/main.js", postgres.url)).toMatchObject(served);
      expect(runApp(app, "dist-node/src/main.js", sqlite("cjs"))).toMatchObject(served);

      // A production install: no dev dependency left, and the compiled app runs on as before.
      ok("npm", ["prune", "--omit=dev", ...npmArgs], app);
      const left = readdirSync(join(app, "node_modules"));
      for (const gone of ["yara-gen", "ts-morph", "prettier", "tsx", "typescript"])
        expect(left, `${gone} in a production install`).not.toContain(gone);
      expect(runApp(app, "dist-nodenext/src/main.js", sqlite("production"))).toMatchObject(served);

      // Migrating on start in production: Node 20 imports no .ts by itself and the app has no
      // TypeScript loader left, so the .ts folder is refused with the fixes; the same file as .js
      // applies.
      const migrate = "dist-nodenext/src/migrate.js";
      const refused = run(process.execPath, [migrate, sqlite("migrated"), "migrations"], app);
      expect(refused.status, `${refused.stdout}${refused.stderr}`).toBe(1);
      expect(refused.stderr).toContain(
        "0001_initial.ts: a TypeScript migration needs a TypeScript loader",
      );
      mkdirSync(join(app, "migrations-js"));
      copyFileSync(
        join(app, "migrations", "0001_initial.ts"),
        join(app, "migrations-js", "0001_initial.js"),
      );
      const applied = ok(process.execPath, [migrate, sqlite("migrated"), "migrations-js"], app);
      expect(JSON.parse(applied.stdout)).toEqual({ done: ["0001_initial"] });
    },
  );
});
