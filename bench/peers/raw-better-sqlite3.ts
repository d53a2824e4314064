/**
 * Raw better-sqlite3 on the seeded file, at its fastest: every statement prepared once and put in
 * raw mode (rows come as arrays, no per-row object with named keys built by the driver), the
 * arrays mapped by hand to the shared shapes (0/1 to booleans, ISO text to Dates), the same
 * pragmas yara sets.
 *
 * `insertBook` steps its INSERT … RETURNING to the end (`.all()`), as `insertBooks` and the
 * transaction's COMMIT do. Read with `.get()`, the statement would be reset after its one row and
 * never report SQLITE_DONE, and SQLite runs its automatic WAL checkpoint only from a commit that
 * finishes that way: the connection would never checkpoint, its write-ahead log growing by every
 * page written (about 31 000 pages after 10 000 single inserts) until it closes — the same as
 * `wal_autocheckpoint = 0`, where yara's drivers keep SQLite's default of 1 000 pages. So both
 * sides run the same settings and the same checkpoints (yara's native engine runs them on a
 * thread of its own).
 */
import Database from "better-sqlite3";
import type { BenchLibrary, BookRow, NewBook } from "../runtime/rows.js";
import { SQLITE_FILE } from "../runtime/targets.js";
import { groupBooks } from "./group-books.js";
import { SQL, insertBooksSql, questionMarks } from "./raw-sql.js";

/** A book row as raw mode returns it, in BOOK_COLUMNS order. */
export type SqliteBook = [
  id: number,
  title: string,
  price: string,
  published: number,
  rating: number,
  publishedAt: string,
  authorId: number,
];

/** A row read with `.raw()`, mapped by hand (the fastest way better-sqlite3 offers). */
export function bookRow(r: SqliteBook): BookRow {
  return {
    id: r[0],
    title: r[1],
    price: r[2],
    published: r[3] === 1,
    rating: r[4],
    publishedAt: new Date(r[5]),
    authorId: r[6],
  };
}

/** The INSERT parameters of a new book, as SQLite stores them. */
export function bookParams(b: NewBook): unknown[] {
  return [b.title, b.price, b.published ? 1 : 0, b.rating, b.publishedAt.toISOString(), b.authorId];
}

/** Opens the seeded SQLite file with the pragmas yara's driver sets. */
export function openSqliteFile(): Database.Database {
  const db = new Database(SQLITE_FILE);
  db.pragma("foreign_keys = ON");
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

export async function openRawBetterSqlite3(): Promise<BenchLibrary> {
  const db = openSqliteFile();
  const prepare = (sql: string) => db.prepare(questionMarks(sql)).raw(true);
  const byPk = prepare(SQL.bookByPk);
  const latest = prepare(SQL.latestBooksOf);
  const first = prepare(SQL.firstBooks);
  const insert = prepare(SQL.insertBook);
  const authorsInRange = prepare(SQL.authorsInRange);
  const booksOfAuthors = db.prepare(SQL.booksOfAuthorsSqlite).raw(true);
  const stats = prepare(SQL.publishedStatsPerAuthor);
  const insertMany = new Map<number, Database.Statement>();
  const insertThree = db.transaction((books: readonly NewBook[]) => {
    for (const book of books) insert.get(...bookParams(book));
  });
  return {
    async bookByPk(id) {
      const row = byPk.get(id) as SqliteBook | undefined;
      if (!row) throw new Error(`no book ${id}`);
      return bookRow(row);
    },
    async latestBooksOf(authorName) {
      return (latest.all(authorName, 1) as SqliteBook[]).map(bookRow);
    },
    async firstBooks(count) {
      return (first.all(count) as SqliteBook[]).map(bookRow);
    },
    async insertBook(book) {
      return bookRow((insert.all(...bookParams(book)) as SqliteBook[])[0]!);
    },
    async insertBooks(books) {
      let statement = insertMany.get(books.length);
      if (statement === undefined) {
        statement = prepare(insertBooksSql(books.length));
        insertMany.set(books.length, statement);
      }
      return (statement.all(...books.flatMap(bookParams)) as SqliteBook[]).map(bookRow);
    },
    async insertThreeInTransaction(books) {
      insertThree(books);
    },
    async authorsWithBooks(fromId, count) {
      const authors = (authorsInRange.all(fromId, fromId + count) as [number, string][]).map(
        (r) => ({ id: r[0], name: r[1] }),
      );
      const books = booksOfAuthors.all(JSON.stringify(authors.map((a) => a.id))) as SqliteBook[];
      return groupBooks(authors, books.map(bookRow));
    },
    async publishedStatsPerAuthor() {
      const rows = stats.all(1) as [authorId: number, books: number, avgRating: number][];
      return rows.map((r) => ({ authorId: r[0], books: r[1], avgRating: r[2] }));
    },
    close: async () => {
      db.close();
    },
  };
}
