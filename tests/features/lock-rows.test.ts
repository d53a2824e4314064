/**
 * selectForUpdate() locks table rows, and the rows of a distinct(), grouped or aggregate query
 * are none. Postgres refused such a SELECT in its own words ("FOR UPDATE is not allowed with
 * DISTINCT clause", "… with GROUP BY clause", "… with aggregate functions"), after the statement
 * was sent; MariaDB ran it, locking whatever rows it read, and SQLite ignored the lock. Now a
 * ValidationError on every database, before anything is sent, in a transaction or not (state.ts,
 * checkLock). What Postgres runs still runs: count() and exists() read without the lock, a
 * subquery never locks, and an aggregate over a to-many relation is a subquery of each row.
 */
import { beforeEach, expect, it } from "vitest";
import {
  Author,
  Book,
  Count,
  Sum,
  TransactionError,
  ValidationError,
  inTransaction,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

const DISTINCT =
  "Book: selectForUpdate() cannot lock rows of a distinct() query: the rows it returns are not table rows; lock them with a query of their own first (filter(…).selectForUpdate()), in the same transaction";
const GROUPED =
  "Book: selectForUpdate() cannot lock rows of a grouped query: the rows it returns are groups, not table rows; lock them with a query of their own first (filter(…).selectForUpdate()), in the same transaction";
const AGGREGATE =
  "Book: selectForUpdate() cannot lock rows of an aggregate query: the rows it returns are groups, not table rows; lock them with a query of their own first (filter(…).selectForUpdate()), in the same transaction";

/** The SELECTs sent since the last call (a transaction's BEGIN and COMMIT left out). */
const selects = (): string[] =>
  takeStatements()
    .map((s) => s.sql)
    .filter((sql) => sql.startsWith("SELECT"));

forEachTarget(() => {
  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    const bo = await Author.create({ name: "Bo" });
    await Book.bulkCreate([
      { title: "a", price: "1.00", author: ada },
      { title: "b", price: "2.00", author: ada },
      { title: "c", price: "3.00", author: bo },
    ]);
    takeStatements();
  });

  /** Each query's ValidationError message, read inside a transaction. */
  async function refusals(queries: (() => PromiseLike<unknown>)[]): Promise<string[]> {
    const messages: string[] = [];
    await inTransaction(async () => {
      for (const query of queries) {
        const error = await rejects(query());
        expect(error).toBeInstanceOf(ValidationError);
        messages.push((error as Error).message);
      }
    });
    return messages;
  }

  it("distinct() with selectForUpdate() is a ValidationError, whatever the order", async () => {
    const messages = await refusals([
      () => Book.all().distinct().selectForUpdate(),
      () => Book.all().selectForUpdate().distinct(),
      () => Book.all().selectForUpdate().distinct().first(),
      () => Book.all().selectForUpdate().distinct().get({ title: "a" }),
      () => Book.all().selectForUpdate().values("authorId").distinct(),
      () => Book.all().selectForUpdate().valuesList("authorId", { flat: true }).distinct(),
      async () => {
        for await (const _ of Book.all().orderBy("title").distinct().selectForUpdate()) break;
      },
    ]);
    expect(messages).toEqual(Array(7).fill(DISTINCT));
    expect(selects()).toEqual([]);
    // sql() and explain() refuse it alike.
    expect(() => Book.all().distinct().selectForUpdate().sql()).toThrow(DISTINCT);
    expect((await rejects(Book.all().distinct().selectForUpdate().explain())) as Error).toEqual(
      new ValidationError(DISTINCT, "Book", undefined),
    );
  });

  it("a grouped or aggregate query with selectForUpdate() is a ValidationError", async () => {
    const messages = await refusals([
      () =>
        Book.all()
          .selectForUpdate()
          .annotate({ n: Count() })
          .groupBy("authorId")
          .values("authorId", "n"),
      () =>
        Book.all()
          .annotate({ total: Sum("price") })
          .groupBy("author__name")
          .selectForUpdate()
          .valuesList("author__name", "total"),
      // Grouped by the key, read as instances.
      () => Book.all().annotate({ n: Count() }).groupBy("id").selectForUpdate(),
      () => Book.all().selectForUpdate().groupBy("authorId").values("authorId"),
      // A whole-table aggregate (Django's aggregate()).
      () =>
        Book.filter({ title__in: ["a", "b"] })
          .selectForUpdate()
          .annotate({ n: Count(), total: Sum("price") })
          .values("n", "total"),
    ]);
    expect(messages).toEqual([GROUPED, GROUPED, GROUPED, GROUPED, AGGREGATE]);
    expect(selects()).toEqual([]);
  });

  it("outside a transaction it is the same ValidationError, before the TransactionError", async () => {
    for (const [query, message] of [
      [Book.all().distinct().selectForUpdate(), DISTINCT],
      [Book.all().selectForUpdate().annotate({ n: Count() }).values("n"), AGGREGATE],
    ] as const) {
      const error = await rejects(query);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(message);
    }
    // A query whose rows can be locked still needs the transaction.
    expect(await rejects(Book.all().selectForUpdate())).toBeInstanceOf(TransactionError);
    expect(selects()).toEqual([]);
  });

  it("what runs on Postgres still runs: count(), exists(), subqueries, to-many aggregates", async () => {
    await inTransaction(async () => {
      const books = Book.filter({ title__in: ["a", "b", "c"] }).selectForUpdate();
      const authors = Author.filter({ name__in: ["Ada", "Bo"] }).selectForUpdate();
      expect(await books.count()).toBe(3);
      expect(await authors.distinct().count()).toBe(2);
      expect(await books.values("authorId").distinct().count()).toBe(2);
      expect(
        await books.annotate({ n: Count() }).groupBy("authorId").values("authorId").count(),
      ).toBe(2);
      expect(await books.distinct().exists()).toBe(true);
      // The lock of a query nested in another is dropped, distinct or not.
      expect(
        await Book.filter({ author__in: authors.distinct() })
          .orderBy("title")
          .valuesList("title", { flat: true }),
      ).toEqual(["a", "b", "c"]);
      // Count("books") is a subquery of each author: the authors' rows are locked.
      expect(
        await Author.all()
          .annotate({ n: Count("books") })
          .orderBy("name")
          .selectForUpdate()
          .valuesList("name", "n"),
      ).toEqual([
        ["Ada", 2],
        ["Bo", 1],
      ]);
    });
  });
});
