/**
 * Runs every fault-matrix cell (fault-cells.ts) for one Postgres driver, in a process of its own,
 * so that an unhandled "error" event or rejection — which would kill or taint a test worker — is
 * caught, pinned on the cells running when it came, and reported. One line per cell on stdout:
 * `FAULT-CELL {"name", "ok", "ms", "error"?, "events", "notes"}`; the parent (fault-matrix.test.ts)
 * also checks that this process exits with 0 and writes nothing to stderr.
 *
 *   YARA_MATRIX_DRIVER=pg|native YARA_MATRIX_CLUSTER='{"version","name","port"}' \
 *     node --import tsx tests/reliability/support/fault-matrix-child.ts
 */
import { leakedConnections } from "./backends.js";
import { pgDriverKinds } from "./drivers.js";
import {
  cellName,
  cells,
  RESULT_PREFIX,
  type Cell,
  type CellContext,
  type CellResult,
} from "./fault-cells.js";
import { attachPrivateCluster, type ClusterSpec } from "./private-cluster.js";
import { errorText } from "./write-load.js";

async function main(): Promise<void> {
  const driverName = process.env.YARA_MATRIX_DRIVER;
  const kind = pgDriverKinds().find((k) => k.name === driverName);
  if (kind === undefined)
    throw new Error(`no Postgres driver "${driverName}" to run the matrix on`);
  const cluster = attachPrivateCluster(JSON.parse(process.env.YARA_MATRIX_CLUSTER!) as ClusterSpec);

  const running = new Map<Cell, string[]>();
  const stray: string[] = [];
  // An event belongs to the cell running in turn when it came; a background cell (which only
  // waits on a silent socket) gets those that come between cells.
  const record = (what: string) => (err: unknown) => {
    const line = `${what}: ${errorText(err)}`;
    const now = [...running].filter(([cell]) => cell.background !== true);
    const blamed = now.length > 0 ? now : [...running];
    if (blamed.length === 0) stray.push(line);
    for (const [, events] of blamed) events.push(line);
  };
  process.on("unhandledRejection", record("unhandled rejection"));
  process.on("uncaughtException", record("uncaught exception"));

  const only = process.env.YARA_MATRIX_ONLY;
  const chosen = cells
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => only === undefined || cellName(cell).includes(only));

  async function runCell(cell: Cell, index: number): Promise<CellResult> {
    const app = `yara_matrix_${kind!.name}_${index}`;
    const events: string[] = [];
    const notes: string[] = [];
    running.set(cell, events);
    const ctx: CellContext = {
      kind: kind!,
      cluster,
      app,
      table: `matrix_${kind!.name}_${index}`,
      url: (params = {}) => {
        const u = cluster.url(app);
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
        return u;
      },
      note: (line) => notes.push(line),
    };
    const started = Date.now();
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        cell.run(ctx),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`the cell did not finish within ${cell.boundMs} ms`)),
            cell.boundMs,
          );
        }),
      ]);
    } catch (err) {
      error = errorText(err);
    } finally {
      clearTimeout(timer);
    }
    // Give late events a moment to arrive, then count the connections left behind.
    await new Promise((r) => setTimeout(r, 50));
    running.delete(cell);
    try {
      const leaked = await leakedConnections(cluster.url("yara_matrix_admin"), app);
      if (leaked.length > 0) {
        error ??= `connections left open: backend pid(s) ${leaked.join(", ")}`;
        notes.push(`leaked backend pid(s) ${leaked.join(", ")}`);
      }
    } catch (err) {
      error ??= `cannot count connections left open: ${errorText(err)}`;
    }
    const ok = error === undefined && events.length === 0;
    return { name: cellName(cell), ok, ms: Date.now() - started, error, events, notes };
  }

  const report = (r: CellResult) => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(r)}\n`);
  const background = chosen
    .filter(({ cell }) => cell.background === true)
    .map(({ cell, index }) => runCell(cell, index).then(report));
  for (const { cell, index } of chosen) {
    if (cell.background !== true) report(await runCell(cell, index));
  }
  await Promise.all(background);
  if (stray.length > 0) {
    process.stdout.write(
      `${RESULT_PREFIX}${JSON.stringify({ name: "between cells", ok: false, ms: 0, events: stray, notes: [] })}\n`,
    );
  }
}

main().then(
  // Whatever a hung cell left pending (a close() that never resolves) must not keep us alive.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`fault matrix child failed: ${errorText(err)}\n`);
    process.exit(2);
  },
);
