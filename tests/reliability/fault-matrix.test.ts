/**
 * Guarantee: whatever fault strikes a Postgres connection, at whatever moment of its life, the
 * process lives on, nothing waits past a bound, no acknowledged write is lost, no transaction is
 * half there and no connection is left open. For each Postgres driver (pg, native) × each fault
 * (backend terminated, server restart, statement timeout, abort signal, connection refused, a
 * server that never answers, close during load) × each moment it can strike (idle, in a query,
 * in a transaction, at connect) — the cells are in support/fault-cells.ts.
 *
 * Each driver's cells run in a child process of their own (support/fault-matrix-child.ts) against
 * a private cluster (pg_createcluster on a free port, dropped afterwards; the shared server is
 * never restarted or stopped): an unhandled "error" event or rejection there is caught and pinned
 * on the cell that caused it instead of killing a test worker, and the child must exit with 0
 * and an empty stderr. After each cell, pg_stat_activity must hold no connection with the
 * cell's application_name.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgDriverKinds } from "./support/drivers.js";
import { cellName, cells, RESULT_PREFIX, type CellResult } from "./support/fault-cells.js";
import { createPrivateCluster, type PrivateCluster } from "./support/private-cluster.js";

const CHILD = fileURLToPath(new URL("./support/fault-matrix-child.ts", import.meta.url));
/** The whole matrix of one driver; the cells have bounds of their own well inside it. */
const CHILD_BOUND_MS = 120_000;

interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly results: Map<string, CellResult>;
  readonly stray: CellResult | undefined;
}

function runChild(driver: string, cluster: PrivateCluster): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: {
        ...process.env,
        YARA_MATRIX_DRIVER: driver,
        YARA_MATRIX_CLUSTER: JSON.stringify(cluster.spec),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_BOUND_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const results = new Map<string, CellResult>();
      let stray: CellResult | undefined;
      for (const line of stdout.split("\n")) {
        if (!line.startsWith(RESULT_PREFIX)) continue;
        const r = JSON.parse(line.slice(RESULT_PREFIX.length)) as CellResult;
        if (r.name === "between cells") stray = r;
        else results.set(r.name, r);
      }
      resolve({ code, signal, stderr, results, stray });
    });
  });
}

describe("Postgres fault matrix", () => {
  const kinds = pgDriverKinds();
  const runs = new Map<string, ChildRun>();
  const clusters: PrivateCluster[] = [];

  beforeAll(async () => {
    const made = await Promise.allSettled(
      kinds.map((k) => createPrivateCluster(`yara_matrix_${k.name}`)),
    );
    for (const m of made) if (m.status === "fulfilled") clusters.push(m.value);
    for (const m of made) if (m.status === "rejected") throw m.reason;
    const done = await Promise.all(kinds.map((k, i) => runChild(k.name, clusters[i]!)));
    for (const [i, k] of kinds.entries()) runs.set(k.name, done[i]!);
  }, CHILD_BOUND_MS + 60_000);

  afterAll(() => {
    const table = [...runs].flatMap(([driver, run]) =>
      cells.map((c) => {
        const r = run.results.get(cellName(c));
        const verdict = r === undefined ? "NOT RUN" : r.ok ? "pass" : "FAIL";
        return (
          `${driver.padEnd(6)} ${verdict.padEnd(7)} ${cellName(c).padEnd(50)} ${r?.ms ?? "-"} ms  ${r?.notes.join("; ") ?? ""}` +
          (r?.error === undefined ? "" : `\n         ${r.error}`) +
          (r?.events.length ? `\n         ${r.events.join("\n         ")}` : "")
        );
      }),
    );
    console.info(`fault matrix:\n${table.join("\n")}`);
    for (const c of clusters) c.drop();
  }, 60_000);

  for (const kind of kinds) {
    describe(kind.name, () => {
      it("the driver's child process exits with 0, nothing on stderr, no event between cells", () => {
        const run = runs.get(kind.name)!;
        expect(run.stray?.events ?? [], "unhandled events between cells").toEqual([]);
        expect(run.stderr, "stderr").toBe("");
        expect([run.code, run.signal], "exit code and signal").toEqual([0, null]);
      });

      for (const cell of cells) {
        it(`${cellName(cell)}: ${cell.checks}`, () => {
          const run = runs.get(kind.name)!;
          const r = run.results.get(cellName(cell));
          expect(
            r,
            `not reported: the child exited with ${run.code ?? run.signal}; stderr: ${run.stderr}`,
          ).toBeDefined();
          expect(r!.events, "unhandled rejections or exceptions while the cell ran").toEqual([]);
          expect(r!.error, r!.notes.join("; ")).toBeUndefined();
          expect(r!.ok).toBe(true);
        });
      }
    });
  }
});
