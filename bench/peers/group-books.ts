/** Hangs books on their authors for the libraries that load the two tables with two queries. */
import type { AuthorWithBooks, BookRow } from "../runtime/rows.js";

/** Each author with its books, in the order `books` came. */
export function groupBooks(
  authors: readonly { id: number; name: string }[],
  books: readonly BookRow[],
): AuthorWithBooks[] {
  const byAuthor = new Map<number, BookRow[]>();
  for (const a of authors) byAuthor.set(a.id, []);
  for (const b of books) byAuthor.get(b.authorId)?.push(b);
  return authors.map((a) => ({ id: a.id, name: a.name, books: byAuthor.get(a.id) ?? [] }));
}
