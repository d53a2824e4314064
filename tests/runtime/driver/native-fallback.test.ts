/**
 * Without the native addon: `npm install` says so in one line and goes on (or fails, under
 * YARA_REQUIRE_NATIVE=1), and `YaraOrm.init` falls back to the JavaScript driver — or, asked
 * for "native", explains. Each case runs in a child process (the addon loads once per process).
 */
import { spawnSync } from "node:child_process";
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
      /^ConfigurationError: the "native" driver is not available.*use driver "better-sqlite3"/,
    );
  });

  it("fails init with the cause under YARA_REQUIRE_NATIVE=1", () => {
    const r = run(tsx, [fixture], { YARA_NATIVE_ADDON: MISSING, YARA_REQUIRE_NATIVE: "1" });
    const first = JSON.parse(r.stdout.trim().split("\n")[0] ?? "{}") as Record<string, string>;
    expect(first.unset).toMatch(
      /^ConfigurationError: YARA_REQUIRE_NATIVE=1 but the native addon cannot be used: YARA_NATIVE_ADDON names \/nonexistent\/yara_native\.node, which does not exist/,
    );
  });

  it("prints one line and succeeds when there is no Rust toolchain at install time", () => {
    const r = run(process.execPath, ["native/build.mjs"], { CARGO: "/nonexistent/cargo" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "yara: native engine not built (no Rust toolchain: `cargo` was not found on PATH; install Rust to build it); " +
        "using the pg / better-sqlite3 drivers instead\n",
    );
  });

  it("fails the install without a toolchain under YARA_REQUIRE_NATIVE=1", () => {
    const r = run(process.execPath, ["native/build.mjs"], {
      CARGO: "/nonexistent/cargo",
      YARA_REQUIRE_NATIVE: "1",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^yara: the native engine is required \(YARA_REQUIRE_NATIVE=1\) but no Rust toolchain/,
    );
  });
});
