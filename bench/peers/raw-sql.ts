/**
 * The hand-written SQL the raw drivers run, in Postgres placeholder syntax (`$1`); the SQLite and
 * mysql2 drivers rewrite the placeholders to `?`. Column lists are explicit and in BookRow's order.
 */

export const BOOK_COLUMNS = "id, title, price, published, rating, published_at, author_id";

const B_COLUMNS = BOOK_COLUMNS.split(", ")
  .map((c) => `b.${c}`)
  .join(", ");

export const SQL = {
  bookByPk: `SELECT ${BOOK_COLUMNS} FROM bench_books WHERE id = $1`,
  latestBooksOf:
    `SELECT ${B_COLUMNS} FROM bench_books b JOIN bench_authors a ON a.id = b.author_id ` +
    `WHERE a.name = $1 AND b.published = $2 ORDER BY b.published_at DESC LIMIT 10`,
  firstBooks: `SELECT ${BOOK_COLUMNS} FROM bench_books ORDER BY id LIMIT $1`,
  insertBook:
    "INSERT INTO bench_books (title, price, published, rating, published_at, author_id) " +
    `VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${BOOK_COLUMNS}`,
  authorsInRange: "SELECT id, name FROM bench_authors WHERE id >= $1 AND id < $2 ORDER BY id",
  /** Postgres: the author keys bound as one array. */
  booksOfAuthors: `SELECT ${BOOK_COLUMNS} FROM bench_books WHERE author_id = ANY($1) ORDER BY id`,
  /** SQLite: the author keys bound as one JSON array. */
  booksOfAuthorsSqlite: `SELECT ${BOOK_COLUMNS} FROM bench_books WHERE author_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  publishedStatsPerAuthor:
    "SELECT author_id, count(*) AS books, avg(rating) AS avg_rating FROM bench_books " +
    "WHERE published = $1 GROUP BY author_id ORDER BY author_id",
} as const;

/** A multi-row INSERT … RETURNING of `rows` books: placeholders numbered from $1. */
export function insertBooksSql(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => {
    const base = r * 6;
    return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6})`;
  });
  return (
    "INSERT INTO bench_books (title, price, published, rating, published_at, author_id) " +
    `VALUES ${tuples.join(", ")} RETURNING ${BOOK_COLUMNS}`
  );
}

/** The same statement with SQLite's `?` placeholders. */
export function questionMarks(sql: string): string {
  return sql.replace(/\$\d+/g, "?");
}
