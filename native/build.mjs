#!/usr/bin/env node
/**
 * Builds the native addon (`native/yara_native.node`); run by `npm install` (package.json
 * "install") and by hand (`node native/build.mjs`).
 *
 * - cargo present → `cargo build --release`, offline against Debian's crate sources when
 *   /usr/share/cargo/registry exists (see docs: native-toolchain.md), else from the crates
 *   registry; the cdylib is copied to `native/yara_native.node`, where
 *   runtime/driver/native/addon.ts finds it from the sources and from `dist/`.
 * - SQLite: when the project's better-sqlite3 has its build (`build/Release/sqlite3.a`: the SQLite
 *   it bundles, compiled with its options — THREADSAFE=2, DEFAULT_MEMSTATUS=0, DQS=0, …), that
 *   archive is linked in statically, so both drivers run the same SQLite: the same functions
 *   and messages, and none of the system build's costs (Debian's 3.40 has no lookaside and
 *   turns secure-delete on; a point query spent about a third of its time inside it). Else the
 *   system SQLite, dynamically. One line says which.
 * - no cargo, or the build fails → one line saying so, and yara uses the `pg` /
 *   `better-sqlite3` drivers. With YARA_REQUIRE_NATIVE=1 (CI) that is a failure instead: the
 *   cargo output is shown and the install fails.
 *
 * `--verbose` shows cargo's output on success too.
 *
 * `--testing` builds the test addon instead: `cargo build --features testing` (debug, system
 * SQLite — the same build `cargo test --features testing` makes, so after it this only copies)
 * to `native/target/yara_native_testing.node`, with the test-only exports of
 * src/napi/testing.rs. The production addon never has them. Always fails loudly.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const required = process.env.YARA_REQUIRE_NATIVE === "1";
const verbose = process.argv.includes("--verbose");
const DEBIAN_REGISTRY = "/usr/share/cargo/registry";
const OUTPUT = join(here, "yara_native.node");
const testing = process.argv.includes("--testing");
const TESTING_OUTPUT = join(here, "target", "yara_native_testing.node");

function fallback(reason, output) {
  if (required || testing) {
    if (output) process.stderr.write(output);
    console.error(`yara: the native engine is required (YARA_REQUIRE_NATIVE=1) but ${reason}`);
    process.exit(1);
  }
  console.warn(
    `yara: native engine not built (${reason}); using the pg / better-sqlite3 drivers instead`,
  );
  process.exit(0);
}

const cargo = process.env.CARGO ?? "cargo";
const probe = spawnSync(cargo, ["--version"], { encoding: "utf8" });
if (probe.error !== undefined || probe.status !== 0) {
  fallback("no Rust toolchain: `cargo` was not found on PATH; install Rust to build it");
}

const args = testing
  ? ["build", "--features", "testing", "--manifest-path", join(here, "Cargo.toml")]
  : ["build", "--release", "--manifest-path", join(here, "Cargo.toml")];
if (existsSync(DEBIAN_REGISTRY)) {
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

let build = spawnSync(cargo, args, { cwd: here, env, encoding: "utf8", stdio: "pipe" });
if (archive !== undefined && (build.error !== undefined || build.status !== 0)) {
  // The archive did not link (another platform's build, say): the system SQLite then.
  sqlite = `${SYSTEM_SQLITE}, as linking ${archive} failed`;
  build = spawnSync(cargo, args, { cwd: here, encoding: "utf8", stdio: "pipe" });
}
const output = `${build.stdout ?? ""}${build.stderr ?? ""}`;
if (build.error !== undefined || build.status !== 0) {
  const last =
    output
      .trim()
      .split("\n")
      .filter((l) => /^error/.test(l))[0] ?? "see `node native/build.mjs --verbose`";
  fallback(`cargo build failed: ${last}`, output);
}
if (verbose) process.stdout.write(output);

const built =
  {
    linux: "libyara_native.so",
    darwin: "libyara_native.dylib",
    win32: "yara_native.dll",
  }[process.platform] ?? "libyara_native.so";
const from = join(here, "target", testing ? "debug" : "release", built);
if (!existsSync(from)) fallback(`cargo reported success but ${from} is missing`);
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
