/** Drizzle's view of the benchmark tables on MariaDB (the DDL yara emits, mapped by hand). */
import {
  boolean,
  datetime,
  decimal,
  double,
  int,
  mysqlTable,
  varchar,
} from "drizzle-orm/mysql-core";

export const authors = mysqlTable("bench_authors", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 100 }).notNull(),
});

export const books = mysqlTable("bench_books", {
  id: int("id").primaryKey().autoincrement(),
  title: varchar("title", { length: 200 }).notNull(),
  price: decimal("price", { precision: 10, scale: 2 }).notNull(),
  published: boolean("published").notNull().default(false),
  rating: double("rating").notNull(),
  publishedAt: datetime("published_at", { mode: "date", fsp: 6 }).notNull(),
  authorId: int("author_id")
    .notNull()
    .references(() => authors.id, { onDelete: "cascade" }),
});
