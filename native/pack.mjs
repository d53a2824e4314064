#!/usr/bin/env node
/**
 * `npm run pack:all`: the release tarballs, in native/npm/tarballs/ (gitignored):
 *
 *   yara-orm-<version>.tgz                       the runtime and the schema DSL (package.json at the
 *                                                root); its optionalDependencies name the engine
 *                                                package of every target in native/npm/targets.json
 *   yara-gen-<version>.tgz                       the CLI (generator/package.json)
 *   yara-orm-engine-<target>-<version>.tgz       this machine's prebuilt engine (native/npm/<target>/)
 *
 * Steps: a clean build of dist/ and generator/dist/; the release addon (native/build.mjs with
 * YARA_REQUIRE_NATIVE=1: no cargo is a failure here); checks that the addon carries its own
 * SQLite — no libsqlite3 among its shared libraries, and the same `sqlite_version()` and
 * `pragma compile_options` as better-sqlite3's (whose static build native/build.mjs links) —
 * and that the package manifests agree on the version. Each package is then staged in a
 * temporary directory (the files `npm pack` would take, LICENSE, the published manifest) and
 * packed there. Published manifests have no scripts, devDependencies or workspaces: installing
 * a tarball never runs a build, and the repository's `prepare` (TypeScript build, native build)
 * stays a checkout-only step.
 *
 * `--skip-build` reuses dist/, generator/dist/ and native/yara_native.node as they are (the
 * checks still run). Only this machine's target is built; the others are built on their own
 * platforms (native/npm/README.md).
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
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
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const npmDir = join(here, "npm");
const OUT = join(npmDir, "tarballs");
const ADDON = join(here, "yara_native.node");
const skipBuild = process.argv.includes("--skip-build");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function fail(message) {
  console.error(`pack: ${message}`);
  process.exit(1);
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function run(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, stdio: "inherit" });
  if (result.error !== undefined || result.status !== 0)
    fail(`\`${command} ${args.join(" ")}\` failed in ${cwd}`);
}

/**
 * The entry of targets.json this machine builds, named as the loader names it
 * (runtime/driver/native/platform.ts, from the fresh build): one naming for both.
 */
async function hostTarget(targets) {
  const platform = await import(
    pathToFileURL(join(root, "dist", "runtime", "driver", "native", "platform.js")).href
  );
  const unknown = targets.filter((t) => !platform.ENGINE_TRIPLES.includes(t.target));
  if (unknown.length > 0)
    fail(
      `native/npm/targets.json lists ${unknown.map((t) => t.target).join(", ")}, which the ` +
        "loader never looks for (ENGINE_TRIPLES in runtime/driver/native/platform.ts)",
    );
  const facts = platform.currentPlatform();
  const name = platform.enginePackageName(facts);
  const found = targets.find((t) => `${platform.ENGINE_PACKAGE_PREFIX}${t.target}` === name);
  if (found === undefined)
    fail(`native/npm/targets.json has no target for ${platform.platformTriple(facts)}`);
  return found;
}

/** What the committed manifests must say; every problem at once. */
function checkManifests(main, gen, engine, target) {
  const problems = [];
  const expect = (file, what, actual, wanted) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted))
      problems.push(
        `${file}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`,
      );
  };
  expect("generator/package.json", "version", gen.version, main.version);
  expect(
    "generator/package.json",
    'peerDependencies["yara-orm"]',
    gen.peerDependencies?.["yara-orm"],
    main.version,
  );
  expect(
    "generator/package.json",
    "dependencies.zod",
    gen.dependencies?.zod,
    main.dependencies.zod,
  );
  expect("generator/package.json", "engines", gen.engines, main.engines);
  const file = `native/npm/${target.target}/package.json`;
  expect(file, "name", engine.name, `@yara-orm/engine-${target.target}`);
  expect(file, "version", engine.version, main.version);
  expect(file, "os", engine.os, [target.os]);
  expect(file, "cpu", engine.cpu, [target.cpu]);
  expect(file, "libc", engine.libc, target.libc === null ? undefined : [target.libc]);
  expect(file, "main", engine.main, "yara_native.node");
  expect(file, "files", engine.files, ["yara_native.node"]);
  if (problems.length > 0) fail(`the package manifests disagree:\n  ${problems.join("\n  ")}`);
}

/** The manifest as published: nothing that only makes sense in this checkout. */
function published(manifest, extra = {}) {
  const {
    scripts: _scripts,
    devDependencies: _dev,
    workspaces: _workspaces,
    allowScripts: _allow,
    ...rest
  } = manifest;
  return { ...rest, ...extra };
}

/** The files `npm pack` takes from `dir` (its `files`, README, package.json), relative paths. */
function packList(dir) {
  const json = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(json)[0].files.map((f) => f.path);
}

/** Copies `files` of `from` and LICENSE into a fresh staging directory, writes `manifest`, packs. */
function stageAndPack(name, from, files, manifest) {
  const stage = mkdtempSync(join(tmpdir(), `yara-pack-${name}-`));
  try {
    for (const file of files) {
      if (file === "package.json") continue;
      mkdirSync(dirname(join(stage, file)), { recursive: true });
      copyFileSync(join(from, file), join(stage, file));
    }
    copyFileSync(join(root, "LICENSE"), join(stage, "LICENSE"));
    writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const json = execFileSync(
      npm,
      ["pack", "--json", "--ignore-scripts", "--pack-destination", OUT],
      { cwd: stage, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
    );
    const [info] = JSON.parse(json);
    console.log(
      `pack: ${info.filename}  ${(info.size / 1024).toFixed(0)} kB packed, ` +
        `${(info.unpackedSize / 1024).toFixed(0)} kB unpacked, ${info.entryCount} files`,
    );
    return join(OUT, info.filename);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The shared libraries the addon needs, as the platform's tool lists them (undefined: no tool). */
function sharedLibraries(file) {
  const tool =
    process.platform === "linux"
      ? ["ldd", [file]]
      : process.platform === "darwin"
        ? ["otool", ["-L", file]]
        : undefined;
  if (tool === undefined) return undefined;
  const result = spawnSync(tool[0], tool[1], { encoding: "utf8" });
  if (result.error !== undefined || result.status !== 0)
    fail(`\`${tool[0]}\` could not read ${file}: ${result.stderr || result.error}`);
  return result.stdout;
}

/** sqlite_version() and the sorted compile options of a SQLite, as rows of text. */
async function nativeSqlite(addonFile) {
  process.env.YARA_NATIVE_ADDON = addonFile;
  const { YaraOrm } = await import(
    pathToFileURL(join(root, "dist", "runtime", "internal.js")).href
  );
  await YaraOrm.init("sqlite://:memory:", { driver: "native" });
  try {
    const texts = async (sql) => {
      const { rowCount, reader } = await YaraOrm.driver.query(sql, []);
      return Array.from({ length: rowCount }, (_, i) => reader.text(0, i));
    };
    return {
      version: (await texts("SELECT sqlite_version()"))[0],
      options: (await texts("PRAGMA compile_options")).sort(),
    };
  } finally {
    await YaraOrm.close();
  }
}

function betterSqlite() {
  const Database = createRequire(join(root, "package.json"))("better-sqlite3");
  const db = new Database(":memory:");
  try {
    return {
      version: db.prepare("SELECT sqlite_version() AS v").get().v,
      options: db
        .pragma("compile_options")
        .map((r) => r.compile_options)
        .sort(),
    };
  } finally {
    db.close();
  }
}

async function checkAddon(file) {
  const libraries = sharedLibraries(file);
  if (libraries !== undefined && /libsqlite3/.test(libraries))
    fail(
      `${file} links the system libsqlite3, not better-sqlite3's static SQLite: better-sqlite3 ` +
        "has no build/Release/sqlite3.a (a prebuilt better-sqlite3 has none); rebuild it from " +
        "source (`npm rebuild better-sqlite3 --build-from-source`) and run this again",
    );
  const ours = await nativeSqlite(file);
  const theirs = betterSqlite();
  const missing = theirs.options.filter((o) => !ours.options.includes(o));
  const extra = ours.options.filter((o) => !theirs.options.includes(o));
  if (ours.version !== theirs.version || missing.length > 0 || extra.length > 0)
    fail(
      `the addon's SQLite differs from better-sqlite3's: version ${ours.version} vs ${theirs.version}` +
        `${missing.length > 0 ? `; missing options ${missing.join(", ")}` : ""}` +
        `${extra.length > 0 ? `; extra options ${extra.join(", ")}` : ""}`,
    );
  console.log(
    `pack: ${file}: SQLite ${ours.version} linked in statically, ${ours.options.length} compile ` +
      `options identical to better-sqlite3's${libraries === undefined ? "" : ", no libsqlite3"}`,
  );
}

const main = readJson(join(root, "package.json"));
const gen = readJson(join(root, "generator", "package.json"));
const targets = readJson(join(npmDir, "targets.json"));

if (!skipBuild) {
  rmSync(join(root, "dist"), { recursive: true, force: true });
  rmSync(join(root, "generator", "dist"), { recursive: true, force: true });
  run(npm, ["run", "build"], root);
}
const target = await hostTarget(targets);
const engineDir = join(npmDir, target.target);
if (!existsSync(join(engineDir, "package.json")))
  fail(`native/npm/${target.target}/package.json is missing (see native/npm/README.md)`);
const engine = readJson(join(engineDir, "package.json"));
checkManifests(main, gen, engine, target);
if (existsSync(join(root, "generator", "dist", "runtime")))
  fail(
    "generator/dist/runtime exists: generator/ imports runtime/ other than through yara-orm/internal",
  );
if (!skipBuild)
  run(process.execPath, [join(here, "build.mjs")], root, {
    ...process.env,
    YARA_REQUIRE_NATIVE: "1",
  });
if (!existsSync(ADDON)) fail(`${ADDON} is missing: run without --skip-build`);
await checkAddon(ADDON);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const optionalDependencies = Object.fromEntries(
  targets.map((t) => [`@yara-orm/engine-${t.target}`, main.version]),
);
stageAndPack("yara-orm", root, packList(root), published(main, { optionalDependencies }));
stageAndPack(
  "yara-gen",
  join(root, "generator"),
  packList(join(root, "generator")),
  published(gen),
);
const engineStage = mkdtempSync(join(tmpdir(), "yara-pack-addon-"));
try {
  cpSync(engineDir, engineStage, { recursive: true });
  copyFileSync(ADDON, join(engineStage, "yara_native.node"));
  stageAndPack(`engine-${target.target}`, engineStage, readdirSync(engineStage), published(engine));
} finally {
  rmSync(engineStage, { recursive: true, force: true });
}
console.log(`pack: tarballs in ${OUT}`);
