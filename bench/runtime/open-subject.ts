/**
 * Opens the library of one subject. Each library module is imported only here, on demand, so a
 * child process loads exactly one library.
 */
import type { BenchLibrary } from "./rows.js";
import type { Subject } from "./targets.js";

export async function openSubject(subject: Subject): Promise<BenchLibrary> {
  switch (subject.library) {
    case "yara":
      return (await import("../peers/yara.js")).openYara(subject);
    case "raw":
      if (subject.driver === "pg") return (await import("../peers/raw-pg.js")).openRawPg();
      if (subject.driver === "postgres.js")
        return (await import("../peers/raw-postgres-js.js")).openPostgresJs();
      if (subject.driver === "mysql2")
        return (await import("../peers/raw-mysql2.js")).openRawMysql2();
      return (await import("../peers/raw-better-sqlite3.js")).openRawBetterSqlite3();
    case "drizzle":
      if (subject.database === "postgres")
        return (await import("../peers/drizzle/pg.js")).openDrizzlePg();
      if (subject.database === "mariadb")
        return (await import("../peers/drizzle/mysql.js")).openDrizzleMysql();
      return (await import("../peers/drizzle/sqlite.js")).openDrizzleSqlite();
    case "kysely":
      if (subject.database === "postgres")
        return (await import("../peers/kysely/pg.js")).openKyselyPg();
      if (subject.database === "mariadb")
        return (await import("../peers/kysely/mysql.js")).openKyselyMysql();
      return (await import("../peers/kysely/sqlite.js")).openKyselySqlite();
    case "prisma":
      return (await import("../peers/prisma/client.js")).openPrisma(subject.database);
  }
}
