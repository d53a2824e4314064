/**
 * Without the native addon: in a checkout `npm install` (native/build.mjs) stops with the command
 * to run unless YARA_SKIP_NATIVE=1, an installed copy builds nothing, and `YaraOrm.init` falls
 * back to the JavaScript driver — or, asked for "native", explains. Each case runs in a child
 * process (the addon loads once per process).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const fixture = "tests/runtime/driver/fixtures/init-without-native.ts";
const MISSING = "/nonexistent/yara_native.node";

function run(command: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, YARA_REQUIRE_NATIVE: "", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("without the native addon", () => {
  it("falls back to better-sqlite3 when the driver is unset, and explains when native is asked for", () => {
    const r = run(tsx, [fixture], { YARA_NATIVE_ADDON: MISSING });
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines[0]).toEqual({ unset: "better-sqlite3" });
    expect(lines[1]?.native).toMatch(
      /^ConfigurationError: the "native" driver is not available: YARA_NATIVE_ADDON names \/nonexistent\/yara_native\.node, which does not exist\. Fix: point YARA_NATIVE_ADDON at .*; or use driver "better-sqlite3" or leave driver unset$/,
    );
  });

  it("fails init with the cause under YARA_REQUIRE_NATIVE=1", () => {
    const r = run(tsx, [fixture], { YARA_NATIVE_ADDON: MISSING, YARA_REQUIRE_NATIVE: "1" });
    const first = JSON.parse(r.stdout.trim().split("\n")[0] ?? "{}") as Record<string, string>;
    expect(first.unset).toMatch(
      /^ConfigurationError: YARA_REQUIRE_NATIVE=1 but the native addon cannot be used: YARA_NATIVE_ADDON names \/nonexistent\/yara_native\.node, which does not exist/,
    );
  });

  it("stops a checkout's install without a Rust toolchain, with the command to run", () => {
    const r = run(process.execPath, ["native/build.mjs"], { CARGO: "/nonexistent/cargo" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^yara: cannot build the native engine: `cargo` was not found on PATH\. Install Rust: curl .*https:\/\/sh\.rustup\.rs.*, then run `node native\/build\.mjs`.*To use the pg \/ better-sqlite3 drivers instead, set YARA_SKIP_NATIVE=1\.\n$/,
    );
  });

  it("goes on without the engine in a checkout only under YARA_SKIP_NATIVE=1, saying so in one line", () => {
    const r = run(process.execPath, ["native/build.mjs"], {
      CARGO: "/nonexistent/cargo",
      YARA_SKIP_NATIVE: "1",
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      "yara: YARA_SKIP_NATIVE=1: native engine not built; yara uses the pg / better-sqlite3 " +
        "drivers (YaraOrm.init says so once per process)\n",
    );
    const required = run(process.execPath, ["native/build.mjs"], {
      CARGO: "/nonexistent/cargo",
      YARA_SKIP_NATIVE: "1",
      YARA_REQUIRE_NATIVE: "1",
    });
    expect(required.status).toBe(1);
    expect(required.stderr).toMatch(/^yara: cannot build the native engine/);
  });

  it("builds nothing in an installed copy (inside node_modules), toolchain or not", () => {
    const app = mkdtempSync(join(tmpdir(), "yara-installed-"));
    try {
      const native = join(app, "node_modules", "yara-orm", "native");
      mkdirSync(native, { recursive: true });
      for (const file of ["build.mjs", "build-plan.mjs", "debian-packages.txt"]) {
        copyFileSync(join(root, "native", file), join(native, file));
      }
      const r = run(process.execPath, [join(native, "build.mjs")], {
        CARGO: "/nonexistent/cargo",
        YARA_REQUIRE_NATIVE: "1",
      });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(/^yara: installed package: nothing to build/);
      expect(existsSync(join(native, "yara_native.node"))).toBe(false);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
