/**
 * A Postgres primary and a streaming replica of its own, for the replica-router tests and
 * bench/replicas.ts: `initdb` a primary under a temp dir, `pg_basebackup -R` a hot standby from
 * it, each on a free loopback port, run as the `postgres` user when this process is root
 * (initdb refuses root). Debian's PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin, or
 * YARA_PG_BIN); missing binaries are an Error, never a skip. `stop()` stops both servers and
 * removes the directory.
 */
import { execFile, execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export const PG_BIN = process.env.YARA_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const USER = "yara";
const DATABASE = "postgres";

export interface PgCluster {
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  readonly dir: string;
  /** Stops the replica (fast shutdown: open sessions are ended). */
  stopReplica(): Promise<void>;
  /** Starts it again and waits until it answers. */
  startReplica(): Promise<void>;
  /**
   * Freezes the replica (SIGSTOP to its postmaster and every backend): it accepts TCP but never
   * answers, as a hung server does. `resumeReplica()` lets it go on.
   */
  pauseReplica(): void;
  resumeReplica(): void;
  /** Waits until the replica has replayed everything the primary wrote so far. */
  caughtUp(): Promise<void>;
  /** Stops both servers and removes their directory. */
  stop(): Promise<void>;
}

/** The uid/gid to run the server as: `postgres` when this process is root, else ourselves. */
function serverUser(): { readonly uid: number; readonly gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(idOf("-u")), gid: Number(idOf("-g")) };
}

function idOf(flag: "-u" | "-g"): string {
  return execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim();
}

export interface ClusterOptions {
  /**
   * Synchronous replication that waits for the replica to apply each commit (`remote_apply`):
   * a read on the replica sees every write committed before it, so code written for one
   * database runs unchanged with its reads on the replica. A stopped replica then holds every
   * commit: not for the stop/restart tests.
   */
  readonly synchronous?: boolean;
  /**
   * `max_standby_streaming_delay = 0` on the replica: a replica query whose snapshot still needs
   * rows the primary's VACUUM removed is cancelled at once ("conflict with recovery", SQLSTATE
   * 40001) instead of holding replay back for up to 30 s.
   */
  readonly cancelOnReplayConflict?: boolean;
}

export async function startPgCluster(options: ClusterOptions = {}): Promise<PgCluster> {
  const binary = (name: string): string => {
    const path = join(PG_BIN, name);
    if (!existsSync(path))
      throw new Error(
        `${path} is missing: the replica tests need PostgreSQL's server binaries ` +
          "(apt-get install postgresql-15, or set YARA_PG_BIN)",
      );
    return path;
  };
  const [initdb, pgCtl, basebackup] = [binary("initdb"), binary("pg_ctl"), binary("pg_basebackup")];
  const owner = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "yara-pg-cluster-"));
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const as = (file: string, args: readonly string[]) =>
    run(file, args, { ...(owner ?? {}), cwd: dir, timeout: 120_000 });
  const primaryDir = join(dir, "primary");
  const replicaDir = join(dir, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const serverOptions = (port: number) => `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  const start = (data: string, port: number, log: string) =>
    as(pgCtl, [
      "-D",
      data,
      "-l",
      join(dir, log),
      "-w",
      "-t",
      "60",
      "-o",
      serverOptions(port),
      "start",
    ]);
  const stopServer = (data: string) =>
    as(pgCtl, ["-D", data, "-m", "fast", "-w", "-t", "60", "stop"]).then(
      () => undefined,
      () => undefined,
    );
  // A test process that dies before stop() still takes its servers down with it.
  const onExit = (): void => {
    for (const data of [replicaDir, primaryDir]) {
      if (!existsSync(join(data, "postmaster.pid"))) continue;
      try {
        execFileSync(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], {
          ...(owner ?? {}),
          stdio: "ignore",
        });
      } catch {
        /* already down */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  let primaryUp = false;
  let replicaUp = false;
  const cleanup = async (): Promise<void> => {
    if (replicaUp) await stopServer(replicaDir);
    if (primaryUp) await stopServer(primaryDir);
    replicaUp = primaryUp = false;
    process.off("exit", onExit);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await as(initdb, ["-D", primaryDir, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"]);
    // Small and quick: this is a test server. hot_standby lets the replica answer reads.
    writeFileSync(
      join(primaryDir, "postgresql.auto.conf"),
      [
        "fsync = off",
        ...(options.synchronous === true
          ? ["synchronous_standby_names = '*'", "synchronous_commit = remote_apply"]
          : ["synchronous_commit = off"]),
        "full_page_writes = off",
        "shared_buffers = 32MB",
        "max_connections = 60",
        "wal_level = replica",
        "max_wal_senders = 4",
        "hot_standby = on",
        "wal_receiver_status_interval = 1s",
        // Read by the replica only (pg_basebackup copies this file to it).
        ...(options.cancelOnReplayConflict === true ? ["max_standby_streaming_delay = 0"] : []),
        "",
      ].join("\n"),
    );
    await start(primaryDir, primaryPort, "primary.log");
    primaryUp = true;
    await as(basebackup, [
      "-h",
      "127.0.0.1",
      "-p",
      String(primaryPort),
      "-U",
      USER,
      "-D",
      replicaDir,
      "-R",
      "-X",
      "stream",
      "--checkpoint=fast",
      "--no-sync",
    ]);
    await start(replicaDir, replicaPort, "replica.log");
    replicaUp = true;
  } catch (err) {
    await cleanup();
    throw err;
  }
  const url = (port: number) => `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`;
  const primaryUrl = url(primaryPort);
  const replicaUrl = url(replicaPort);
  const cluster: PgCluster = {
    primaryUrl,
    replicaUrl,
    dir,
    async stopReplica() {
      await as(pgCtl, ["-D", replicaDir, "-m", "fast", "-w", "-t", "60", "stop"]);
      replicaUp = false;
    },
    async startReplica() {
      await start(replicaDir, replicaPort, "replica.log");
      replicaUp = true;
    },
    pauseReplica() {
      signalServer(replicaDir, "SIGSTOP");
    },
    resumeReplica() {
      signalServer(replicaDir, "SIGCONT");
    },
    async caughtUp() {
      const lsn = (await one(
        primaryUrl,
        "SELECT pg_current_wal_insert_lsn()::text AS v",
      )) as string;
      for (let i = 0; i < 600; i++) {
        const behind = await one(
          replicaUrl,
          `SELECT pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn AS v`,
        );
        if (behind === false) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`the replica did not replay up to ${lsn} within 12 s`);
    },
    stop: cleanup,
  };
  return cluster;
}

/** Sends `signal` to the server of `data` and to every process it started. */
function signalServer(data: string, signal: NodeJS.Signals): void {
  const pid = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map(Number);
  for (const p of [pid, ...children]) process.kill(p, signal);
}

/** The one value `sql` selects, over a connection of its own. */
export async function one(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ v: unknown }>(sql);
    return result.rows[0]?.v;
  } finally {
    await client.end();
  }
}
