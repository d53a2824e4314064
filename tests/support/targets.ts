/**
 * The database × driver matrix every feature test loops over, and per-file isolation on
 * Postgres so test files run in parallel without seeing each other's tables.
 *
 *   for (const target of targets()) {
 *     describe(target.name, () => {
 *       const db = useDatabase(target);          // fresh schema, YaraOrm.init, generateSchemas
 *       it("…", async () => { … });
 *     });
 *   }
 *
 * A "native" entry per dialect joins the matrix when the addon is built (see `nativeTargets`).
 * With YARA_PGBOUNCER=1 the matrix is the Postgres targets only, through the PgBouncer that
 * global-setup.ts started (`pgbouncer=true` in their URLs), each test file on a database of its
 * own: in transaction pooling mode a per-client search_path cannot exist.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import type { DialectName as Dialect } from "../../runtime/dialect/dialect.js";
import type { DriverName, QueryEvent } from "../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../runtime/driver/native/addon.js";
import { dialectNamed } from "../../runtime/dialect/registry.js";
import { YaraOrm } from "../../runtime/orm.js";
import { ReadReplicaRouter } from "../../runtime/connection/read-replica-router.js";
import { adjustMysqlServerForTests } from "../../runtime/driver/mysql2/server.js";

export interface Target {
  /** "sqlite/better-sqlite3", "postgres/pg": readable in test names. */
  readonly name: string;
  readonly dialect: Dialect;
  readonly driver: DriverName;
  /** The shared database's URL; use `isolate(target)` for a private one. */
  readonly url: string;
  /**
   * A streaming replica of `url` (YARA_REPLICA_SUITE=1, tests/support/replica-suite.ts): reads
   * outside transactions go there through ReadReplicaRouter.
   */
  readonly replicaUrl?: string;
}

export function pgUrl(): string {
  return inject("yaraPgUrl") ?? process.env.YARA_PG_URL ?? "postgres://root@127.0.0.1:5432/test";
}

/** The Postgres targets' URL: the server's, or PgBouncer's with `pgbouncer=true`. */
function postgresTargetUrl(): string {
  const bouncer = inject("yaraPgBouncerUrl");
  if (bouncer === undefined) {
    if (process.env.YARA_PGBOUNCER === "1") {
      throw new Error(
        "YARA_PGBOUNCER=1 but no PgBouncer was started (tests/support/global-setup.ts)",
      );
    }
    return pgUrl();
  }
  const url = new URL(bouncer);
  url.searchParams.set("pgbouncer", "true");
  return url.toString();
}

/**
 * The native entries: SQLite once the addon is built (with YARA_REQUIRE_NATIVE=1 a missing
 * addon fails the run instead of shrinking the matrix), Postgres once its native driver module
 * exists too.
 */
function nativeTargets(): Target[] {
  if (loadNativeAddon() === undefined) return [];
  const list = [target("sqlite", "native", "sqlite://:memory:")];
  const postgresDriver = fileURLToPath(
    new URL("../../runtime/driver/native/postgres.ts", import.meta.url),
  );
  if (existsSync(postgresDriver)) list.push(target("postgres", "native", postgresTargetUrl()));
  return list;
}

/** MariaDB (or MySQL): YARA_MYSQL_URL, default mysql://root@127.0.0.1:3306/test. */
export function mysqlUrl(): string {
  return inject("yaraMysqlUrl") ?? process.env.YARA_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";
}

/**
 * The targets whose database can run migrations (DDL inside a transaction): not MySQL, where
 * migrations are a NotSupportedError (tests/migrations/mysql-refusal.test.ts).
 */
export function migrationTargets(): readonly Target[] {
  return targets().filter((t) => dialectNamed(t.dialect).supports.transactionalDdl);
}

/**
 * YARA_MYSQL_WITHOUT_RETURNING: the MySQL target as a server without INSERT … RETURNING (as
 * MySQL 8 is), so create(), save() and bulkCreate() read their rows back by key
 * (runtime/model/insert-read-back.ts): "1" keeps the server's AUTO_INCREMENT lock mode,
 * "interleaved" reports lock mode 2 (MySQL 8's default), where keys are not consecutive.
 */
function mysqlWithoutReturning(): void {
  const mode = process.env.YARA_MYSQL_WITHOUT_RETURNING;
  if (mode === undefined || mode === "") return;
  if (mode !== "1" && mode !== "interleaved")
    throw new Error(
      `YARA_MYSQL_WITHOUT_RETURNING must be 1 or interleaved, got ${JSON.stringify(mode)}`,
    );
  adjustMysqlServerForTests((server) => ({
    ...server,
    returning: false,
    ...(mode === "interleaved" ? { autoincLockMode: 2 } : {}),
  }));
}
mysqlWithoutReturning();

export function targets(): readonly Target[] {
  const cluster = inject("yaraReplicaCluster");
  if (cluster) {
    // Every Postgres target, on the primary with its reads on the replica.
    return nativeTargets()
      .filter((t) => t.dialect === "postgres")
      .concat([target("postgres", "pg", cluster.primaryUrl)])
      .map((t) => ({
        ...t,
        name: `postgres+replica/${t.driver}`,
        url: cluster.primaryUrl,
        replicaUrl: cluster.replicaUrl,
      }))
      .reverse();
  }
  const all = [
    target("sqlite", "better-sqlite3", "sqlite://:memory:"),
    target("postgres", "pg", postgresTargetUrl()),
    ...nativeTargets(),
    target("mysql", "mysql2", mysqlUrl()),
  ];
  return inject("yaraPgBouncerUrl") === undefined
    ? all
    : all.filter((t) => t.dialect === "postgres");
}

function target(dialect: Dialect, driver: DriverName, url: string): Target {
  return { name: `${dialect}/${driver}`, dialect, driver, url };
}

export interface IsolatedDatabase {
  readonly url: string;
  /** The replica's URL with the same search_path, for a target with a replica. */
  readonly replicaUrl?: string;
  /** Drops what `isolate` created. */
  dispose(): Promise<void>;
}

/**
 * A private database for one test file. SQLite in memory already is one; on Postgres a fresh
 * schema `yara_t_<random>` is created and the URL puts it first on the search_path, so
 * unqualified CREATE TABLE and queries land there.
 */
export async function isolate(t: Target): Promise<IsolatedDatabase> {
  if (t.dialect === "sqlite") return { url: t.url, dispose: async () => undefined };
  if (t.dialect === "mysql") return isolateMysql(t.url);
  if (new URL(t.url).searchParams.get("pgbouncer") === "true") return isolateDatabase(t);
  const schema = `yara_t_${randomBytes(6).toString("hex")}`;
  await admin(t.url, `CREATE SCHEMA "${schema}"`);
  const url = new URL(t.url);
  url.searchParams.set("options", `-c search_path=${schema}`);
  let replicaUrl: string | undefined;
  if (t.replicaUrl !== undefined) {
    const replica = new URL(t.replicaUrl);
    replica.searchParams.set("options", `-c search_path=${schema}`);
    replicaUrl = replica.toString();
  }
  return {
    url: url.toString(),
    ...(replicaUrl === undefined ? {} : { replicaUrl }),
    dispose: () => admin(t.url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
}

/**
 * MySQL has no schemas inside a database: a fresh database `yara_t_<random>` per file, in the
 * collation yara's tables use, dropped afterwards.
 */
async function isolateMysql(base: string): Promise<IsolatedDatabase> {
  const name = `yara_t_${randomBytes(6).toString("hex")}`;
  await mysqlAdmin(
    base,
    `CREATE DATABASE "${name}" CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin`,
  );
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: () => mysqlAdmin(base, `DROP DATABASE IF EXISTS "${name}"`),
  };
}

/** Runs one statement on the server of `url` (ANSI quotes on). */
export async function mysqlAdmin(url: string, sql: string): Promise<void> {
  const { createConnection } = await import("mysql2/promise");
  const u = new URL(url);
  const conn = await createConnection({
    host: u.hostname,
    port: u.port === "" ? 3306 : Number(u.port),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  });
  try {
    await conn.query("SET SESSION sql_mode = 'ANSI_QUOTES'");
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/**
 * Behind PgBouncer: a database of its own (created and dropped on the server directly; PgBouncer
 * passes every database name through). template0: nobody is ever connected to it.
 */
async function isolateDatabase(t: Target): Promise<IsolatedDatabase> {
  const name = `yara_t_${randomBytes(6).toString("hex")}`;
  await admin(pgUrl(), `CREATE DATABASE "${name}" TEMPLATE template0`);
  const url = new URL(t.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dispose: () => admin(pgUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface DatabaseHandle {
  /** The isolated URL, once beforeAll has run. */
  readonly url: string;
}

/**
 * beforeAll: isolate, `YaraOrm.init(url, { driver })`, `generateSchemas()` (unless disabled);
 * afterAll: `YaraOrm.close()` and drop the schema.
 */
export function useDatabase(
  t: Target,
  options: { generateSchemas?: boolean; log?: (event: QueryEvent) => void } = {},
): DatabaseHandle {
  let db: IsolatedDatabase | undefined;
  beforeAll(async () => {
    db = await isolate(t);
    const log = options.log ? { log: options.log } : {};
    if (db.replicaUrl === undefined) await YaraOrm.init(db.url, { driver: t.driver, ...log });
    else
      await YaraOrm.init({
        connections: { default: db.url, replica: db.replicaUrl },
        routers: [new ReadReplicaRouter({ replicas: ["replica"] })],
        driver: t.driver,
        ...log,
      });
    if (options.generateSchemas !== false) await YaraOrm.generateSchemas();
  });
  afterAll(async () => {
    await YaraOrm.close();
    await db?.dispose();
  });
  return {
    get url() {
      if (db === undefined) throw new Error("useDatabase: the url exists once beforeAll has run");
      return db.url;
    },
  };
}
