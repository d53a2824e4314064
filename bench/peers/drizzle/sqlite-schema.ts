/**
 * Drizzle's view of the benchmark tables on SQLite. yara stores datetimes as ISO-8601 text and
 * decimals as text, so those two columns are custom types.
 */
import { relations } from "drizzle-orm";
import { customType, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

const isoDatetime = customType<{ data: Date; driverData: string }>({
  dataType: () => "text",
  toDriver: (value) => value.toISOString(),
  fromDriver: (value) => new Date(value),
});

export const authors = sqliteTable("bench_authors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
});

export const books = sqliteTable("bench_books", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  title: text("title").notNull(),
  price: text("price").notNull(),
  published: integer("published", { mode: "boolean" }).notNull().default(false),
  rating: real("rating").notNull(),
  publishedAt: isoDatetime("published_at").notNull(),
  authorId: integer("author_id")
    .notNull()
    .references(() => authors.id, { onDelete: "cascade" }),
});

export const authorsRelations = relations(authors, ({ many }) => ({ books: many(books) }));

export const booksRelations = relations(books, ({ one }) => ({
  author: one(authors, { fields: [books.authorId], references: [authors.id] }),
}));
