/**
 * Removes every row a write workload inserted (keys above BOOK_COUNT), so each measurement starts
 * from the seeded tables. Uses the raw drivers only, so a child process loads no other library.
 * On Postgres the dead rows are vacuumed too: the test server runs with autovacuum off, and a
 * full run left 1.6 million dead rows in bench_books, which every later sequential scan (the
 * grouped aggregate) read again — slower, and slower for whichever library came later.
 */
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import pg from "pg";
import { BOOK_COUNT } from "./data.js";
import { MYSQL_URL, PG_URL, SQLITE_FILE, type Database as Db } from "./targets.js";

export async function resetWrites(database: Db): Promise<void> {
  if (database === "postgres") {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query("DELETE FROM bench_books WHERE id > $1", [BOOK_COUNT]);
      await client.query("VACUUM bench_books");
    } finally {
      await client.end();
    }
    return;
  }
  if (database === "mariadb") {
    const client = await mysql.createConnection({ uri: MYSQL_URL });
    try {
      await client.query("DELETE FROM bench_books WHERE id > ?", [BOOK_COUNT]);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(SQLITE_FILE, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare("DELETE FROM bench_books WHERE id > ?").run(BOOK_COUNT);
  } finally {
    db.close();
  }
}
