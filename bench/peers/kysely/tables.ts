/** Kysely's table types for the benchmark tables (column names as the database has them). */
import type { Generated } from "kysely";

/** The two tables; `Bool` and `Instant` are how a database's driver hands back the two columns that differ. */
export interface BenchTables<Bool, Instant> {
  bench_authors: { id: Generated<number>; name: string };
  bench_books: {
    id: Generated<number>;
    title: string;
    price: string;
    published: Bool;
    rating: number;
    published_at: Instant;
    author_id: number;
  };
}

export type PgTables = BenchTables<boolean, Date>;

/** On SQLite yara stores booleans as 0/1 and datetimes as ISO-8601 text. */
export type SqliteTables = BenchTables<number, string>;

/** On MariaDB a boolean is TINYINT(1), which mysql2 reads as 0/1. */
export type MysqlTables = BenchTables<number, Date>;

export const BOOK_COLUMNS = [
  "id",
  "title",
  "price",
  "published",
  "rating",
  "published_at",
  "author_id",
] as const;
