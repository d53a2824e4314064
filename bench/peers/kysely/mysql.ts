/**
 * Kysely on mysql2 (MysqlDialect over a mysql2 pool), rows mapped by hand (0/1 to booleans).
 * MariaDB has INSERT … RETURNING (10.5+) and Kysely's MySQL compiler emits `.returning()` as
 * written, but its MySQL adapter says RETURNING is unsupported and drops the rows; the dialect
 * here is MysqlDialect with an adapter that keeps them (Kysely's way to describe a database).
 */
import { Kysely, MysqlAdapter, MysqlDialect, type DialectAdapter, type Selectable } from "kysely";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { groupBooks } from "../group-books.js";
import { mysql2Pool } from "../mysql2-pool.js";
import { BOOK_COLUMNS, type MysqlTables } from "./tables.js";

type MysqlBook = Selectable<MysqlTables["bench_books"]>;

function bookRow(r: MysqlBook): BookRow {
  return {
    id: r.id,
    title: r.title,
    price: r.price,
    published: r.published === 1,
    rating: r.rating,
    publishedAt: r.published_at,
    authorId: r.author_id,
  };
}

function mysqlBook(b: NewBook) {
  return {
    title: b.title,
    price: b.price,
    published: b.published ? 1 : 0,
    rating: b.rating,
    published_at: b.publishedAt,
    author_id: b.authorId,
  };
}

class MariadbAdapter extends MysqlAdapter {
  override get supportsReturning(): boolean {
    return true;
  }
}

class MariadbDialect extends MysqlDialect {
  override createAdapter(): DialectAdapter {
    return new MariadbAdapter();
  }
}

export async function openKyselyMysql(): Promise<BenchLibrary> {
  const db = new Kysely<MysqlTables>({ dialect: new MariadbDialect({ pool: mysql2Pool() }) });
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
        .values(mysqlBook(book))
        .returning(BOOK_COLUMNS)
        .executeTakeFirstOrThrow();
      return bookRow(row);
    },
    async insertBooks(books) {
      const rows = await db
        .insertInto("bench_books")
        .values(books.map(mysqlBook))
        .returning(BOOK_COLUMNS)
        .execute();
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await db.transaction().execute(async (tx) => {
        for (const book of books) {
          await tx
            .insertInto("bench_books")
            .values(mysqlBook(book))
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
          eb.fn.countAll<number | string>().as("books"),
          eb.fn.avg<number>("rating").as("avg_rating"),
        ])
        .where("published", "=", 1)
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
