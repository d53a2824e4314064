/**
 * Drizzle ORM on better-sqlite3: prepared statements with placeholders for the reads, the
 * relational query API for authors with their books.
 */
import { and, asc, avg, count, desc, eq, getTableColumns, gte, lt, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { BenchLibrary } from "../../runtime/rows.js";
import { openSqliteFile } from "../raw-better-sqlite3.js";
import * as schema from "./sqlite-schema.js";

const { authors, books } = schema;

export async function openDrizzleSqlite(): Promise<BenchLibrary> {
  const client = openSqliteFile();
  const db = drizzle(client, { schema });
  const byPk = db
    .select()
    .from(books)
    .where(eq(books.id, sql.placeholder("id")))
    .prepare();
  const latest = db
    .select(getTableColumns(books))
    .from(books)
    .innerJoin(authors, eq(authors.id, books.authorId))
    .where(and(eq(authors.name, sql.placeholder("name")), eq(books.published, true)))
    .orderBy(desc(books.publishedAt))
    .limit(10)
    .prepare();
  const first = db
    .select()
    .from(books)
    .orderBy(asc(books.id))
    .limit(sql.placeholder("count"))
    .prepare();
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
    .prepare();
  return {
    async bookByPk(id) {
      const row = byPk.get({ id });
      if (!row) throw new Error(`no book ${id}`);
      return row;
    },
    latestBooksOf: async (name) => latest.all({ name }),
    firstBooks: async (count) => first.all({ count }),
    insertBook: async (book) => db.insert(books).values(book).returning().get(),
    insertBooks: async (rows) =>
      db
        .insert(books)
        .values([...rows])
        .returning()
        .all(),
    async insertThreeInTransaction(rows) {
      db.transaction((tx) => {
        for (const book of rows) tx.insert(books).values(book).returning().get();
      });
    },
    authorsWithBooks: async (fromId, n) =>
      db.query.authors
        .findMany({
          where: and(gte(authors.id, fromId), lt(authors.id, fromId + n)),
          orderBy: asc(authors.id),
          with: { books: { orderBy: asc(books.id) } },
        })
        .sync(),
    publishedStatsPerAuthor: async () => stats.all(),
    close: async () => {
      client.close();
    },
  };
}
