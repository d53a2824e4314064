/**
 * yara through its public API: the client yara-gen generated from bench/schema.ts, on the
 * driver named by the subject (pg, mysql2, better-sqlite3, or the native engine when it is built).
 */
import { Author, Avg, Book, Count, YaraOrm, inTransaction } from "../generated/yara/index.js";
import type {
  AuthorStats,
  AuthorWithBooks,
  BenchLibrary,
  BookRow,
  NewBook,
} from "../runtime/rows.js";
import { MYSQL_URL, POOL_MAX, PG_URL, SQLITE_FILE, type Subject } from "../runtime/targets.js";

function bookRow(b: Book): BookRow {
  return {
    id: b.id,
    title: b.title,
    price: b.price,
    published: b.published,
    rating: b.rating,
    publishedAt: b.publishedAt,
    authorId: b.authorId,
  };
}

export async function openYara(subject: Subject): Promise<BenchLibrary> {
  const driver = subject.driver;
  if (driver === "postgres.js") throw new Error("yara has no postgres.js driver");
  if (subject.database === "postgres") {
    await YaraOrm.init(PG_URL, { driver, pool: { max: POOL_MAX } });
  } else if (subject.database === "mariadb") {
    await YaraOrm.init(MYSQL_URL, { driver, pool: { max: POOL_MAX } });
  } else {
    await YaraOrm.init(`sqlite://${SQLITE_FILE}`, { driver });
  }
  return {
    async bookByPk(id) {
      return bookRow(await Book.get({ id }));
    },
    async latestBooksOf(authorName) {
      const books = await Book.filter({ author__name: authorName, published: true })
        .orderBy("-publishedAt")
        .limit(10);
      return books.map(bookRow);
    },
    async firstBooks(count) {
      return (await Book.all().orderBy("id").limit(count)).map(bookRow);
    },
    async insertBook(book: NewBook) {
      return bookRow(await Book.create(book));
    },
    async insertBooks(books) {
      return (await Book.bulkCreate([...books])).map(bookRow);
    },
    async insertThreeInTransaction(books) {
      await inTransaction(async () => {
        for (const book of books) await Book.create(book);
      });
    },
    async authorsWithBooks(fromId, count) {
      const authors = await Author.filter({ id__gte: fromId, id__lt: fromId + count })
        .orderBy("id")
        .prefetchRelated("books");
      return authors.map((a): AuthorWithBooks => ({
        id: a.id,
        name: a.name,
        books: a.books.loaded.map(bookRow),
      }));
    },
    async publishedStatsPerAuthor() {
      const rows = await Book.filter({ published: true })
        .annotate({ books: Count(), avgRating: Avg("rating") })
        .groupBy("authorId")
        .orderBy("authorId")
        .values("authorId", "books", "avgRating");
      return rows.map((r): AuthorStats => ({
        authorId: r.authorId,
        books: r.books,
        avgRating: r.avgRating ?? Number.NaN,
      }));
    },
    close: () => YaraOrm.close(),
  };
}
