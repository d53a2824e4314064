/** Kysely on node-postgres (PostgresDialect over a pg Pool), rows mapped by hand. */
import { Kysely, type Selectable, PostgresDialect } from "kysely";
import pg from "pg";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { POOL_MAX, PG_URL } from "../../runtime/targets.js";
import { groupBooks } from "../group-books.js";
import { BOOK_COLUMNS, type PgTables } from "./tables.js";

type PgBook = Selectable<PgTables["bench_books"]>;

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

export async function openKyselyPg(): Promise<BenchLibrary> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: POOL_MAX });
  const db = new Kysely<PgTables>({ dialect: new PostgresDialect({ pool }) });
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
        .where("b.published", "=", true)
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
        .values(pgBook(book))
        .returning(BOOK_COLUMNS)
        .executeTakeFirstOrThrow();
      return bookRow(row);
    },
    async insertBooks(books) {
      const rows = await db
        .insertInto("bench_books")
        .values(books.map(pgBook))
        .returning(BOOK_COLUMNS)
        .execute();
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await db.transaction().execute(async (tx) => {
        for (const book of books) {
          await tx.insertInto("bench_books").values(pgBook(book)).returning(BOOK_COLUMNS).execute();
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
          eb.fn.countAll<string>().as("books"),
          eb.fn.avg<number>("rating").as("avg_rating"),
        ])
        .where("published", "=", true)
        .groupBy("author_id")
        .orderBy("author_id")
        .execute();
      return rows.map((r) => ({
        authorId: r.author_id,
        books: Number(r.books),
        avgRating: r.avg_rating,
      }));
    },
    close: () => db.destroy(),
  };
}
