/**
 * Raw mysql2 on MariaDB at its fastest: a pool of POOL_MAX connections, rows requested as arrays
 * (`rowsAsArray`: no per-row object with named keys built by the driver) and mapped by hand to
 * the shared shapes (0/1 to booleans; DATETIME is read as UTC by the pool's `timezone: "Z"`).
 *
 * mysql2 has two ways to run a statement: `execute` (a server-side prepared statement, cached per
 * connection, binary rows) and `query` (values escaped into the text, text rows). Neither is the
 * faster on every workload, so each statement uses the one that measured faster here
 * (`FASTEST`, from `npm run bench -- --databases mariadb --subjects mysql2` with
 * YARA_BENCH_MYSQL2_PROTOCOL set to each in turn; that variable forces one protocol everywhere).
 */
import type { RowDataPacket } from "mysql2";
import type { Pool, PoolConnection } from "mysql2/promise";
import type { BenchLibrary, BookRow, NewBook } from "../runtime/rows.js";
import { groupBooks } from "./group-books.js";
import { mysql2Pool } from "./mysql2-pool.js";
import { BOOK_COLUMNS, SQL, insertBooksSql, questionMarks } from "./raw-sql.js";

type Protocol = "execute" | "query";

/** MariaDB has INSERT … RETURNING (10.5+), so the Postgres statements serve with `?` marks. */
const STATEMENTS = {
  bookByPk: questionMarks(SQL.bookByPk),
  latestBooksOf: questionMarks(SQL.latestBooksOf),
  firstBooks: questionMarks(SQL.firstBooks),
  insertBook: questionMarks(SQL.insertBook),
  authorsInRange: questionMarks(SQL.authorsInRange),
  publishedStatsPerAuthor: questionMarks(SQL.publishedStatsPerAuthor),
};

/** Every statement: the fixed ones and those whose text depends on a row or key count. */
type StatementName = keyof typeof STATEMENTS | "insertBooks" | "booksOfAuthors";

/**
 * The faster protocol per statement, as measured on MariaDB 10.11 (medians of 6 runs per
 * protocol, throughput of `query` over `execute`): point lookup 2.3×, 32 in flight 1.4×, join
 * 1.6×, insert one 1.4×, bulk insert 1.3×, transaction 2.0×, aggregate 1.3×; fetch 5 000 rows
 * 0.64× (binary rows decode faster than text), authors with books 1.0× (a small query, then
 * 5 000 rows: each statement takes the protocol of its size).
 */
const FASTEST: Record<StatementName, Protocol> = {
  bookByPk: "query",
  latestBooksOf: "query",
  firstBooks: "execute",
  insertBook: "query",
  insertBooks: "query",
  authorsInRange: "query",
  booksOfAuthors: "execute",
  publishedStatsPerAuthor: "query",
};

/** A book row in BOOK_COLUMNS order, as `rowsAsArray` returns it. */
type MysqlBook = [
  id: number,
  title: string,
  price: string,
  published: number,
  rating: number,
  publishedAt: Date,
  authorId: number,
];

function bookRow(r: MysqlBook): BookRow {
  return {
    id: r[0],
    title: r[1],
    price: r[2],
    published: r[3] === 1,
    rating: r[4],
    publishedAt: r[5],
    authorId: r[6],
  };
}

/** What the statements bind. */
type BindValue = string | number | boolean | Date;

function bookParams(b: NewBook): BindValue[] {
  return [b.title, b.price, b.published, b.rating, b.publishedAt, b.authorId];
}

function protocolOf(statement: StatementName): Protocol {
  const forced = process.env.YARA_BENCH_MYSQL2_PROTOCOL;
  if (forced === undefined || forced === "") return FASTEST[statement];
  if (forced !== "execute" && forced !== "query") {
    throw new Error(`YARA_BENCH_MYSQL2_PROTOCOL must be "execute" or "query", not "${forced}"`);
  }
  return forced;
}

/** Books of `count` authors: `IN (?, …)` with one mark per key. */
function booksOfAuthorsSql(count: number): string {
  const marks = Array.from({ length: count }, () => "?").join(", ");
  return `SELECT ${BOOK_COLUMNS} FROM bench_books WHERE author_id IN (${marks}) ORDER BY id`;
}

export async function openRawMysql2(): Promise<BenchLibrary> {
  const pool: Pool = mysql2Pool().promise();
  const run = async <R>(
    on: Pool | PoolConnection,
    statement: StatementName,
    sql: string,
    values: BindValue[],
  ): Promise<R[]> => {
    const options = { sql, rowsAsArray: true };
    const [rows] =
      protocolOf(statement) === "execute"
        ? await on.execute<RowDataPacket[]>(options, values)
        : await on.query<RowDataPacket[]>(options, values);
    return rows as unknown as R[];
  };
  const insertMany = new Map<number, string>();
  const booksOf = new Map<number, string>();
  return {
    async bookByPk(id) {
      const [row] = await run<MysqlBook>(pool, "bookByPk", STATEMENTS.bookByPk, [id]);
      if (!row) throw new Error(`no book ${id}`);
      return bookRow(row);
    },
    async latestBooksOf(authorName) {
      const rows = await run<MysqlBook>(pool, "latestBooksOf", STATEMENTS.latestBooksOf, [
        authorName,
        true,
      ]);
      return rows.map(bookRow);
    },
    async firstBooks(count) {
      return (await run<MysqlBook>(pool, "firstBooks", STATEMENTS.firstBooks, [count])).map(
        bookRow,
      );
    },
    async insertBook(book) {
      const [row] = await run<MysqlBook>(
        pool,
        "insertBook",
        STATEMENTS.insertBook,
        bookParams(book),
      );
      return bookRow(row!);
    },
    async insertBooks(books) {
      let sql = insertMany.get(books.length);
      if (sql === undefined) {
        insertMany.set(books.length, (sql = questionMarks(insertBooksSql(books.length))));
      }
      const rows = await run<MysqlBook>(pool, "insertBooks", sql, books.flatMap(bookParams));
      return rows.map(bookRow);
    },
    async insertThreeInTransaction(books) {
      const connection = await pool.getConnection();
      try {
        await connection.query("START TRANSACTION");
        for (const book of books) {
          await run(connection, "insertBook", STATEMENTS.insertBook, bookParams(book));
        }
        await connection.query("COMMIT");
      } catch (error) {
        await connection.query("ROLLBACK");
        throw error;
      } finally {
        connection.release();
      }
    },
    async authorsWithBooks(fromId, count) {
      const authors = (
        await run<[number, string]>(pool, "authorsInRange", STATEMENTS.authorsInRange, [
          fromId,
          fromId + count,
        ])
      ).map((r) => ({ id: r[0], name: r[1] }));
      let sql = booksOf.get(authors.length);
      if (sql === undefined) booksOf.set(authors.length, (sql = booksOfAuthorsSql(authors.length)));
      const books = await run<MysqlBook>(
        pool,
        "booksOfAuthors",
        sql,
        authors.map((a) => a.id),
      );
      return groupBooks(authors, books.map(bookRow));
    },
    async publishedStatsPerAuthor() {
      const rows = await run<[authorId: number, books: number | string, avgRating: number]>(
        pool,
        "publishedStatsPerAuthor",
        STATEMENTS.publishedStatsPerAuthor,
        [true],
      );
      return rows.map((r) => ({ authorId: r[0], books: Number(r[1]), avgRating: r[2] }));
    },
    close: () => pool.end(),
  };
}
