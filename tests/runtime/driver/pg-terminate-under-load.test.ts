/**
 * Guarantee: on the pg driver, backends terminated by the server (pg_terminate_backend, 57P01)
 * while 32 statements are in flight never crash the process — no connection's "error" event is
 * unheard at any moment of its life (starting up, idle, checked out, in a transaction, closing).
 * The statements on killed connections fail with ConnectionError, the others succeed, and the
 * driver works afterwards. The load runs in a child process (fixtures/pg-terminate-under-load.ts)
 * so a crash shows as its exit status; that process also counts uncaught exceptions and
 * unhandled rejections.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pgUrl } from "../../support/targets.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const fixture = "tests/runtime/driver/fixtures/pg-terminate-under-load.ts";

interface Outcome {
  readonly rounds: number;
  readonly killed: number;
  readonly ok: number;
  readonly failed: Record<string, number>;
  readonly uncaught: number;
  readonly unhandled: number;
  readonly after: number;
}

describe("pg driver: backends terminated under load", () => {
  it("survives 5 rounds of pg_terminate_backend with 32 statements in flight", () => {
    const r = spawnSync(tsx, [fixture, "5"], {
      cwd: root,
      encoding: "utf8",
      timeout: 90_000,
      env: { ...process.env, YARA_PG_URL: pgUrl() },
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const outcome = JSON.parse(r.stdout.trim()) as Outcome;
    expect(outcome).toMatchObject({ rounds: 5, uncaught: 0, unhandled: 0, after: 42 });
    expect(outcome.killed).toBeGreaterThanOrEqual(5);
    expect(outcome.ok).toBeGreaterThan(0);
    expect(Object.keys(outcome.failed)).toEqual(["ConnectionError"]);
  }, 120_000);
});
