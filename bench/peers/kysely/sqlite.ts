/** Kysely on better-sqlite3 (SqliteDialect), rows mapped by hand (0/1 and ISO text converted). */
import { Kysely, type Selectable, SqliteDialect } from "kysely";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { groupBooks } from "../group-books.js";
import { openSqliteFile } from "../raw-better-sqlite3.js";
import { BOOK_COLUMNS, type SqliteTables } from "./tables.js";

type SqliteBook = Selectable<SqliteTables["bench_books"]>;

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

function sqliteBook(b: NewBook) {
  return {
    title: b.title,
    price: b.price,
    published: b.published ? 1 : 0,
    rating: b.rating,
    published_at: b.publishedAt.toISOString(),
    author_id: b.authorId,
  };
}

export async function openKyselySqlite(): Promise<BenchLibrary> {
  const db = new Kysely<SqliteTables>({
    dialect: new SqliteDialect({ database: openSqliteFile() }),
  });
  return {
    async bookByPk(id) {
      const row = await db
        .selectFrom("bench_books")
        .select(BOOK_COLUMNS)
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return bookRow(row);
    },
    async latestBooksOf(name) {
      const rows = await db
        .selectFrom("bench_books as b")
        .innerJoin("bench_authors as a", "a.id", "b.author_id")
        .select(BOOK_COLUMNS.map((c) => `b.${c}` as const))
        .where("a.name", "=", name)
        .where("b.published", "=", 1)
        .orderBy("b.published_at", "desc")
        .limit(10)
        .execute();
      return rows.map(bookRow);
    },
    async firstBooks(count) {
      const rows = await db
        .selectFrom("bench_books")
        .select(BOOK_COLUMNS)
        .orderBy("id")
        .limit(count)
        .execute();
      return rows.map(bookRow);
    },
    async insertBook(book) {
      const row = await db
        .insertInto("bench_books")
        .values(sqliteBook(book))
        .returning(BOOK_COLUMNS)
        .executeTakeFirstOrThrow();
      return bookRow(row);
    },
    async insertBooks(books) {
      const rows = await db
        .insertInto("bench_books")
        .values(books.map(sqliteBook))
        .returning(BOOK_COLUMNS)
        .execute();
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await db.transaction().execute(async (tx) => {
        for (const book of books) {
          await tx
            .insertInto("bench_books")
            .values(sqliteBook(book))
            .returning(BOOK_COLUMNS)
            .execute();
        }
      });
    },
    async authorsWithBooks(fromId, count) {
      const authors = await db
        .selectFrom("bench_authors")
        .select(["id", "name"])
        .where("id", ">=", fromId)
        .where("id", "<", fromId + count)
        .orderBy("id")
        .execute();
      const books = await db
        .selectFrom("bench_books")
        .select(BOOK_COLUMNS)
        .where(
          "author_id",
          "in",
          authors.map((a) => a.id),
        )
        .orderBy("id")
        .execute();
      return groupBooks(authors, books.map(bookRow));
    },
    async publishedStatsPerAuthor() {
      const rows = await db
        .selectFrom("bench_books")
        .select((eb) => [
          "author_id",
          eb.fn.countAll<number>().as("books"),
          eb.fn.avg<number>("rating").as("avg_rating"),
        ])
        .where("published", "=", 1)
        .groupBy("author_id")
        .orderBy("author_id")
        .execute();
      return rows.map((r) => ({ authorId: r.author_id, books: r.books, avgRating: r.avg_rating }));
    },
    close: () => db.destroy(),
  };
}
