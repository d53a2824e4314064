/**
 * A private Postgres cluster for the tests that restart or stop the server, or configure it
 * (TLS, pg_hba.conf): pg_createcluster on a free loopback port, trust authentication unless told
 * otherwise, dropped afterwards. The shared server at 127.0.0.1:5432 is never stopped. Needs the
 * Debian Postgres tools and root, as CI has (.ci/run); without them the file fails, never skips.
 * A cluster made in one process can be driven from another (`attachPrivateCluster(spec)`): the
 * fault matrix restarts it from its child processes.
 */
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { freePort } from "../../support/free-port.js";

const execFileAsync = promisify(execFile);

/** What names a cluster: enough to drive it from another process. */
export interface ClusterSpec {
  readonly version: string;
  readonly name: string;
  readonly port: number;
}

export interface PrivateCluster {
  readonly spec: ClusterSpec;
  readonly port: number;
  /** `postgres://<user>@<host>:<port>/postgres`, tagged with `application_name`. */
  url(applicationName: string, options?: { user?: string; host?: string }): URL;
  /** Stops (fast shutdown) and starts the server, without blocking the event loop. */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown: sessions are terminated, then a clean checkpoint). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * Replaces the settings `ClusterOptions.config` gave and has the server read them again (a
   * reload: certificate files, pg_hba.conf); resolves once new connections see them.
   */
  reconfigure(config: string): Promise<void>;
  /** Stops and drops the cluster. */
  drop(): void;
}

export interface ClusterOptions {
  /** Lines for a conf.d file (e.g. `ssl = on`). */
  readonly config?: string;
  /** Replaces pg_hba.conf. */
  readonly hba?: string;
}

export async function createPrivateCluster(
  name: string,
  options: ClusterOptions = {},
): Promise<PrivateCluster> {
  const version = readdirSync("/etc/postgresql").sort().at(-1) ?? "15";
  const spec: ClusterSpec = { version, name: `${name}_${process.pid}`, port: await freePort() };
  // pg_createcluster and initdb block for seconds; off the event loop, so parallel work goes on.
  await execFileAsync("pg_createcluster", [
    version,
    spec.name,
    "-p",
    String(spec.port),
    "--",
    "-A",
    "trust",
    "--no-sync",
  ]);
  const dir = `/etc/postgresql/${version}/${spec.name}`;
  const cluster = attachPrivateCluster(spec);
  try {
    if (options.config !== undefined) writeFileSync(configFile(spec), `${options.config}\n`);
    if (options.hba !== undefined) writeFileSync(`${dir}/pg_hba.conf`, options.hba);
    await cluster.start();
  } catch (err) {
    cluster.drop();
    throw err;
  }
  return cluster;
}

/** The conf.d file that holds `ClusterOptions.config`. */
function configFile(spec: ClusterSpec): string {
  return `/etc/postgresql/${spec.version}/${spec.name}/conf.d/yara-test.conf`;
}

/**
 * Drives a cluster `createPrivateCluster` made (possibly in another process). Start, stop and
 * restart call the cluster's pg_ctl as the postgres user: pg_ctlcluster's wrapper takes seconds
 * longer per call, and the fault matrix restarts a cluster several times.
 */
export function attachPrivateCluster(spec: ClusterSpec): PrivateCluster {
  const ctl = async (...args: string[]): Promise<void> => {
    await execFileAsync("runuser", [
      "-u",
      "postgres",
      "--",
      `/usr/lib/postgresql/${spec.version}/bin/pg_ctl`,
      "-D",
      `/var/lib/postgresql/${spec.version}/${spec.name}`,
      "-w",
      "-t",
      "60",
      ...args,
    ]);
  };
  const start = () =>
    ctl(
      "-o",
      `-c config_file=/etc/postgresql/${spec.version}/${spec.name}/postgresql.conf`,
      "-l",
      `/var/log/postgresql/postgresql-${spec.version}-${spec.name}.log`,
      "start",
    );
  return {
    spec,
    port: spec.port,
    url: (applicationName, options = {}) =>
      new URL(
        `postgres://${options.user ?? "postgres"}@${options.host ?? "127.0.0.1"}:${spec.port}/postgres` +
          `?application_name=${applicationName}`,
      ),
    restart: async () => {
      await ctl("-m", "fast", "stop");
      await start();
    },
    stop: () => ctl("-m", "fast", "stop"),
    start,
    reconfigure: async (config) => {
      // The postmaster reloads on its own time; a marker setting shows when new sessions see it.
      const marker = `reload ${Date.now()}`;
      writeFileSync(configFile(spec), `${config}\nyara.reload_marker = '${marker}'\n`);
      await ctl("reload");
      for (let i = 0; i < 100; i++) {
        const { stdout } = await execFileAsync("psql", [
          "-h", "/var/run/postgresql", "-p", String(spec.port), "-U", "postgres", "-d", "postgres",
          "-Atc", "SHOW yara.reload_marker",
        ]); // prettier-ignore
        if (stdout.trim() === marker) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`cluster ${spec.name} did not reload its configuration`);
    },
    drop: () =>
      execFileSync("pg_dropcluster", ["--stop", spec.version, spec.name], {
        stdio: ["ignore", "ignore", "pipe"],
      }),
  };
}
