/**
 * The seeded data and the write inputs, generated deterministically so every library sees the
 * same rows: 1 000 authors, 50 books each, decimal prices, every third book published, ratings
 * that are exact binary fractions, timestamps an hour apart with milliseconds.
 */
import type { NewBook } from "./rows.js";

export const AUTHOR_COUNT = 1_000;
export const BOOK_COUNT = 50_000;

export function authorName(id: number): string {
  return `Author ${String(id).padStart(4, "0")}`;
}

export function seededBook(id: number): NewBook & { id: number } {
  return {
    id,
    title: `Book ${id}`,
    price: (((id * 37) % 10_000) / 100).toFixed(2),
    published: id % 3 === 0,
    rating: (id % 37) / 8,
    publishedAt: new Date(Date.UTC(2020, 0, 1) + id * 3_600_000 + (id % 1_000)),
    authorId: ((id - 1) % AUTHOR_COUNT) + 1,
  };
}

/** The `n`-th book a write workload inserts (never one of the seeded keys). */
export function newBook(n: number): NewBook {
  return {
    title: `New ${n}`,
    price: ((n % 10_000) / 100).toFixed(2),
    published: n % 2 === 0,
    rating: (n % 40) / 8,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + n * 1_000),
    authorId: (n % AUTHOR_COUNT) + 1,
  };
}

/** A book key spread over the whole table, different for consecutive `i`. */
export function spreadBookId(i: number): number {
  return ((i * 7_919) % BOOK_COUNT) + 1;
}
