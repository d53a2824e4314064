/**
 * Prisma 7 on its query compiler, through the pg or better-sqlite3 driver adapter. The two
 * clients are generated from pg.prisma and sqlite.prisma into bench/generated (gitignored).
 * Prisma reads decimals as Decimal objects: they are mapped to the same two-place string.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { BenchLibrary, BookRow, NewBook } from "../../runtime/rows.js";
import { POOL_MAX, PG_URL, SQLITE_FILE, type Database } from "../../runtime/targets.js";

interface PrismaBook extends Omit<BookRow, "price"> {
  price: { toFixed(places: number): string };
}

function bookRow(b: PrismaBook): BookRow {
  return {
    id: b.id,
    title: b.title,
    price: b.price.toFixed(2),
    published: b.published,
    rating: b.rating,
    publishedAt: b.publishedAt,
    authorId: b.authorId,
  };
}

type PgPrismaClient = import("../../generated/prisma-pg/client.js").PrismaClient;

/** The client of `database`: both generated clients have the same model API. */
async function newClient(database: Database) {
  if (database === "postgres") {
    const { PrismaClient } = await import("../../generated/prisma-pg/client.js");
    return new PrismaClient({
      adapter: new PrismaPg({ connectionString: PG_URL, max: POOL_MAX }),
    });
  }
  if (database !== "sqlite") throw new Error(`Prisma is not benchmarked on ${database}`);
  const { PrismaClient } = await import("../../generated/prisma-sqlite/client.js");
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${SQLITE_FILE}` }) });
}

export async function openPrisma(database: Database): Promise<BenchLibrary> {
  // Typed as the Postgres client: the SQLite one has the same model API for these tables.
  const prisma = (await newClient(database)) as PgPrismaClient;
  await prisma.$connect();
  const data = (b: NewBook) => ({ ...b });
  return {
    async bookByPk(id) {
      return bookRow(await prisma.book.findUniqueOrThrow({ where: { id } }));
    },
    async latestBooksOf(name) {
      const books = await prisma.book.findMany({
        where: { published: true, author: { name } },
        orderBy: { publishedAt: "desc" },
        take: 10,
      });
      return books.map(bookRow);
    },
    async firstBooks(count) {
      return (await prisma.book.findMany({ orderBy: { id: "asc" }, take: count })).map(bookRow);
    },
    async insertBook(book) {
      return bookRow(await prisma.book.create({ data: data(book) }));
    },
    async insertBooks(books) {
      return (await prisma.book.createManyAndReturn({ data: books.map(data) })).map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await prisma.$transaction(async (tx) => {
        for (const book of books) await tx.book.create({ data: data(book) });
      });
    },
    async authorsWithBooks(fromId, count) {
      const authors = await prisma.author.findMany({
        where: { id: { gte: fromId, lt: fromId + count } },
        orderBy: { id: "asc" },
        include: { books: { orderBy: { id: "asc" } } },
      });
      return authors.map((a) => ({ id: a.id, name: a.name, books: a.books.map(bookRow) }));
    },
    async publishedStatsPerAuthor() {
      const groups = await prisma.book.groupBy({
        by: ["authorId"],
        where: { published: true },
        _count: { _all: true },
        _avg: { rating: true },
        orderBy: { authorId: "asc" },
      });
      return groups.map((g) => ({
        authorId: g.authorId,
        books: g._count._all,
        avgRating: g._avg.rating ?? Number.NaN,
      }));
    },
    close: () => prisma.$disconnect(),
  };
}
