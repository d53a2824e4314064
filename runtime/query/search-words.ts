/**
 * The words the `search` lookup compares, the same on every database: maximal runs of letters
 * and decimal digits (Unicode `Alphabetic` and `Nd`: what Postgres' `[:alnum:]` is under a
 * UTF-8 glibc locale, which leaves out `²`, `½` and the like), each character lower-cased on
 * its own (no context rules such as a final sigma). A row matches when its text holds every
 * word of the query.
 *
 * Postgres: `to_tsvector('simple', regexp_replace(col, '[^[:alnum:]]+', ' ', 'g')) @@
 * plainto_tsquery('simple', $1)` with `$1` the query's words joined by spaces; the
 * `regexp_replace` leaves its parser nothing but words, so e-mail addresses, host names,
 * URLs, paths and decimals split into words there too. SQLite: `yara_search(col, $1)`, a
 * function every SQLite driver registers (JavaScript below; Rust in native/src/sqlite/functions.rs).
 */

const WORD = /[\p{Alphabetic}\p{Nd}]+/gu;

/** The words of `text`, in order, lower-cased. */
export function searchWords(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => [...w].map((c) => c.toLowerCase()).join(""));
}

/** Whether `document` holds every word of a query (`wanted`, its `searchWords`); false for none. */
export function searchMatches(document: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0) return false;
  const words = new Set(searchWords(document));
  return wanted.every((w) => words.has(w));
}
