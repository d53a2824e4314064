/**
 * Raw node-postgres at its fastest: a Pool of POOL_MAX connections, every statement a named
 * prepared statement (parsed once per connection), rows requested as arrays (`rowMode: "array"`:
 * no per-row object with named keys built by the driver) and mapped by hand to the shared shapes.
 */
import pg from "pg";
import type { BenchLibrary, BookRow, NewBook } from "../runtime/rows.js";
import { groupBooks } from "./group-books.js";
import { POOL_MAX, PG_URL } from "../runtime/targets.js";
import { SQL, insertBooksSql } from "./raw-sql.js";

/** A book row in BOOK_COLUMNS order, as `rowMode: "array"` returns it. */
type PgBook = [
  id: number,
  title: string,
  price: string,
  published: boolean,
  rating: number,
  publishedAt: Date,
  authorId: number,
];

function bookFromPg(r: PgBook): BookRow {
  return {
    id: r[0],
    title: r[1],
    price: r[2],
    published: r[3],
    rating: r[4],
    publishedAt: r[5],
    authorId: r[6],
  };
}

function bookParams(b: NewBook): unknown[] {
  return [b.title, b.price, b.published, b.rating, b.publishedAt, b.authorId];
}

export async function openRawPg(): Promise<BenchLibrary> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: POOL_MAX });
  const run = async <R extends unknown[]>(name: string, text: string, values: unknown[]) =>
    (await pool.query<R>({ name, text, values, rowMode: "array" })).rows;
  const insertMany = new Map<number, string>();
  return {
    async bookByPk(id) {
      const [row] = await run<PgBook>("book_by_pk", SQL.bookByPk, [id]);
      if (!row) throw new Error(`no book ${id}`);
      return bookFromPg(row);
    },
    async latestBooksOf(authorName) {
      return (await run<PgBook>("latest_books_of", SQL.latestBooksOf, [authorName, true])).map(
        bookFromPg,
      );
    },
    async firstBooks(count) {
      return (await run<PgBook>("first_books", SQL.firstBooks, [count])).map(bookFromPg);
    },
    async insertBook(book) {
      const [row] = await run<PgBook>("insert_book", SQL.insertBook, bookParams(book));
      return bookFromPg(row!);
    },
    async insertBooks(books) {
      let text = insertMany.get(books.length);
      if (text === undefined) insertMany.set(books.length, (text = insertBooksSql(books.length)));
      const rows = await run<PgBook>(
        `insert_books_${books.length}`,
        text,
        books.flatMap(bookParams),
      );
      return rows.map(bookFromPg);
    },
    async insertThreeInTransaction(books) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        for (const book of books) {
          await client.query({
            name: "insert_book",
            text: SQL.insertBook,
            values: bookParams(book),
          });
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      } finally {
        client.release();
      }
    },
    async authorsWithBooks(fromId, count) {
      const authors = (
        await run<[number, string]>("authors_in_range", SQL.authorsInRange, [
          fromId,
          fromId + count,
        ])
      ).map((r) => ({ id: r[0], name: r[1] }));
      const books = await run<PgBook>("books_of_authors", SQL.booksOfAuthors, [
        authors.map((a) => a.id),
      ]);
      return groupBooks(authors, books.map(bookFromPg));
    },
    async publishedStatsPerAuthor() {
      const rows = await run<[authorId: number, books: string, avgRating: number]>(
        "published_stats_per_author",
        SQL.publishedStatsPerAuthor,
        [true],
      );
      return rows.map((r) => ({ authorId: r[0], books: Number(r[1]), avgRating: r[2] }));
    },
    close: () => pool.end(),
  };
}
