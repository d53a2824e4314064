/**
 * Raw postgres.js: tagged-template queries (prepared by the library on each connection), a pool
 * of POOL_MAX connections, rows mapped by hand to the shared shapes.
 */
import postgres from "postgres";
import type { BenchLibrary, BookRow, NewBook } from "../runtime/rows.js";
import { POOL_MAX, PG_URL } from "../runtime/targets.js";
import { groupBooks } from "./group-books.js";

interface PgBook {
  id: number;
  title: string;
  price: string;
  published: boolean;
  rating: number;
  published_at: Date;
  author_id: number;
}

function bookRow(r: PgBook): BookRow {
  return {
    id: r.id,
    title: r.title,
    price: r.price,
    published: r.published,
    rating: r.rating,
    publishedAt: r.published_at,
    authorId: r.author_id,
  };
}

function pgBook(b: NewBook) {
  return {
    title: b.title,
    price: b.price,
    published: b.published,
    rating: b.rating,
    published_at: b.publishedAt,
    author_id: b.authorId,
  };
}

export async function openPostgresJs(): Promise<BenchLibrary> {
  const sql = postgres(PG_URL, { max: POOL_MAX, onnotice: () => {} });
  const columns = sql`id, title, price, published, rating, published_at, author_id`;
  const insertColumns = [
    "title",
    "price",
    "published",
    "rating",
    "published_at",
    "author_id",
  ] as const;
  return {
    async bookByPk(id) {
      const [row] = await sql<PgBook[]>`SELECT ${columns} FROM bench_books WHERE id = ${id}`;
      if (!row) throw new Error(`no book ${id}`);
      return bookRow(row);
    },
    async latestBooksOf(authorName) {
      const rows = await sql<PgBook[]>`
        SELECT b.id, b.title, b.price, b.published, b.rating, b.published_at, b.author_id
        FROM bench_books b JOIN bench_authors a ON a.id = b.author_id
        WHERE a.name = ${authorName} AND b.published = ${true}
        ORDER BY b.published_at DESC LIMIT 10`;
      return rows.map(bookRow);
    },
    async firstBooks(count) {
      const rows = await sql<
        PgBook[]
      >`SELECT ${columns} FROM bench_books ORDER BY id LIMIT ${count}`;
      return rows.map(bookRow);
    },
    async insertBook(book) {
      const [row] = await sql<PgBook[]>`
        INSERT INTO bench_books ${sql(pgBook(book), ...insertColumns)} RETURNING ${columns}`;
      return bookRow(row!);
    },
    async insertBooks(books) {
      const rows = await sql<PgBook[]>`
        INSERT INTO bench_books ${sql(books.map(pgBook), ...insertColumns)} RETURNING ${columns}`;
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await sql.begin(async (tx) => {
        for (const book of books) {
          await tx`INSERT INTO bench_books ${tx(pgBook(book), ...insertColumns)} RETURNING ${columns}`;
        }
      });
    },
    async authorsWithBooks(fromId, count) {
      const authors = await sql<{ id: number; name: string }[]>`
        SELECT id, name FROM bench_authors WHERE id >= ${fromId} AND id < ${fromId + count} ORDER BY id`;
      const books = await sql<PgBook[]>`
        SELECT ${columns} FROM bench_books WHERE author_id = ANY(${authors.map((a) => a.id)}) ORDER BY id`;
      return groupBooks(authors, books.map(bookRow));
    },
    async publishedStatsPerAuthor() {
      const rows = await sql<{ author_id: number; books: string; avg_rating: number }[]>`
        SELECT author_id, count(*) AS books, avg(rating) AS avg_rating FROM bench_books
        WHERE published = ${true} GROUP BY author_id ORDER BY author_id`;
      return rows.map((r) => ({
        authorId: r.author_id,
        books: Number(r.books),
        avgRating: r.avg_rating,
      }));
    },
    close: () => sql.end(),
  };
}
