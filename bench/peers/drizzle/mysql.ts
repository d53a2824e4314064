/**
 * Drizzle ORM on mysql2 (MariaDB): prepared queries with placeholders for the reads, the
 * relational query API for authors with their books. Drizzle's MySQL dialect has no
 * `.returning()`: inserts use `$returningId()` (the keys from the insert's first id and row
 * count) and the rows returned are the inputs with those keys, as a Drizzle user on MySQL
 * builds them. Its relational query API cannot run on MariaDB (the default mode joins LATERAL,
 * which MariaDB lacks; "planetscale" mode refers to the outer row from inside a derived table,
 * which MariaDB refuses), so authors with their books are two queries, as for Kysely and raw.
 */
import {
  and,
  asc,
  avg,
  count,
  desc,
  eq,
  getTableColumns,
  gte,
  inArray,
  lt,
  sql,
} from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { groupBooks } from "../group-books.js";
import { mysql2Pool } from "../mysql2-pool.js";
import { authors, books } from "./mysql-schema.js";

export async function openDrizzleMysql(): Promise<BenchLibrary> {
  const pool = mysql2Pool().promise();
  const db = drizzle(pool);
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
  const authorsInRange = db
    .select()
    .from(authors)
    .where(and(gte(authors.id, sql.placeholder("from")), lt(authors.id, sql.placeholder("to"))))
    .orderBy(asc(authors.id))
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
  const withKeys = (rows: readonly NewBook[], keys: readonly { id: number }[]): BookRow[] =>
    rows.map((row, k) => ({ id: keys[k]!.id, ...row }));
  return {
    async bookByPk(id) {
      const [row] = await byPk.execute({ id });
      if (!row) throw new Error(`no book ${id}`);
      return row;
    },
    latestBooksOf: (name) => latest.execute({ name }),
    firstBooks: (count) => first.execute({ count }),
    async insertBook(book) {
      const keys = await db.insert(books).values(book).$returningId();
      return withKeys([book], keys)[0]!;
    },
    async insertBooks(rows) {
      const keys = await db
        .insert(books)
        .values([...rows])
        .$returningId();
      return withKeys(rows, keys);
    },
    async insertThreeInTransaction(rows) {
      await db.transaction(async (tx) => {
        for (const book of rows) await tx.insert(books).values(book).$returningId();
      });
    },
    async authorsWithBooks(fromId, n) {
      const found = await authorsInRange.execute({ from: fromId, to: fromId + n });
      const rows = await db
        .select()
        .from(books)
        .where(
          inArray(
            books.authorId,
            found.map((a) => a.id),
          ),
        )
        .orderBy(asc(books.id));
      return groupBooks(found, rows);
    },
    publishedStatsPerAuthor: () => stats.execute(),
    close: () => pool.end(),
  };
}
