/**
 * The cells of the Postgres fault matrix (fault-matrix.test.ts): each fault at each moment of a
 * connection's life where it can strike. A cell opens its driver with its own application_name
 * on the driver's private cluster, injects the fault, and asserts what must hold afterwards:
 * statements fail only with the error the fault explains (ConnectionError, or DatabaseError 57014
 * for a timeout or a cancel), nothing waits past a bound, every acknowledged write is there, no
 * transaction is half there. The runner (fault-matrix-child.ts) adds to every cell: no unhandled
 * rejection or exception while it ran, and no connection of its application_name left open.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import type { PoolOptions } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { ConnectionError, DatabaseError } from "../../../runtime/errors.js";
import { freePort } from "../../support/free-port.js";
import { backendPids, terminateBackend } from "./backends.js";
import type { PgDriverKind } from "./drivers.js";
import type { PrivateCluster } from "./private-cluster.js";
import { checkLedger, errorText, startLoad } from "./write-load.js";

export type Fault =
  | "backend terminated"
  | "server restart"
  | "statement timeout"
  | "abort signal"
  | "connection refused"
  | "server never answers"
  | "close during load";
export type Moment = "idle" | "query" | "transaction" | "connect";

export interface CellContext {
  readonly kind: PgDriverKind;
  readonly cluster: PrivateCluster;
  /** This cell's application_name; its connections are the only ones it may terminate. */
  readonly app: string;
  /** A table name of this cell's own. */
  readonly table: string;
  /** The cluster's URL tagged with `app`, plus `params`. */
  url(params?: Record<string, string>): URL;
  /** A line the report shows beside the cell (what happened, e.g. which outcome a race took). */
  note(line: string): void;
}

export interface Cell {
  readonly fault: Fault;
  readonly moment: Moment;
  /** Tells cells of the same fault and moment apart. */
  readonly variant?: string;
  /** What the cell checks, for the report. */
  readonly checks: string;
  /** The cell fails if it runs longer (a hang), on top of each statement's own bound. */
  readonly boundMs: number;
  /** Runs beside the others (it mostly waits), instead of in turn. */
  readonly background?: boolean;
  run(ctx: CellContext): Promise<void>;
}

/** How the child reports a cell: one line, this prefix, then the JSON. */
export const RESULT_PREFIX = "FAULT-CELL ";

export interface CellResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
  /** Unhandled rejections and exceptions seen while the cell ran. */
  readonly events: string[];
  readonly notes: string[];
}

export const cellName = (c: Pick<Cell, "fault" | "moment" | "variant">): string =>
  `${c.fault} @ ${c.moment}${c.variant === undefined ? "" : ` (${c.variant})`}`;

/**
 * The default connect timeout the drivers promise (issue: a server that accepts TCP and never
 * answers must not hold `init` until the socket drops). Bound, not target: the drivers' default
 * must be at most this.
 */
export const DEFAULT_CONNECT_TIMEOUT_BOUND_MS = 31_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `p`'s outcome (value or error) within `ms`; a hang is an assertion failure naming `what`. */
export async function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T | Error> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((r) => (timer = setTimeout(() => r("hang"), ms)));
  try {
    const r = await Promise.race([p.catch((e: unknown) => toError(e)), hang]);
    if (r === "hang") assert.fail(`${what} did not settle within ${ms} ms`);
    return r;
  } finally {
    clearTimeout(timer);
  }
}

function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(`a non-Error was thrown: ${String(e)}`);
}

/** `value` must be an error of `cls`; its message must match `pattern` when given. */
function expectError(
  value: unknown,
  cls: typeof ConnectionError | typeof DatabaseError,
  what: string,
  pattern?: RegExp,
): asserts value is Error {
  assert.ok(value instanceof cls, `${what}: expected ${cls.name}, got ${errorText(value)}`);
  if (pattern !== undefined) {
    assert.match(value.message, pattern, `${what}: the message does not name the problem`);
  }
}

/** Succeeds (a value) or fails with ConnectionError: anything else fails the cell. */
function okOrConnectionError<T>(r: T | Error, what: string): r is T {
  if (!(r instanceof Error)) return true;
  expectError(r, ConnectionError, what);
  return false;
}

/** Opens the driver within 10 s (open must not hang), or fails the cell. */
async function open(ctx: CellContext, pool: PoolOptions, params?: Record<string, string>) {
  const d = await bounded(ctx.kind.open(ctx.url(params), pool), 10_000, "open()");
  if (d instanceof Error) throw d;
  return d;
}

/**
 * Opens a driver, creates `ctx.table (id BIGINT PRIMARY KEY, task INTEGER)`, runs `fn`, and
 * closes it (close must settle within 10 s). The runner then counts the connections left.
 */
async function withDriver(
  ctx: CellContext,
  pool: PoolOptions,
  fn: (d: Driver) => Promise<void>,
  params?: Record<string, string>,
): Promise<void> {
  const driver = await open(ctx, pool, params);
  try {
    await createTable(driver, ctx);
    await fn(driver);
  } finally {
    const closed = await bounded(driver.close(), 10_000, "close()");
    if (closed instanceof Error) throw closed;
  }
}

/** A fresh `ctx.table (id BIGINT PRIMARY KEY, task INTEGER)`. */
async function createTable(d: Driver, ctx: CellContext): Promise<void> {
  await d.execute(`DROP TABLE IF EXISTS ${ctx.table}`, []);
  await d.execute(`CREATE TABLE ${ctx.table} (id BIGINT PRIMARY KEY, task INTEGER)`, []);
}

const pidOf = async (d: Driver | Pick<Driver, "query">): Promise<number> =>
  (await d.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);

/** The ids in the cell's table, over a connection of the test's own (the driver may be closed). */
async function idsOf(ctx: CellContext): Promise<Set<number>> {
  const client = new pg.Client({ connectionString: ctx.cluster.url("yara_matrix_admin").href });
  await client.connect();
  try {
    const res = await client.query<{ id: string }>(`SELECT id FROM ${ctx.table}`);
    return new Set(res.rows.map((r) => Number(r.id)));
  } finally {
    await client.end();
  }
}

const sorted = (ids: Set<number>): number[] => [...ids].sort((a, b) => a - b);

/** Terminates every backend of `ctx.app`; returns their pids. */
async function terminateAll(ctx: CellContext): Promise<number[]> {
  const pids = await backendPids(ctx.cluster.url("yara_matrix_admin"), ctx.app);
  for (const pid of pids) await terminate(ctx, pid);
  return pids;
}

function terminate(ctx: CellContext, pid: number): Promise<boolean> {
  return terminateBackend(ctx.cluster.url("yara_matrix_admin"), ctx.app, pid);
}

/**
 * Until `stop()`: terminates every backend of `ctx.app` every `everyMs` (over one connection of
 * its own, so it keeps up with a pool that reconnects). `stop()` returns how many it terminated.
 */
async function keepTerminating(ctx: CellContext, everyMs: number) {
  const client = new pg.Client({ connectionString: ctx.cluster.url("yara_matrix_admin").href });
  await client.connect();
  let on = true;
  let killed = 0;
  const loop = (async () => {
    while (on) {
      const res = await client.query<{ n: number }>(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1",
        [ctx.app],
      );
      killed += res.rows[0]!.n;
      await sleep(everyMs);
    }
  })();
  loop.catch(() => undefined); // stop() reports a failure; it must not surface as unhandled
  return {
    stop: async (): Promise<number> => {
      on = false;
      await loop;
      await client.end();
      return killed;
    },
  };
}

/**
 * After a fault: statements fail only with ConnectionError until one succeeds (within
 * `ms`), and then the next 5 all succeed.
 */
async function recovers(d: Driver, ms: number): Promise<number> {
  const started = Date.now();
  let failures = 0;
  for (;;) {
    const r = await bounded(d.query("SELECT 1", []), 5000, "a statement after the fault");
    if (okOrConnectionError(r, "a statement after the fault")) break;
    failures++;
    assert.ok(Date.now() - started < ms, `no statement succeeded within ${ms} ms of the fault`);
    await sleep(50);
  }
  for (let i = 0; i < 5; i++) {
    const r = await bounded(d.query("SELECT 1", []), 5000, "a statement after recovery");
    assert.ok(!(r instanceof Error), `after recovery: ${errorText(r)}`);
  }
  return failures;
}

/** Up to `n` statements at once, so the pool opens several connections. */
async function warm(d: Driver, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, () => d.query("SELECT pg_sleep(0.02)", [])));
}

/**
 * The 'query' moment of a fault: 16 writers (single inserts and two-row transactions) run, `fault`
 * strikes among them, statements must recover, and the ledger must match the table.
 */
async function loadThrough(
  ctx: CellContext,
  fault: (d: Driver) => Promise<void>,
  { tasks = 16, recoverMs = 10_000 } = {},
): Promise<void> {
  await withDriver(ctx, { max: 4, acquireTimeoutMs: 5000 }, async (d) => {
    const load = startLoad(d, ctx.table, tasks);
    await sleep(200);
    const before = load.ledger.acked.size;
    await fault(d);
    const failures = await recovers(d, recoverMs);
    await sleep(200);
    const ledger = await bounded(load.stop(), 10_000, "the load's statements");
    if (ledger instanceof Error) throw ledger;
    assert.ok(before > 0, "no write was acknowledged before the fault");
    assert.ok(ledger.acked.size > before, "no write was acknowledged after the fault");
    checkLedger(ledger, await idsOf(ctx));
    ctx.note(
      `${ledger.acked.size} writes acknowledged, ${ledger.errors.length} failed with ConnectionError, ` +
        `${failures} probe(s) failed before recovery`,
    );
  });
}

/**
 * A transaction that inserts row 2 (row 1 was committed before), then suffers `fault`, then
 * inserts row 3: it must fail with `expected`, leave only row 1, and its connection must never
 * be handed out again when `replaced`.
 */
async function transactionThrough(
  ctx: CellContext,
  fault: (tx: Driver, pid: number) => Promise<void>,
  expected: {
    cls: typeof ConnectionError | typeof DatabaseError;
    code?: string;
    replaced: boolean;
  },
  params?: Record<string, string>,
): Promise<void> {
  await withDriver(
    ctx,
    { max: 2 },
    async (d) => {
      await d.execute(`INSERT INTO ${ctx.table} VALUES (1, 0)`, []);
      let txPid = 0;
      const r = await bounded(
        d.transaction(async (tx) => {
          txPid = await pidOf(tx);
          await tx.execute(`INSERT INTO ${ctx.table} VALUES (2, 0)`, []);
          await fault(tx, txPid);
          await tx.execute(`INSERT INTO ${ctx.table} VALUES (3, 0)`, []);
        }),
        15_000,
        "the transaction",
      );
      expectError(r, expected.cls, "the transaction");
      if (expected.code !== undefined) {
        assert.equal((r as DatabaseError).code, expected.code, "SQLSTATE");
      }
      await recovers(d, 10_000);
      assert.deepEqual(sorted(await idsOf(ctx)), [1], "rows after the failed transaction");
      const pids = await Promise.all(Array.from({ length: 6 }, () => pidOf(d)));
      if (expected.replaced) assert.ok(!pids.includes(txPid), "the broken connection came back");
      else assert.ok(pids.includes(txPid), "the connection was dropped although it was healthy");
      // Transactions commit normally afterwards.
      await d.transaction((tx) => tx.execute(`INSERT INTO ${ctx.table} VALUES (4, 0)`, []));
      assert.deepEqual(sorted(await idsOf(ctx)), [1, 4], "rows at the end");
    },
    params,
  );
}

/** A TCP server on a free loopback port that accepts connections and never writes a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function silentUrl(ctx: CellContext, port: number, params: Record<string, string> = {}): URL {
  const u = ctx.url(params);
  u.port = String(port);
  return u;
}

export const cells: readonly Cell[] = [
  // --- pg_terminate_backend -------------------------------------------------------------------
  {
    fault: "backend terminated",
    moment: "idle",
    checks:
      "every idle connection terminated; statements then fail only with ConnectionError, the pool replaces them",
    boundMs: 15_000,
    run: (ctx) =>
      withDriver(ctx, { max: 3 }, async (d) => {
        await warm(d, 6);
        const killed = await terminateAll(ctx);
        assert.ok(killed.length > 0, "no idle connection to terminate");
        await sleep(100);
        const failures = await recovers(d, 5000);
        const pids = await Promise.all(Array.from({ length: 6 }, () => pidOf(d)));
        for (const p of pids) assert.ok(!killed.includes(p), "a terminated connection came back");
        ctx.note(`${killed.length} terminated, ${failures} statement(s) failed before recovery`);
      }),
  },
  {
    fault: "backend terminated",
    moment: "query",
    checks:
      "every connection terminated every 20 ms for 1 s under 16 writers: no crash, only ConnectionErrors, acknowledged writes kept, transactions whole",
    boundMs: 20_000,
    run: (ctx) =>
      loadThrough(ctx, async () => {
        const killer = await keepTerminating(ctx, 20);
        await sleep(1000);
        const killed = await killer.stop();
        assert.ok(killed > 0, "no connection was terminated");
        ctx.note(`${killed} backends terminated`);
      }),
  },
  {
    fault: "backend terminated",
    moment: "transaction",
    checks:
      "the transaction fails with ConnectionError, none of it is committed, its connection is never reused",
    boundMs: 20_000,
    run: (ctx) =>
      transactionThrough(
        ctx,
        async (_tx, pid) => {
          assert.ok(await terminate(ctx, pid), "the transaction's backend was not terminated");
          await sleep(50);
        },
        { cls: ConnectionError, replaced: true },
      ),
  },
  {
    fault: "backend terminated",
    moment: "connect",
    checks:
      "backends terminated as soon as they appear while drivers open: open() fails with ConnectionError or the driver works",
    boundMs: 20_000,
    run: async (ctx) => {
      const killer = await keepTerminating(ctx, 0);
      const outcomes = { refused: 0, opened: 0, brokenAfterOpen: 0 };
      let killed: number;
      try {
        for (let i = 0; i < 12; i++) {
          const d = await bounded(ctx.kind.open(ctx.url(), { max: 2 }), 10_000, "open()");
          if (!okOrConnectionError(d, "open() while backends are terminated")) {
            outcomes.refused++;
            continue;
          }
          outcomes.opened++;
          const r = await bounded(d.query("SELECT 1", []), 5000, "a statement");
          if (!okOrConnectionError(r, "a statement while backends are terminated"))
            outcomes.brokenAfterOpen++;
          const closed = await bounded(d.close(), 10_000, "close()");
          if (closed instanceof Error) throw closed;
        }
      } finally {
        killed = await killer.stop();
      }
      ctx.note(
        `${killed} backends terminated; open() failed ${outcomes.refused}×, succeeded ${outcomes.opened}× ` +
          `(${outcomes.brokenAfterOpen}× the next statement failed)`,
      );
      assert.ok(outcomes.refused + outcomes.brokenAfterOpen > 0, "no termination hit a connection");
      const d = await open(ctx, { max: 1 });
      await recovers(d, 1000);
      await d.close();
    },
  },

  // --- server restart (the driver's private cluster) ------------------------------------------
  {
    fault: "server restart",
    moment: "idle",
    checks:
      "a restart while every connection idles: statements fail only with ConnectionError, then the pool reconnects",
    boundMs: 25_000,
    run: (ctx) =>
      withDriver(ctx, { max: 3 }, async (d) => {
        await warm(d, 6);
        await ctx.cluster.restart();
        const failures = await recovers(d, 10_000);
        ctx.note(`${failures} statement(s) failed before recovery`);
      }),
  },
  {
    fault: "server restart",
    moment: "query",
    checks:
      "a restart under 16 writers: statements in flight fail with ConnectionError, acknowledged writes kept, transactions whole",
    boundMs: 30_000,
    run: (ctx) => loadThrough(ctx, () => ctx.cluster.restart()),
  },
  {
    fault: "server restart",
    moment: "transaction",
    checks:
      "a restart inside a transaction: it fails with ConnectionError, none of it is committed",
    boundMs: 30_000,
    run: (ctx) =>
      transactionThrough(ctx, () => ctx.cluster.restart(), {
        cls: ConnectionError,
        replaced: true,
      }),
  },
  {
    fault: "server restart",
    moment: "connect",
    checks:
      "drivers opened again and again while the server restarts: each open() works or fails with ConnectionError, bounded",
    boundMs: 30_000,
    run: async (ctx) => {
      let restarted = false;
      const restarting = ctx.cluster.restart().finally(() => (restarted = true));
      let refused = 0;
      let opened = 0;
      while (!restarted) {
        const d = await bounded(ctx.kind.open(ctx.url(), { max: 1 }), 10_000, "open()");
        if (okOrConnectionError(d, "open() during a restart")) {
          opened++;
          const closed = await bounded(d.close(), 5000, "close()");
          if (closed instanceof Error) throw closed;
        } else {
          refused++;
        }
        await sleep(20);
      }
      await restarting;
      ctx.note(
        `open() failed ${refused}× with ConnectionError during the restart, worked ${opened}×`,
      );
      assert.ok(refused > 0, "no open() met the server down");
      const d = await open(ctx, { max: 1 });
      await recovers(d, 1000);
      await d.close();
    },
  },

  // --- timeouts the server enforces -----------------------------------------------------------
  {
    fault: "statement timeout",
    moment: "idle",
    checks:
      "idle_session_timeout closes idle connections (57P05): statements fail only with ConnectionError, the pool reconnects",
    boundMs: 15_000,
    run: (ctx) =>
      withDriver(
        ctx,
        { max: 3 },
        async (d) => {
          await warm(d, 6);
          await sleep(700); // every connection idles past the timeout; the server closes them
          const failures = await recovers(d, 5000);
          ctx.note(`${failures} statement(s) failed before recovery`);
        },
        { options: "-c idle_session_timeout=300" },
      ),
  },
  {
    fault: "statement timeout",
    moment: "query",
    checks: "statement_timeout: DatabaseError 57014, bounded, the connection is kept",
    boundMs: 15_000,
    run: (ctx) =>
      withDriver(
        ctx,
        { max: 1 },
        async (d) => {
          const pid = await pidOf(d);
          const r = await bounded(
            d.query("SELECT pg_sleep(3)", []),
            2500,
            "a statement past statement_timeout",
          );
          expectError(r, DatabaseError, "a statement past statement_timeout");
          assert.equal((r as DatabaseError).code, "57014", "SQLSTATE");
          await d.execute(`INSERT INTO ${ctx.table} VALUES (1, 0)`, []);
          assert.equal(await pidOf(d), pid, "the connection was replaced although it was healthy");
          assert.deepEqual(sorted(await idsOf(ctx)), [1]);
        },
        { options: "-c statement_timeout=200" },
      ),
  },
  {
    fault: "statement timeout",
    moment: "transaction",
    checks:
      "statement_timeout inside a transaction: DatabaseError 57014, the transaction rolled back, the connection kept",
    boundMs: 15_000,
    run: (ctx) =>
      transactionThrough(
        ctx,
        async (tx) => {
          await tx.query("SELECT pg_sleep(3)", []);
        },
        { cls: DatabaseError, code: "57014", replaced: false },
        { options: "-c statement_timeout=200" },
      ),
  },

  // --- QueryOptions.signal --------------------------------------------------------------------
  {
    fault: "abort signal",
    moment: "idle",
    checks:
      "a signal aborted before the statement: native refuses it (57014) and writes nothing; pg runs it; the row matches the outcome",
    boundMs: 10_000,
    run: (ctx) =>
      withDriver(ctx, { max: 2 }, async (d) => {
        const controller = new AbortController();
        controller.abort();
        const r = await bounded(
          d.query(`INSERT INTO ${ctx.table} VALUES (1, 0) RETURNING id`, [], {
            signal: controller.signal,
          }),
          3000,
          "a statement with an aborted signal",
        );
        const ids = await idsOf(ctx);
        if (ctx.kind.name === "native") {
          expectError(r, DatabaseError, "an aborted statement");
          assert.equal((r as DatabaseError).code, "57014");
          assert.deepEqual([...ids], [], "an aborted insert was written");
        } else {
          assert.ok(!(r instanceof Error), `pg ignores the signal: ${errorText(r)}`);
          assert.deepEqual([...ids], [1]);
        }
        await recovers(d, 1000);
      }),
  },
  {
    fault: "abort signal",
    moment: "query",
    checks:
      "6 statements aborted on a fresh pool beside 6 abandoned writes: native cancels them (57014), pg lets them finish; writes kept, close() returns, nothing left running",
    boundMs: 20_000,
    run: (ctx) =>
      withDriver(ctx, { max: 4 }, async (d) => {
        const outcomes: string[] = [];
        const aborted = Array.from({ length: 6 }, async () => {
          const controller = new AbortController();
          const running = d.query("SELECT pg_sleep(1)", [], { signal: controller.signal });
          await sleep(100);
          controller.abort();
          return bounded(running, 5000, "an aborted statement");
        });
        const abandoned = Array.from({ length: 6 }, (_, i) =>
          d.execute(`INSERT INTO ${ctx.table} SELECT $1, 0 FROM pg_sleep(0.2)`, [i + 1]).then(
            () => outcomes.push(`ok ${i + 1}`),
            (e: unknown) => outcomes.push(`failed ${i + 1}: ${errorText(e)}`),
          ),
        );
        const results = await Promise.all(aborted);
        for (const r of results) {
          if (ctx.kind.name === "native") {
            expectError(r, DatabaseError, "an aborted statement");
            assert.equal((r as DatabaseError).code, "57014");
          } else {
            assert.ok(!(r instanceof Error), `pg ignores the signal: ${errorText(r)}`);
          }
        }
        const settled = await bounded(Promise.all(abandoned), 5000, "the abandoned writes");
        if (settled instanceof Error) throw settled;
        assert.deepEqual(outcomes.sort(), [1, 2, 3, 4, 5, 6].map((i) => `ok ${i}`).sort());
        assert.deepEqual(sorted(await idsOf(ctx)), [1, 2, 3, 4, 5, 6]);
        const active = await d.query(
          "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid()",
          [ctx.app],
        );
        assert.equal(active.reader.int(0, 0), 0, "statements still running on the server");
      }),
  },
  {
    fault: "abort signal",
    moment: "transaction",
    checks:
      "a signal aborted during a statement inside a transaction: the transaction commits whole or not at all, bounded",
    boundMs: 15_000,
    run: (ctx) =>
      withDriver(ctx, { max: 2 }, async (d) => {
        const controller = new AbortController();
        const r = await bounded(
          d.transaction(async (tx) => {
            await tx.execute(`INSERT INTO ${ctx.table} VALUES (1, 0)`, []);
            const slow = tx.query("SELECT pg_sleep(0.5)", [], { signal: controller.signal });
            await sleep(100);
            controller.abort();
            await slow;
            await tx.execute(`INSERT INTO ${ctx.table} VALUES (2, 0)`, []);
          }),
          5000,
          "the transaction",
        );
        const ids = sorted(await idsOf(ctx));
        if (r instanceof Error) {
          expectError(r, DatabaseError, "the aborted transaction");
          assert.deepEqual(ids, [], "a failed transaction left rows");
        } else {
          assert.deepEqual(ids, [1, 2], "a committed transaction lost rows");
        }
        ctx.note(
          r instanceof Error ? `rolled back: ${errorText(r)}` : "committed (signal ignored)",
        );
        await recovers(d, 1000);
      }),
  },

  // --- nothing listens --------------------------------------------------------------------------
  {
    fault: "connection refused",
    moment: "connect",
    checks: "open() on a port nothing listens on: ConnectionError naming the address, at once",
    boundMs: 10_000,
    run: async (ctx) => {
      const port = await freePort();
      const r = await bounded(ctx.kind.open(silentUrl(ctx, port), { max: 1 }), 3000, "open()");
      expectError(
        r,
        ConnectionError,
        "open() on a closed port",
        new RegExp(`127\\.0\\.0\\.1:${port}`),
      );
      assert.match(r.message, /refused/i, "the message does not say the connection was refused");
    },
  },
  {
    fault: "connection refused",
    moment: "idle",
    checks:
      "the server stops under an idle pool: statements fail fast with ConnectionError; once it is back they run",
    boundMs: 30_000,
    run: (ctx) =>
      withDriver(ctx, { max: 2 }, async (d) => {
        await warm(d, 4);
        await ctx.cluster.stop();
        try {
          for (let i = 0; i < 3; i++) {
            const r = await bounded(
              d.query("SELECT 1", []),
              3000,
              "a statement while the server is down",
            );
            expectError(r, ConnectionError, "a statement while the server is down");
          }
        } finally {
          await ctx.cluster.start();
        }
        const failures = await recovers(d, 10_000);
        ctx.note(`${failures} statement(s) failed after the server was back`);
      }),
  },

  // --- a server that accepts TCP and never answers ---------------------------------------------
  {
    fault: "server never answers",
    moment: "connect",
    variant: "connect_timeout=1",
    checks:
      "open() with connect_timeout=1 fails with a ConnectionError naming the timeout within 2.5 s",
    boundMs: 10_000,
    run: async (ctx) => {
      const server = await silentServer();
      try {
        const started = Date.now();
        const r = await bounded(
          ctx.kind.open(silentUrl(ctx, server.port, { connect_timeout: "1" }), { max: 1 }),
          2500,
          "open() with connect_timeout=1",
        );
        expectError(r, ConnectionError, "open() against a silent server", /time/i);
        ctx.note(`failed after ${Date.now() - started} ms: ${r.message}`);
      } finally {
        await server.close();
      }
    },
  },
  {
    fault: "server never answers",
    moment: "connect",
    variant: "default timeout",
    checks: `open() without connect_timeout fails with a ConnectionError within the default connect timeout (bound ${DEFAULT_CONNECT_TIMEOUT_BOUND_MS / 1000} s)`,
    boundMs: DEFAULT_CONNECT_TIMEOUT_BOUND_MS + 5000,
    background: true,
    run: async (ctx) => {
      const server = await silentServer();
      try {
        const started = Date.now();
        const r = await bounded(
          ctx.kind.open(silentUrl(ctx, server.port), { max: 1 }),
          DEFAULT_CONNECT_TIMEOUT_BOUND_MS,
          "open() with the default connect timeout",
        );
        expectError(r, ConnectionError, "open() against a silent server", /time/i);
        ctx.note(`failed after ${Date.now() - started} ms: ${r.message}`);
      } finally {
        await server.close();
      }
    },
  },
  // --- close() while work is in flight -----------------------------------------------------------
  {
    fault: "close during load",
    moment: "idle",
    checks: "close() of an idle pool returns at once; later statements fail with ConnectionError",
    boundMs: 10_000,
    run: async (ctx) => {
      const d = await open(ctx, { max: 3 });
      await warm(d, 6);
      const closed = await bounded(d.close(), 2000, "close()");
      if (closed instanceof Error) throw closed;
      const r = await bounded(d.query("SELECT 1", []), 2000, "a statement after close()");
      expectError(r, ConnectionError, "a statement after close()", /closed/);
    },
  },
  {
    fault: "close during load",
    moment: "query",
    checks:
      "close() with 200 writes in flight or queued on a pool of 2: each settles (written or ConnectionError), close() returns, nothing is half written",
    boundMs: 15_000,
    run: async (ctx) => {
      const d = await open(ctx, { max: 2 });
      await createTable(d, ctx);
      const writes = Array.from({ length: 200 }, (_, i) =>
        d.execute(`INSERT INTO ${ctx.table} VALUES ($1, 0)`, [i + 1]).then(
          () => i + 1,
          (e: unknown) => toError(e),
        ),
      );
      await sleep(10);
      const closed = await bounded(d.close(), 10_000, "close() under load");
      if (closed instanceof Error) throw closed;
      const settled = await bounded(Promise.all(writes), 5000, "the writes close() interrupted");
      if (settled instanceof Error) throw settled;
      const ids = await idsOf(ctx);
      let acked = 0;
      let refused = 0;
      for (const [i, r] of settled.entries()) {
        if (r instanceof Error) {
          expectError(r, ConnectionError, `write ${i + 1}`);
          refused++;
        } else {
          assert.ok(ids.has(r), `acknowledged write ${r} is lost`);
          acked++;
        }
      }
      ctx.note(`${acked} written, ${refused} failed with ConnectionError`);
    },
  },
  {
    fault: "close during load",
    moment: "transaction",
    checks:
      "close() with 20 two-row transactions running: each commits whole or fails whole, close() returns",
    boundMs: 15_000,
    run: async (ctx) => {
      const d = await open(ctx, { max: 3 });
      await createTable(d, ctx);
      const txs = Array.from({ length: 20 }, (_, i) =>
        d
          .transaction(async (tx) => {
            await tx.execute(`INSERT INTO ${ctx.table} VALUES ($1, 0)`, [2 * i + 1]);
            await tx.query("SELECT pg_sleep(0.05)", []);
            await tx.execute(`INSERT INTO ${ctx.table} VALUES ($1, 0)`, [2 * i + 2]);
          })
          .then(
            () => true,
            (e: unknown) => toError(e),
          ),
      );
      await sleep(20);
      const closed = await bounded(d.close(), 10_000, "close() with transactions running");
      if (closed instanceof Error) throw closed;
      const settled = await bounded(Promise.all(txs), 5000, "the transactions close() met");
      if (settled instanceof Error) throw settled;
      const ids = await idsOf(ctx);
      let committed = 0;
      for (const [i, r] of settled.entries()) {
        const both = [ids.has(2 * i + 1), ids.has(2 * i + 2)];
        if (r instanceof Error) {
          expectError(r, ConnectionError, `transaction ${i}`);
          assert.deepEqual(both, [false, false], `failed transaction ${i} left rows`);
        } else {
          assert.deepEqual(both, [true, true], `committed transaction ${i} lost rows`);
          committed++;
        }
      }
      ctx.note(`${committed} of 20 transactions committed, the rest failed with ConnectionError`);
    },
  },
  {
    fault: "close during load",
    moment: "connect",
    checks:
      "YaraOrm.close() racing YaraOrm.init on a live server: both settle, nothing stays open, init works again",
    boundMs: 15_000,
    run: async (ctx) => {
      for (let i = 0; i < 3; i++) {
        const initing = YaraOrm.init(ctx.url().href, { driver: ctx.kind.name });
        initing.catch(() => undefined);
        if (i > 0) await sleep(i * 5);
        const closed = await bounded(YaraOrm.close(), 5000, "YaraOrm.close() racing init");
        if (closed instanceof Error) throw closed;
        const r = await bounded(initing, 5000, "the init close() raced");
        if (r instanceof Error) expectError(r, ConnectionError, "the init close() raced");
        assert.equal(YaraOrm.initialized, false, "YaraOrm still initialised after close()");
      }
      await YaraOrm.init(ctx.url().href, { driver: ctx.kind.name });
      await YaraOrm.driver.query("SELECT 1", []);
      await YaraOrm.close();
    },
  },
  // Last: on main a pending init survives this cell and would refuse every later init.
  {
    fault: "server never answers",
    moment: "connect",
    variant: "close() cancels init",
    checks:
      "YaraOrm.close() during an init that waits on a silent server: both settle within 2 s, init with a ConnectionError",
    boundMs: 10_000,
    run: async (ctx) => {
      const server = await silentServer();
      try {
        const initing = YaraOrm.init(silentUrl(ctx, server.port).href, { driver: ctx.kind.name });
        initing.catch(() => undefined);
        await sleep(200);
        const closed = await bounded(YaraOrm.close(), 2000, "YaraOrm.close() during init");
        if (closed instanceof Error) throw closed;
        const r = await bounded(initing, 2000, "the cancelled init");
        expectError(r, ConnectionError, "the cancelled init");
        ctx.note(`init failed with: ${r.message}`);
      } finally {
        await server.close();
      }
    },
  },
];
