/**
 * A real PgBouncer (Debian's `pgbouncer` package) in transaction pooling mode, in front of the
 * test Postgres, on a free loopback port — for the tests and the bench that must run through
 * one. Every database name a client asks for is passed through to the same server (`* =`), so a
 * test file isolates itself with a database of its own (session settings such as search_path
 * cannot be per client in transaction mode). PgBouncer refuses to run as root: started by root,
 * it drops to `nobody` (`-u`). A missing binary or a bouncer that does not come up throws; no
 * test skips.
 *
 *   const bouncer = await startPgBouncer(pgUrl());
 *   … new URL(bouncer.url) …
 *   await bouncer.stop();
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export interface PgBouncer {
  /** postgres://user@127.0.0.1:<port>/<database of the server URL> through the bouncer. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export const PGBOUNCER_BINARY = process.env.YARA_PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";

export interface PgBouncerOptions {
  /** Server connections per database, shared by every client (default 10). */
  readonly poolSize?: number;
  /** Extra `key=value` settings of the server connections, e.g. "timezone=America/New_York". */
  readonly serverSettings?: string;
}

/**
 * Starts PgBouncer in front of `serverUrl` (a postgres:// URL without a password: the test
 * server trusts loopback). Resolves once it accepts connections.
 */
export async function startPgBouncer(
  serverUrl: string,
  options: PgBouncerOptions = {},
): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const version = spawnSync(PGBOUNCER_BINARY, ["--version"], { encoding: "utf8" });
  if (version.error !== undefined || version.status !== 0) {
    throw new Error(
      `PgBouncer is not installed (${PGBOUNCER_BINARY}: ${version.error?.message ?? version.stderr}); ` +
        "install Debian's package: apt-get install pgbouncer (.ci/run does)",
    );
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "yara-pgbouncer-"));
  chmodSync(dir, 0o755);
  const user = decodeURIComponent(server.username) || "postgres";
  const config = [
    "[databases]",
    `* = host=${server.hostname} port=${server.port || "5432"} user=${user} ${options.serverSettings ?? ""}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    "unix_socket_dir =",
    "auth_type = any",
    "pool_mode = transaction",
    "max_client_conn = 1000",
    `default_pool_size = ${options.poolSize ?? 10}`,
    // Server connections of databases a finished test file dropped go away soon.
    "server_idle_timeout = 5",
    // Across every per-file database: stays well under the server's max_connections.
    "max_user_connections = 40",
    "server_check_delay = 0",
    "log_connections = 0",
    "log_disconnections = 0",
    "",
  ].join("\n");
  const configFile = join(dir, "pgbouncer.ini");
  writeFileSync(configFile, config, { mode: 0o644 });
  const args = process.getuid?.() === 0 ? ["-u", "nobody", configFile] : [configFile];
  const child = spawn(PGBOUNCER_BINARY, args, { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output = (output + chunk).slice(-4000);
  });
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await listening(port, child, () => output);
  } catch (err) {
    child.kill("SIGKILL");
    cleanup();
    throw err;
  }
  const url = new URL(serverUrl);
  url.port = String(port);
  url.hostname = "127.0.0.1";
  return {
    url: url.toString(),
    port,
    stop: () => stopped(child).finally(cleanup),
  };
}

/** Resolves when `port` accepts a TCP connection; rejects if the process exits or 10 s pass. */
async function listening(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `PgBouncer exited at startup (${child.exitCode ?? child.signalCode}): ${output()}`,
      );
    }
    if (await accepts(port)) return;
    if (Date.now() > deadline) {
      throw new Error(`PgBouncer did not listen on 127.0.0.1:${port} within 10 s: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    // SIGINT: "safe shutdown" — waits for server connections to be released, then exits.
    child.kill("SIGINT");
  });
}
