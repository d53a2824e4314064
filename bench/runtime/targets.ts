/**
 * Where the benchmark's databases live and how each library is named: one Postgres database
 * (`yara_bench` beside the test database, or YARA_BENCH_PG_URL), one MariaDB database
 * (`yara_bench` on the server of YARA_MYSQL_URL, or YARA_BENCH_MYSQL_URL) and one SQLite file
 * under bench/.data. Each is seeded once (bench/runtime/seed.ts) and shared by every library.
 */
import { fileURLToPath } from "node:url";

export type Database = "postgres" | "mariadb" | "sqlite";

/** Every database, in the order the report shows them. */
export const DATABASES: readonly Database[] = ["postgres", "mariadb", "sqlite"];

export const DATABASE_TITLE: Record<Database, string> = {
  postgres: "Postgres",
  mariadb: "MariaDB",
  sqlite: "SQLite",
};

const DEFAULT_ADMIN_URL = "postgres://root@127.0.0.1:5432/test";

/** A database Postgres already has, used to create the benchmark database. */
export const PG_ADMIN_URL = process.env.YARA_PG_URL ?? DEFAULT_ADMIN_URL;

export const PG_DATABASE = "yara_bench";

/** The benchmark database: the admin URL with its database name replaced. */
export const PG_URL =
  process.env.YARA_BENCH_PG_URL ?? PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${PG_DATABASE}$1`);

/** A database the MariaDB server already has, used to create the benchmark database. */
export const MYSQL_ADMIN_URL = process.env.YARA_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

export const MYSQL_DATABASE = "yara_bench";

/** The MariaDB benchmark database: the admin URL with its database name replaced. */
export const MYSQL_URL =
  process.env.YARA_BENCH_MYSQL_URL ??
  MYSQL_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${MYSQL_DATABASE}$1`);

/**
 * The seeded SQLite file. Bundled children live elsewhere than this source file, so the
 * orchestrator passes the path it computed down to them.
 */
export const SQLITE_FILE =
  process.env.YARA_BENCH_SQLITE_FILE ??
  fileURLToPath(new URL("../.data/bench.db", import.meta.url));

/** Connections per pool on Postgres and MariaDB, the same for every library (yara's default). */
export const POOL_MAX = 10;

/** One library on one driver: `yara` × `pg`, `drizzle` × `better-sqlite3`, raw `pg` × `pg`. */
export interface Subject {
  library: "yara" | "raw" | "drizzle" | "kysely" | "prisma";
  driver: "pg" | "postgres.js" | "mysql2" | "better-sqlite3" | "native";
  database: Database;
}

export function subjectName(subject: Subject): string {
  if (subject.library === "raw") return subject.driver;
  return `${subject.library} (${subject.driver})`;
}

/** Every subject, raw drivers first; the yara native driver is dropped by the orchestrator when its addon is not built. */
export const SUBJECTS: readonly Subject[] = [
  { library: "raw", driver: "pg", database: "postgres" },
  { library: "raw", driver: "postgres.js", database: "postgres" },
  { library: "yara", driver: "pg", database: "postgres" },
  { library: "yara", driver: "native", database: "postgres" },
  { library: "drizzle", driver: "pg", database: "postgres" },
  { library: "kysely", driver: "pg", database: "postgres" },
  { library: "prisma", driver: "pg", database: "postgres" },
  { library: "raw", driver: "mysql2", database: "mariadb" },
  { library: "yara", driver: "mysql2", database: "mariadb" },
  { library: "drizzle", driver: "mysql2", database: "mariadb" },
  { library: "kysely", driver: "mysql2", database: "mariadb" },
  { library: "raw", driver: "better-sqlite3", database: "sqlite" },
  { library: "yara", driver: "better-sqlite3", database: "sqlite" },
  { library: "yara", driver: "native", database: "sqlite" },
  { library: "drizzle", driver: "better-sqlite3", database: "sqlite" },
  { library: "kysely", driver: "better-sqlite3", database: "sqlite" },
  { library: "prisma", driver: "better-sqlite3", database: "sqlite" },
];

/** The raw driver every subject of `database` is compared with. */
export function baselineOf(database: Database): Subject {
  const driver = ({ postgres: "pg", mariadb: "mysql2", sqlite: "better-sqlite3" } as const)[
    database
  ];
  return { library: "raw", driver, database };
}

export function sameSubject(a: Subject, b: Subject): boolean {
  return a.library === b.library && a.driver === b.driver && a.database === b.database;
}
