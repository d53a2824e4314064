/**
 * A private Postgres cluster for the tests that restart the server (pg_createcluster on a free
 * loopback port, trust authentication), dropped afterwards. The shared server at
 * 127.0.0.1:5432 is never stopped. Needs the Debian Postgres tools and root, as CI has
 * (.ci/run); without them the file fails, never skips.
 */
import { execFile, execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { promisify } from "node:util";
import { freePort } from "../../support/free-port.js";

const execFileAsync = promisify(execFile);

export interface PrivateCluster {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, tagged with `application_name`. */
  url(applicationName: string): URL;
  /** `pg_ctlcluster restart` (fast shutdown), without blocking the event loop. */
  restart(): Promise<void>;
  /** Stops and drops the cluster. */
  drop(): void;
}

export async function createPrivateCluster(name: string): Promise<PrivateCluster> {
  const version = readdirSync("/etc/postgresql").sort().at(-1) ?? "15";
  const cluster = `${name}_${process.pid}`;
  const port = await freePort();
  const run = (file: string, args: readonly string[]) =>
    execFileSync(file, args, { stdio: ["ignore", "ignore", "pipe"] });
  run("pg_createcluster", [version, cluster, "-p", String(port), "--", "-A", "trust"]);
  run("pg_ctlcluster", ["--skip-systemctl-redirect", version, cluster, "start"]);
  return {
    port,
    url: (applicationName) =>
      new URL(`postgres://postgres@127.0.0.1:${port}/postgres?application_name=${applicationName}`),
    restart: async () => {
      await execFileAsync("pg_ctlcluster", [
        "--skip-systemctl-redirect",
        version,
        cluster,
        "restart",
        "-m",
        "fast",
      ]);
    },
    drop: () => run("pg_dropcluster", ["--stop", version, cluster]),
  };
}
