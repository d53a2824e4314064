/**
 * Drizzle ORM on node-postgres: prepared statements (`.prepare(name)` with placeholders) for
 * the reads, the relational query API for authors with their books.
 */
import { and, asc, avg, count, desc, eq, getTableColumns, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { BenchLibrary } from "../../runtime/rows.js";
import { POOL_MAX, PG_URL } from "../../runtime/targets.js";
import * as schema from "./pg-schema.js";

const { authors, books } = schema;

export async function openDrizzlePg(): Promise<BenchLibrary> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: POOL_MAX });
  const db = drizzle(pool, { schema });
  const byPk = db
    .select()
    .from(books)
    .where(eq(books.id, sql.placeholder("id")))
    .prepare("drizzle_book_by_pk");
  const latest = db
    .select(getTableColumns(books))
    .from(books)
    .innerJoin(authors, eq(authors.id, books.authorId))
    .where(and(eq(authors.name, sql.placeholder("name")), eq(books.published, true)))
    .orderBy(desc(books.publishedAt))
    .limit(10)
    .prepare("drizzle_latest_books_of");
  const first = db
    .select()
    .from(books)
    .orderBy(asc(books.id))
    .limit(sql.placeholder("count"))
    .prepare("drizzle_first_books");
  const stats = db
    .select({
      authorId: books.authorId,
      books: count(),
      avgRating: avg(books.rating).mapWith(Number),
    })
    .from(books)
    .where(eq(books.published, true))
    .groupBy(books.authorId)
    .orderBy(asc(books.authorId))
    .prepare("drizzle_published_stats");
  return {
    async bookByPk(id) {
      const [row] = await byPk.execute({ id });
      if (!row) throw new Error(`no book ${id}`);
      return row;
    },
    latestBooksOf: (name) => latest.execute({ name }),
    firstBooks: (count) => first.execute({ count }),
    async insertBook(book) {
      const [row] = await db.insert(books).values(book).returning();
      return row!;
    },
    insertBooks: (rows) =>
      db
        .insert(books)
        .values([...rows])
        .returning(),
    async insertThreeInTransaction(rows) {
      await db.transaction(async (tx) => {
        for (const book of rows) await tx.insert(books).values(book).returning();
      });
    },
    async authorsWithBooks(fromId, n) {
      const found = await db.query.authors.findMany({
        where: and(gte(authors.id, fromId), lt(authors.id, fromId + n)),
        orderBy: asc(authors.id),
        with: { books: { orderBy: asc(books.id) } },
      });
      // The relational query aggregates books as JSON, where a numeric loses its scale
      // ("36.70" arrives as "36.7"): restore the two places the other libraries return.
      for (const author of found) {
        for (const book of author.books) book.price = Number(book.price).toFixed(2);
      }
      return found;
    },
    publishedStatsPerAuthor: () => stats.execute(),
    close: () => pool.end(),
  };
}
