/**
 * Raw better-sqlite3 on the seeded file: every statement prepared once, rows mapped by hand to
 * the shared shapes (0/1 to booleans, ISO text to Dates), the same pragmas yara sets.
 */
import Database from "better-sqlite3";
import type { BenchLibrary, BookRow, NewBook } from "../runtime/rows.js";
import { SQLITE_FILE } from "../runtime/targets.js";
import { groupBooks } from "./group-books.js";
import { SQL, insertBooksSql, questionMarks } from "./raw-sql.js";

interface SqliteBook {
  id: number;
  title: string;
  price: string;
  published: number;
  rating: number;
  published_at: string;
  author_id: number;
}

function bookRow(r: SqliteBook): BookRow {
  return {
    id: r.id,
    title: r.title,
    price: r.price,
    published: r.published === 1,
    rating: r.rating,
    publishedAt: new Date(r.published_at),
    authorId: r.author_id,
  };
}

function bookParams(b: NewBook): unknown[] {
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
  const prepare = (sql: string) => db.prepare(questionMarks(sql));
  const byPk = prepare(SQL.bookByPk);
  const latest = prepare(SQL.latestBooksOf);
  const first = prepare(SQL.firstBooks);
  const insert = prepare(SQL.insertBook);
  const authorsInRange = prepare(SQL.authorsInRange);
  const booksOfAuthors = db.prepare(SQL.booksOfAuthorsSqlite);
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
      return bookRow(insert.get(...bookParams(book)) as SqliteBook);
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
      const authors = authorsInRange.all(fromId, fromId + count) as { id: number; name: string }[];
      const books = booksOfAuthors.all(JSON.stringify(authors.map((a) => a.id))) as SqliteBook[];
      return groupBooks(authors, books.map(bookRow));
    },
    async publishedStatsPerAuthor() {
      const rows = stats.all(1) as { author_id: number; books: number; avg_rating: number }[];
      return rows.map((r) => ({ authorId: r.author_id, books: r.books, avgRating: r.avg_rating }));
    },
    close: async () => {
      db.close();
    },
  };
}
