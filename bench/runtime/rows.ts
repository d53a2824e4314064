/**
 * The typed objects every library maps its rows to, and the interface each library implements
 * for the workloads. Every implementation returns these exact shapes, so outputs can be
 * compared with the raw driver's before anything is timed.
 */

export interface BookRow {
  id: number;
  title: string;
  /** The decimal as an exact string with two places, as yara and the raw drivers read it. */
  price: string;
  published: boolean;
  rating: number;
  publishedAt: Date;
  authorId: number;
}

/** A book to insert: a BookRow before the database assigned its key. */
export type NewBook = Omit<BookRow, "id">;

export interface AuthorWithBooks {
  id: number;
  name: string;
  books: BookRow[];
}

/** One row of the aggregate workload: published books per author. */
export interface AuthorStats {
  authorId: number;
  books: number;
  avgRating: number;
}

/** One library on one database, opened in its own child process. */
export interface BenchLibrary {
  /** Primary-key lookup of one book. */
  bookByPk(id: number): Promise<BookRow>;
  /** Published books of the author named `authorName` (a join), newest first, 10 at most. */
  latestBooksOf(authorName: string): Promise<BookRow[]>;
  /** The first `count` books by key. */
  firstBooks(count: number): Promise<BookRow[]>;
  insertBook(book: NewBook): Promise<BookRow>;
  /** One multi-row INSERT … RETURNING (or the library's bulk call). */
  insertBooks(books: readonly NewBook[]): Promise<BookRow[]>;
  /** Three inserts in one transaction. */
  insertThreeInTransaction(books: readonly [NewBook, NewBook, NewBook]): Promise<void>;
  /** Authors `fromId` … `fromId + count - 1` with all their books (ordered by key). */
  authorsWithBooks(fromId: number, count: number): Promise<AuthorWithBooks[]>;
  /** COUNT and AVG(rating) of published books, grouped by author, ordered by author key. */
  publishedStatsPerAuthor(): Promise<AuthorStats[]>;
  close(): Promise<void>;
}
