#!/usr/bin/env node
/**
 * Builds the native addon (`native/yara_native.node`) in a checkout of this repository; run by
 * `npm install` (package.json) and by hand (`node native/build.mjs`). What it does is decided by
 * build-plan.mjs from the facts of the machine:
 *
 * - an installed copy of yara-orm builds nothing (the engine comes in its platform package);
 * - a checkout builds with cargo, offline against Debian's crate sources when the crates
 *   registry is out of reach: the packages of native/debian-packages.txt (the list .ci/run uses
 *   too), installed with apt-get first when they are missing and we are root — else the build
 *   tries the registry and, failing, prints the apt-get command;
 * - no cargo, or a failed build: it stops (exit 1) with the command to run. It never leaves the
 *   JavaScript drivers in place silently; YARA_SKIP_NATIVE=1 chooses them (one line says so).
 *
 * cargo's own progress lines go to stderr as it builds, with a line every 20 s when it is quiet.
 * The cdylib is copied to `native/yara_native.node`, where runtime/driver/native/addon.ts finds
 * it from the sources and from `dist/`.
 *
 * SQLite: when the project's better-sqlite3 has its build (`build/Release/sqlite3.a`: the SQLite
 * it bundles, compiled with its options — THREADSAFE=2, DEFAULT_MEMSTATUS=0, DQS=0, …), that
 * archive is linked in statically, so both drivers run the same SQLite: the same functions
 * and messages, and none of the system build's costs (Debian's 3.40 has no lookaside and
 * turns secure-delete on; a point query spent about a third of its time inside it). Else the
 * system SQLite, dynamically. The last line says which.
 *
 * `--verbose` passes `--verbose` to cargo.
 *
 * `--testing` builds the test addon instead: `cargo build --features testing` (debug, system
 * SQLite — the same build `cargo test --features testing` makes, so after it this only copies)
 * to `native/target/yara_native_testing.node`, with the test-only exports of
 * src/napi/testing.rs. The production addon never has them.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isCheckout, missingPackages, parsePackageList, planBuild } from "./build-plan.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = dirname(here);
const verbose = process.argv.includes("--verbose");
const testing = process.argv.includes("--testing");
const DEBIAN_REGISTRY = "/usr/share/cargo/registry";
const OUTPUT = join(here, "yara_native.node");
const TESTING_OUTPUT = join(here, "target", "yara_native_testing.node");
const cargo = process.env.CARGO ?? "cargo";

/** The command's result when it ran and exited 0, else undefined. */
function answers(command, args) {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return r.error === undefined && r.status === 0 ? r : undefined;
}

/** The listed Debian packages not installed, or undefined where there is no dpkg. */
function missingDebianPackages(listed) {
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Package} ${db:Status-Abbrev}\\n", ...listed], {
    encoding: "utf8",
  });
  // dpkg-query exits 1 when some package is unknown; what it printed still counts.
  if (r.error !== undefined) return undefined;
  return missingPackages(listed, r.stdout ?? "");
}

const checkout = isCheckout({
  root: packageRoot,
  hasGit: existsSync(join(packageRoot, ".git")),
  hasSources: existsSync(join(packageRoot, "runtime", "index.ts")),
});
const debianPackages =
  checkout || testing
    ? parsePackageList(readFileSync(join(here, "debian-packages.txt"), "utf8"))
    : [];
const plan = planBuild({
  checkout,
  testing,
  required: process.env.YARA_REQUIRE_NATIVE === "1",
  skip: process.env.YARA_SKIP_NATIVE === "1",
  cargo: checkout || testing ? answers(cargo, ["--version"]) !== undefined : false,
  debianRegistry: existsSync(DEBIAN_REGISTRY),
  missingDebianPackages: checkout || testing ? missingDebianPackages(debianPackages) : undefined,
  root: process.getuid?.() === 0,
  aptGet: checkout || testing ? answers("apt-get", ["--version"]) !== undefined : false,
});

if (plan.action === "skip") {
  (checkout ? console.warn : console.log)(plan.message);
  process.exit(plan.exitCode);
}
if (plan.action === "stop") {
  console.error(plan.message);
  process.exit(plan.exitCode);
}

if (plan.install.length > 0) {
  const command = `apt-get install -y --no-install-recommends ${plan.install.join(" ")}`;
  console.warn(
    `yara: installing Debian's crate sources for the offline build (no crates registry needed): ${command}`,
  );
  const steps = [
    ["apt-get", ["update", "-qq"]],
    ["apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...plan.install]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.error !== undefined || r.status !== 0) {
      console.error(
        `yara: \`${cmd} ${args.join(" ")}\` failed (see above); run \`apt-get update && ${command}\` ` +
          "yourself, then `node native/build.mjs`",
      );
      process.exit(1);
    }
  }
}

const args = testing
  ? ["build", "--features", "testing", "--manifest-path", join(here, "Cargo.toml")]
  : ["build", "--release", "--manifest-path", join(here, "Cargo.toml")];
if (verbose) args.push("--verbose");
if (plan.offline) {
  args.push(
    "--offline",
    "--config",
    'source.crates-io.replace-with="debian"',
    "--config",
    `source.debian.directory="${DEBIAN_REGISTRY}"`,
  );
}
/**
 * better-sqlite3's static SQLite, resolved from the project, or undefined when it is not
 * installed or was installed without a build of its own (a prebuilt binary has no archive).
 */
function betterSqlite3Archive() {
  try {
    const pkg = createRequire(join(here, "..", "package.json")).resolve(
      "better-sqlite3/package.json",
    );
    const archive = join(dirname(pkg), "build", "Release", "sqlite3.a");
    return existsSync(archive) ? archive : undefined;
  } catch {
    return undefined;
  }
}

const SYSTEM_SQLITE = "system SQLite (dynamic: libsqlite3)";
const env = { ...process.env };
const archive = testing ? undefined : betterSqlite3Archive();
let sqlite = SYSTEM_SQLITE;
if (archive !== undefined) {
  // libsqlite3-sys links `-l static=sqlite3` from SQLITE3_LIB_DIR: the archive must be named
  // libsqlite3.a, in a directory of its own. Cargo does not watch the archive, only that
  // variable: a directory per archive (size and mtime) makes a new better-sqlite3 relink.
  // pkg-config is kept from finding the system library.
  const { size, mtimeMs } = statSync(archive);
  const dir = join(here, "target", "sqlite-static", `${size}-${Math.trunc(mtimeMs)}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(archive, join(dir, "libsqlite3.a"));
  Object.assign(env, {
    SQLITE3_STATIC: "1",
    SQLITE3_LIB_DIR: dir,
    PKG_CONFIG_LIBDIR: "/nonexistent",
  });
  sqlite = `better-sqlite3's SQLite (static: ${archive})`;
}

/**
 * Runs cargo, passing its lines to stderr as they come (and one line every 20 s it is quiet), so
 * minutes of compiling show progress; resolves to its status and everything it printed.
 */
function runCargo(childEnv) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = "";
    let last = "starting";
    let lastOutput = Date.now();
    const child = spawn(cargo, args, {
      cwd: here,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      process.stderr.write(text);
      last = text.trim().split("\n").pop()?.trim() || last;
      lastOutput = Date.now();
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    const heartbeat = setInterval(() => {
      if (Date.now() - lastOutput < 20_000) return;
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`yara: cargo is still building (${seconds} s; last: ${last})\n`);
      lastOutput = Date.now();
    }, 5_000);
    child.on("error", (error) => {
      clearInterval(heartbeat);
      resolve({ ok: false, output: `${output}error: ${error.message}\n` });
    });
    child.on("close", (status) => {
      clearInterval(heartbeat);
      resolve({ ok: status === 0, output });
    });
  });
}

console.warn(
  testing
    ? "yara: building the native test addon (cargo build --features testing)"
    : `yara: building the native engine (cargo build --release${plan.offline ? ", offline against Debian's crate sources" : ""}); ` +
        "a first build takes a few minutes, cargo's lines follow",
);
let build = await runCargo(env);
if (archive !== undefined && !build.ok) {
  // The archive did not link (another platform's build, say): the system SQLite then.
  sqlite = `${SYSTEM_SQLITE}, as linking ${archive} failed`;
  console.warn(`yara: linking ${archive} failed; building against the system SQLite instead`);
  build = await runCargo(process.env);
}
if (!build.ok) {
  const first =
    build.output
      .trim()
      .split("\n")
      .find((l) => /^error/.test(l)) ?? "see cargo's output above";
  console.error(
    `yara: cargo build failed: ${first}. ${plan.onFailure}. Fix that and run \`node native/build.mjs\` ` +
      "again; YARA_SKIP_NATIVE=1 uses the pg / better-sqlite3 drivers instead.",
  );
  process.exit(1);
}

const built =
  {
    linux: "libyara_native.so",
    darwin: "libyara_native.dylib",
    win32: "yara_native.dll",
  }[process.platform] ?? "libyara_native.so";
const from = join(here, "target", testing ? "debug" : "release", built);
if (!existsSync(from)) {
  console.error(`yara: cargo reported success but ${from} is missing`);
  process.exit(1);
}
const destination = testing ? TESTING_OUTPUT : OUTPUT;
// Copy then rename, so a running process never loads a half-written file.
const temporary = `${destination}.${process.pid}.tmp`;
copyFileSync(from, temporary);
renameSync(temporary, destination);
console.log(
  testing
    ? `yara: native test addon built (${destination}), test-only exports included`
    : `yara: native engine built (${destination}) with ${sqlite}`,
);
