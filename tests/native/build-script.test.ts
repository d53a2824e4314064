/**
 * native/build.mjs carrying out its plan, run as `npm install` runs it, in a temporary checkout
 * (a copy of the script with a `.git` marker) with stand-ins on the PATH: `dpkg-query` reporting
 * two of native/debian-packages.txt missing, `apt-get` and `cargo` recording how they were called
 * (cargo "builds" a file). Proves the wiring build-plan.test.ts cannot: the facts gathered, apt-get
 * run before an offline cargo build, cargo's lines passed through, the addon copied into place,
 * and a failing apt-get stopping with the command.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePackageList } from "../../native/build-plan.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const LISTED = parsePackageList(readFileSync(join(root, "native", "debian-packages.txt"), "utf8"));
const MISSING = LISTED.slice(-2);
const isRoot = process.getuid?.() === 0;

let dir: string;
let bin: string;
let log: string;

function script(name: string, body: string): void {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "yara-build-"));
  bin = join(dir, "bin");
  log = join(dir, "calls.log");
  mkdirSync(bin);
  const checkout = join(dir, "checkout");
  mkdirSync(join(checkout, ".git"), { recursive: true });
  mkdirSync(join(checkout, "native"));
  for (const file of ["build.mjs", "build-plan.mjs", "debian-packages.txt"]) {
    copyFileSync(join(root, "native", file), join(checkout, "native", file));
  }
  writeFileSync(join(checkout, "native", "Cargo.toml"), "");
  const installed = LISTED.filter((p) => !MISSING.includes(p));
  script(
    "dpkg-query",
    installed.map((p) => `echo "${p} ii "`).join("\n") + "\nexit 1 # some are unknown",
  );
  script(
    "apt-get",
    `echo "apt-get $*" >> "${log}"\n[ "$1" = "--version" ] && exit 0\nexit "\${APT_STATUS:-0}"`,
  );
  script(
    "cargo",
    [
      `echo "cargo $*" >> "${log}"`,
      `[ "$1" = "--version" ] && { echo "cargo 1.95.0"; exit 0; }`,
      `manifest=""; prev=""; for a in "$@"; do [ "$prev" = "--manifest-path" ] && manifest="$a"; prev="$a"; done`,
      `echo "   Compiling yara-native v0.1.0" >&2`,
      `[ -n "$CARGO_STATUS" ] && { echo "error: could not compile \\\`yara-native\\\`" >&2; exit "$CARGO_STATUS"; }`,
      `mkdir -p "$(dirname "$manifest")/target/release"`,
      `echo built > "$(dirname "$manifest")/target/release/libyara_native.so"`,
      `echo "    Finished release profile" >&2`,
    ].join("\n"),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(env: Record<string, string> = {}) {
  rmSync(log, { force: true });
  const r = spawnSync(process.execPath, [join(dir, "checkout", "native", "build.mjs")], {
    encoding: "utf8",
    timeout: 60_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      CARGO: join(bin, "cargo"),
      YARA_SKIP_NATIVE: "",
      YARA_REQUIRE_NATIVE: "",
      ...env,
    },
  });
  const calls = existsSync(log) ? readFileSync(log, "utf8").trimEnd().split("\n") : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

describe("native/build.mjs in a checkout on a Debian machine without the crate sources", () => {
  it(
    isRoot
      ? "as root: installs the missing packages with apt-get, then builds offline, with cargo's lines"
      : "not root: builds from the registry and installs nothing",
    () => {
      const r = build();
      expect(r.status, r.stderr).toBe(0);
      const cargoBuild = r.calls.find((c) => c.startsWith("cargo build"));
      if (isRoot) {
        expect(r.calls.filter((c) => c.startsWith("apt-get") && !c.includes("--version"))).toEqual([
          "apt-get update -qq",
          `apt-get install -y -qq --no-install-recommends ${MISSING.join(" ")}`,
        ]);
        expect(r.stderr).toContain(
          `yara: installing Debian's crate sources for the offline build (no crates registry needed): apt-get install -y --no-install-recommends ${MISSING.join(" ")}`,
        );
        expect(cargoBuild).toMatch(/ --offline --config source\.crates-io\.replace-with="debian" /);
      } else {
        expect(r.calls.some((c) => c.startsWith("apt-get install"))).toBe(false);
        expect(cargoBuild).not.toContain("--offline");
      }
      expect(r.stderr).toContain("   Compiling yara-native v0.1.0\n");
      expect(readFileSync(join(dir, "checkout", "native", "yara_native.node"), "utf8")).toBe(
        "built\n",
      );
      expect(r.stdout).toMatch(
        /^yara: native engine built \(.*yara_native\.node\) with system SQLite/,
      );
    },
  );

  it("a failed step stops with the command to run, and builds nothing", () => {
    rmSync(join(dir, "checkout", "native", "yara_native.node"), { force: true });
    const failed = build({ CARGO_STATUS: "101" });
    expect(failed.status).toBe(1);
    const install = `apt-get install -y --no-install-recommends ${MISSING.join(" ")}`;
    expect(failed.stderr).toContain(
      "yara: cargo build failed: error: could not compile `yara-native`. ",
    );
    // As root the packages were just installed: the hint is about their versions; otherwise
    // it is the command that would install them.
    expect(failed.stderr).toContain(
      isRoot ? "the offline build uses /usr/share/cargo/registry" : `sudo ${install}`,
    );
    expect(failed.stderr).toMatch(
      /Fix that and run `node native\/build\.mjs` again; YARA_SKIP_NATIVE=1 uses the pg \/ better-sqlite3 drivers instead\.\n$/,
    );
    expect(existsSync(join(dir, "checkout", "native", "yara_native.node"))).toBe(false);
    if (isRoot) {
      // apt-get runs only as root: its failure stops before cargo.
      const apt = build({ APT_STATUS: "100" });
      expect(apt.status).toBe(1);
      expect(apt.calls.some((c) => c.startsWith("cargo build"))).toBe(false);
      expect(apt.stderr).toContain(
        "yara: `apt-get update -qq` failed (see above); " +
          `run \`apt-get update && ${install}\` yourself, then \`node native/build.mjs\``,
      );
    }
  });
});
