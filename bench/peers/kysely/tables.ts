/** Kysely's table types for the benchmark tables (column names as the database has them). */
import type { Generated } from "kysely";

export interface PgTables {
  bench_authors: { id: Generated<number>; name: string };
  bench_books: {
    id: Generated<number>;
    title: string;
    price: string;
    published: boolean;
    rating: number;
    published_at: Date;
    author_id: number;
  };
}

/** On SQLite yara stores booleans as 0/1 and datetimes as ISO-8601 text. */
export interface SqliteTables {
  bench_authors: { id: Generated<number>; name: string };
  bench_books: {
    id: Generated<number>;
    title: string;
    price: string;
    published: number;
    rating: number;
    published_at: string;
    author_id: number;
  };
}

/** On MariaDB a boolean is TINYINT(1), which mysql2 reads as 0/1. */
export interface MysqlTables {
  bench_authors: { id: Generated<number>; name: string };
  bench_books: {
    id: Generated<number>;
    title: string;
    price: string;
    published: number;
    rating: number;
    published_at: Date;
    author_id: number;
  };
}

export const BOOK_COLUMNS = [
  "id",
  "title",
  "price",
  "published",
  "rating",
  "published_at",
  "author_id",
] as const;
