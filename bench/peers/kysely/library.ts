/**
 * The benchmark workloads written once with Kysely's query builder; each database's file
 * (pg.ts, sqlite.ts, mysql.ts) opens its dialect and says how its driver stores a boolean and
 * a datetime. Rows are mapped by hand.
 */
import type { Kysely, Selectable } from "kysely";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { groupBooks } from "../group-books.js";
import { BOOK_COLUMNS, type BenchTables } from "./tables.js";

/** The tables as the workloads see them: any database's boolean and datetime. */
export type AnyBenchTables = BenchTables<boolean | number, Date | string>;

/** How one database's driver holds the boolean and datetime columns. */
export interface ColumnCodec<Bool extends boolean | number, Instant extends Date | string> {
  /** `true` as the driver binds and returns it. */
  readonly yes: Bool;
  readonly readBool: (value: Bool) => boolean;
  readonly writeBool: (value: boolean) => Bool;
  readonly readInstant: (value: Instant) => Date;
  readonly writeInstant: (value: Date) => Instant;
}

/**
 * The workloads on `db`. Kysely's builder cannot be typed over a generic table type, so the
 * workloads see the tables with either database's column types and `codec` narrows them back.
 */
export function kyselyLibrary<Bool extends boolean | number, Instant extends Date | string>(
  db: Kysely<BenchTables<Bool, Instant>>,
  codec: ColumnCodec<Bool, Instant>,
): BenchLibrary {
  return workloads(
    db as unknown as Kysely<AnyBenchTables>,
    codec as unknown as ColumnCodec<boolean | number, Date | string>,
  );
}

function workloads(
  db: Kysely<AnyBenchTables>,
  codec: ColumnCodec<boolean | number, Date | string>,
): BenchLibrary {
  const bookRow = (r: Selectable<AnyBenchTables["bench_books"]>): BookRow => ({
    id: r.id,
    title: r.title,
    price: r.price,
    published: codec.readBool(r.published),
    rating: r.rating,
    publishedAt: codec.readInstant(r.published_at),
    authorId: r.author_id,
  });
  const newBook = (b: NewBook) => ({
    title: b.title,
    price: b.price,
    published: codec.writeBool(b.published),
    rating: b.rating,
    published_at: codec.writeInstant(b.publishedAt),
    author_id: b.authorId,
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
        .where("b.published", "=", codec.yes)
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
        .values(newBook(book))
        .returning(BOOK_COLUMNS)
        .executeTakeFirstOrThrow();
      return bookRow(row);
    },
    async insertBooks(books) {
      const rows = await db
        .insertInto("bench_books")
        .values(books.map(newBook))
        .returning(BOOK_COLUMNS)
        .execute();
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await db.transaction().execute(async (tx) => {
        for (const book of books) {
          await tx
            .insertInto("bench_books")
            .values(newBook(book))
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
      // COUNT(*) is a bigint string on Postgres, a number on SQLite, either on mysql2.
      const rows = await db
        .selectFrom("bench_books")
        .select((eb) => [
          "author_id",
          eb.fn.countAll<number | string>().as("books"),
          eb.fn.avg<number>("rating").as("avg_rating"),
        ])
        .where("published", "=", codec.yes)
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
