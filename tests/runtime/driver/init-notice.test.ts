/**
 * "Say what you use": when `YaraOrm.init` falls back to a JavaScript driver although the native
 * engine was expected (no `driver` option), it writes one line to stderr with the reason and the
 * fix — once per process; asking for a driver, or the engine loading, says nothing. SQLite with
 * neither the engine nor better-sqlite3 fails naming both. Each case is a child process (the
 * engine loads once per process, and the notice is once per process).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pgUrl } from "../../support/targets.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = "tests/runtime/driver/fixtures/init-drivers.ts";
const hide = "./tests/runtime/driver/fixtures/without-better-sqlite3.mjs";
const MISSING = "/nonexistent/yara_native.node";
const BUILT = fileURLToPath(new URL("../../../native/yara_native.node", import.meta.url));

function init(specs: string[], env: Record<string, string>, imports: string[] = []) {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", ...imports.flatMap((i) => ["--import", i]), fixture, ...specs],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, YARA_REQUIRE_NATIVE: "", YARA_PG_URL: pgUrl(), ...env },
    },
  );
  const picked = r.stdout
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, string>);
  return { status: r.status, picked, stderr: r.stderr };
}

const NOTICE =
  /^yara: native engine not loaded \(YARA_NATIVE_ADDON names \/nonexistent\/yara_native\.node, which does not exist\); using (pg|better-sqlite3) instead\. Fix: point YARA_NATIVE_ADDON at a built yara_native\.node, or unset it; or pass \{ driver: "\1" \} to YaraOrm\.init to choose \1 without this notice$/;

describe("YaraOrm.init without the native engine", () => {
  it("says so once per process, in one line with the reason and the fix", () => {
    const r = init(["sqlite", "sqlite", "postgres"], { YARA_NATIVE_ADDON: MISSING });
    expect(r.picked).toEqual([
      { sqlite: "better-sqlite3" },
      { sqlite: "better-sqlite3" },
      { postgres: "pg" },
    ]);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(NOTICE);
    expect(lines[0]).toContain("using better-sqlite3 instead");
  });

  it("names pg when a Postgres URL is the first to fall back", () => {
    const r = init(["postgres", "sqlite"], { YARA_NATIVE_ADDON: MISSING });
    expect(r.picked).toEqual([{ postgres: "pg" }, { sqlite: "better-sqlite3" }]);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(NOTICE);
    expect(lines[0]).toContain("using pg instead");
  });

  it("says nothing when the driver is asked for", () => {
    const r = init(["sqlite:better-sqlite3", "postgres:pg"], { YARA_NATIVE_ADDON: MISSING });
    expect(r.picked).toEqual([
      { "sqlite:better-sqlite3": "better-sqlite3" },
      { "postgres:pg": "pg" },
    ]);
    expect(r.stderr).toBe("");
  });

  it("says nothing when the engine loads", () => {
    const r = init(["sqlite", "postgres"], { YARA_NATIVE_ADDON: BUILT });
    expect(r.picked).toEqual([{ sqlite: "native" }, { postgres: "native" }]);
    expect(r.stderr).toBe("");
  });
});

describe("SQLite with neither the native engine nor better-sqlite3", () => {
  it("names both and both fixes when better-sqlite3 is not installed", () => {
    const r = init(["sqlite", "postgres"], { YARA_NATIVE_ADDON: MISSING }, [hide]);
    expect(r.picked[0]?.sqlite).toBe(
      "ConfigurationError: SQLite needs the native engine or better-sqlite3, and neither is available: " +
        `the native engine is not loaded (YARA_NATIVE_ADDON names ${MISSING}, which does not exist), ` +
        "and better-sqlite3 is not installed. Fix: point YARA_NATIVE_ADDON at a built yara_native.node, " +
        'or unset it; or run `npm install better-sqlite3` and pass { driver: "better-sqlite3" }',
    );
    // Postgres still falls back to pg, and that is the first (and only) notice.
    expect(r.picked[1]).toEqual({ postgres: "pg" });
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/using pg instead/)]);
  });

  it("tells a missing binding from a missing package", () => {
    const r = init(["sqlite"], { YARA_NATIVE_ADDON: MISSING, HIDE_BETTER_SQLITE3: "binding" }, [
      hide,
    ]);
    expect(r.picked[0]?.sqlite).toMatch(
      /^ConfigurationError: SQLite needs the native engine or better-sqlite3, and neither is available: .*and better-sqlite3 is installed but its native binding could not be loaded\. .*`npm rebuild better-sqlite3`/,
    );
    expect(r.stderr).toBe("");
  });

  it("asked for better-sqlite3 explicitly, blames its binding rather than the database file", () => {
    const r = init(["sqlite:better-sqlite3"], { HIDE_BETTER_SQLITE3: "binding" }, [hide]);
    expect(r.picked[0]?.["sqlite:better-sqlite3"]).toBe(
      "ConfigurationError: better-sqlite3 is installed but its native binding could not be loaded " +
        '(allow its install script, e.g. "allowScripts": { "better-sqlite3": true }, then run `npm rebuild better-sqlite3`)',
    );
  });
});
