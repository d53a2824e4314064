import type { CompiledQuery } from "../../../runtime/index.js";
import { AUTHOR_COLUMNS, BOOK_COLUMNS } from "./fixtures.js";

export const SELECT_BOOKS = `SELECT ${BOOK_COLUMNS} FROM "books"`;
export const SELECT_AUTHORS = `SELECT ${AUTHOR_COLUMNS} FROM "authors"`;

/** The compiled query for both dialects. */
export function both(query: { sql(dialect: "postgres" | "sqlite"): CompiledQuery }): {
  postgres: CompiledQuery;
  sqlite: CompiledQuery;
} {
  return { postgres: query.sql("postgres"), sqlite: query.sql("sqlite") };
}
