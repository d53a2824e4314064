/**
 * `yara-gen doctor`, run as a user would (a child process, `tsx generator/cli.ts doctor`), with
 * the engine loaded (YARA_NATIVE_ADDON at the repository's build) and without it; and its
 * formatting, line by line, from a made-up diagnosis.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnosis } from "../../runtime/driver/diagnose.js";
import { currentPlatform, platformTriple } from "../../runtime/driver/native/platform.js";
import { formatDiagnosis } from "../../generator/doctor.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const BUILT = fileURLToPath(new URL("../../native/yara_native.node", import.meta.url));
const MISSING = "/nonexistent/yara_native.node";
const TRIPLE = platformTriple(currentPlatform());

function doctor(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "generator/cli.ts", "doctor", ...args],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, YARA_REQUIRE_NATIVE: "", ...env },
    },
  );
  return { status: r.status, lines: r.stdout.trimEnd().split("\n"), stderr: r.stderr };
}

const SQLITE_VERSION = /^\d+\.\d+\.\d+$/;

describe("yara-gen doctor", { timeout: 120_000 }, () => {
  it("prints the engine, where it came from, the drivers and both SQLite builds", () => {
    const r = doctor({ YARA_NATIVE_ADDON: BUILT });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.lines.slice(0, 8)).toEqual([
      `node:                   ${process.version}`,
      `platform:               ${TRIPLE}`,
      `engine package:         @yara-orm/engine-${TRIPLE}`,
      `engine:                 loaded from YARA_NATIVE_ADDON: ${BUILT}`,
      `looked at:              ${BUILT} (YARA_NATIVE_ADDON): loaded`,
      "postgres driver:        native",
      "sqlite driver:          native",
      expect.stringMatching(/^sqlite native:          \d+\.\d+\.\d+$/),
    ]);
    expect(r.lines[8]).toMatch(/^ {24}compile options \(\d+\): /);
    expect(r.lines.join("\n")).toMatch(/ THREADSAFE=\d/);
    expect(r.lines.find((l) => l.startsWith("sqlite better-sqlite3:"))).toMatch(
      /^sqlite better-sqlite3:  \d+\.\d+\.\d+/,
    );
    expect(r.lines.slice(-2)).toEqual([
      expect.stringMatching(/^pg:                     \d+\.\d+\.\d+$/),
      expect.stringMatching(/^better-sqlite3:         \d+\.\d+\.\d+$/),
    ]);
  });

  it("says why the engine is not loaded, the fix, and the drivers used instead; exit 0", () => {
    const r = doctor({ YARA_NATIVE_ADDON: MISSING });
    expect(r.status).toBe(0);
    expect(r.lines.slice(3, 10)).toEqual([
      `engine:                 not loaded: YARA_NATIVE_ADDON names ${MISSING}, which does not exist`,
      "fix:                    point YARA_NATIVE_ADDON at a built yara_native.node, or unset it",
      `looked at:              ${MISSING} (YARA_NATIVE_ADDON): no such file`,
      "postgres driver:        pg (the native engine is not loaded)",
      "sqlite driver:          better-sqlite3 (the native engine is not loaded)",
      "sqlite native:          not available: the native engine is not loaded",
      expect.stringMatching(/^sqlite better-sqlite3:  \d+\.\d+\.\d+$/),
    ]);
    expect(r.lines[10]).toMatch(/^ {24}compile options \(\d+\): /);
  });

  it("refuses arguments it does not know (exit 2)", () => {
    const r = doctor({}, "--json");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^yara-gen doctor: unexpected argument "--json"\n\nUsage: yara-gen doctor/,
    );
  });
});

describe("formatDiagnosis", () => {
  const base: Diagnosis = {
    node: "v20.20.2",
    triple: "linux-x64-gnu",
    enginePackage: "@yara-orm/engine-linux-x64-gnu",
    engine: {
      loaded: true,
      source: "platform-package",
      path: "/app/node_modules/@yara-orm/engine-linux-x64-gnu/yara_native.node",
      tried: ["@yara-orm/engine-linux-x64-gnu (/app/…/yara_native.node): loaded"],
    },
    drivers: { postgres: { driver: "native" }, sqlite: { driver: "native" } },
    sqlite: [
      { driver: "native", version: "3.53.0", compileOptions: ["DQS=0", "THREADSAFE=2"] },
      { driver: "better-sqlite3", version: "3.53.0", compileOptions: ["DQS=0", "THREADSAFE=2"] },
    ],
    packages: { pg: "8.23.1", "better-sqlite3": undefined },
  };

  it("one fact per line; a second identical SQLite build is named, not repeated", () => {
    expect(formatDiagnosis(base)).toEqual([
      "node:                   v20.20.2",
      "platform:               linux-x64-gnu",
      "engine package:         @yara-orm/engine-linux-x64-gnu",
      "engine:                 loaded from the platform package: /app/node_modules/@yara-orm/engine-linux-x64-gnu/yara_native.node",
      "looked at:              @yara-orm/engine-linux-x64-gnu (/app/…/yara_native.node): loaded",
      "postgres driver:        native",
      "sqlite driver:          native",
      "sqlite native:          3.53.0",
      "                        compile options (2): DQS=0 THREADSAFE=2",
      "sqlite better-sqlite3:  3.53.0, the same build as sqlite native",
      "pg:                     8.23.1",
      "better-sqlite3:         not installed",
    ]);
  });

  it("says when no database can use SQLite, and on a platform without a package", () => {
    const lines = formatDiagnosis({
      ...base,
      triple: "freebsd-x64",
      enginePackage: undefined,
      engine: {
        loaded: false,
        source: null,
        problem: "platform not supported: no prebuilt engine for freebsd-x64, and no local build",
        fix: "build one",
        tried: [
          "platform package: none published for freebsd-x64",
          "/r/native/yara_native.node: not built",
        ],
      },
      drivers: {
        postgres: { driver: "pg" },
        sqlite: { driver: null, problem: "better-sqlite3 is not installed" },
      },
      sqlite: [
        { driver: "native", problem: "the native engine is not loaded" },
        { driver: "better-sqlite3", problem: "better-sqlite3 is not installed" },
      ],
    });
    expect(lines.slice(2, 12)).toEqual([
      "engine package:         none published for freebsd-x64",
      "engine:                 not loaded: platform not supported: no prebuilt engine for freebsd-x64, and no local build",
      "fix:                    build one",
      "looked at:              platform package: none published for freebsd-x64",
      "                        /r/native/yara_native.node: not built",
      "postgres driver:        pg (the native engine is not loaded)",
      "sqlite driver:          none: better-sqlite3 is not installed",
      "sqlite native:          not available: the native engine is not loaded",
      "sqlite better-sqlite3:  not available: better-sqlite3 is not installed",
      "pg:                     8.23.1",
    ]);
  });
});
