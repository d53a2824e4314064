/**
 * The nine workloads: what one operation is, how many rows or queries it counts for, whether it
 * writes, and the fixed call whose output is compared with the raw driver's before any timing.
 */
import { AUTHOR_COUNT, authorName, newBook, spreadBookId } from "./data.js";
import type { BenchLibrary, NewBook } from "./rows.js";

export type WorkloadId =
  | "pk-sequential"
  | "pk-32-in-flight"
  | "join-filter-limit-10"
  | "fetch-5000-rows"
  | "insert-one"
  | "bulk-insert-1000"
  | "transaction-3-inserts"
  | "100-authors-with-books"
  | "aggregate-group-by";

export interface Workload {
  id: WorkloadId;
  /** One line for the tables. */
  title: string;
  /** What the throughput counts: single queries, rows, or whole operations. */
  unit: "queries" | "rows" | "ops";
  /** Units one `run` call completes. */
  perRun: number;
  writes: boolean;
  run(lib: BenchLibrary, i: number): Promise<unknown>;
  /** The output compared across libraries (fixed inputs; writes compared without their keys). */
  sample(lib: BenchLibrary): Promise<unknown>;
}

const IN_FLIGHT = 32;
const FETCH_ROWS = 5_000;
const BULK_ROWS = 1_000;
const AUTHORS_PER_FETCH = 100;

/** Write keys start far above anything a previous operation of the same process used. */
let written = 0;
function nextBooks(count: number): NewBook[] {
  return Array.from({ length: count }, () => newBook(written++));
}

function withoutKey<T extends { id: number }>(row: T): Omit<T, "id"> {
  const { id: _id, ...rest } = row;
  return rest;
}

export const WORKLOADS: readonly Workload[] = [
  {
    id: "pk-sequential",
    title: "primary-key lookup, one at a time",
    unit: "queries",
    perRun: 1,
    writes: false,
    run: (lib, i) => lib.bookByPk(spreadBookId(i)),
    sample: async (lib) => [await lib.bookByPk(1), await lib.bookByPk(33_333)],
  },
  {
    id: "pk-32-in-flight",
    title: "primary-key lookup, 32 in flight",
    unit: "queries",
    perRun: IN_FLIGHT,
    writes: false,
    run: (lib, i) =>
      Promise.all(
        Array.from({ length: IN_FLIGHT }, (_, k) => lib.bookByPk(spreadBookId(i * IN_FLIGHT + k))),
      ),
    sample: (lib) =>
      Promise.all(Array.from({ length: IN_FLIGHT }, (_, k) => lib.bookByPk(spreadBookId(k)))),
  },
  {
    id: "join-filter-limit-10",
    title: "filter through a join, order, limit 10",
    unit: "queries",
    perRun: 1,
    writes: false,
    run: (lib, i) => lib.latestBooksOf(authorName((i % AUTHOR_COUNT) + 1)),
    sample: (lib) => lib.latestBooksOf(authorName(42)),
  },
  {
    id: "fetch-5000-rows",
    title: "fetch 5 000 rows as typed objects",
    unit: "rows",
    perRun: FETCH_ROWS,
    writes: false,
    run: (lib) => lib.firstBooks(FETCH_ROWS),
    sample: (lib) => lib.firstBooks(FETCH_ROWS),
  },
  {
    id: "insert-one",
    title: "insert one row (RETURNING)",
    unit: "queries",
    perRun: 1,
    writes: true,
    run: (lib) => lib.insertBook(nextBooks(1)[0]!),
    sample: async (lib) => withoutKey(await lib.insertBook(newBook(7))),
  },
  {
    id: "bulk-insert-1000",
    title: "bulk insert 1 000 rows (RETURNING)",
    unit: "rows",
    perRun: BULK_ROWS,
    writes: true,
    run: (lib) => lib.insertBooks(nextBooks(BULK_ROWS)),
    sample: async (lib) =>
      (await lib.insertBooks(Array.from({ length: 5 }, (_, n) => newBook(n)))).map(withoutKey),
  },
  {
    id: "transaction-3-inserts",
    title: "transaction of 3 inserts",
    unit: "ops",
    perRun: 1,
    writes: true,
    run: (lib) => lib.insertThreeInTransaction(nextBooks(3) as [NewBook, NewBook, NewBook]),
    sample: async (lib) => {
      await lib.insertThreeInTransaction([newBook(1), newBook(2), newBook(3)]);
      return "committed";
    },
  },
  {
    id: "100-authors-with-books",
    title: "100 authors with their books (5 000 books)",
    unit: "ops",
    perRun: 1,
    writes: false,
    run: (lib, i) => lib.authorsWithBooks((i % 10) * AUTHORS_PER_FETCH + 1, AUTHORS_PER_FETCH),
    sample: (lib) => lib.authorsWithBooks(901, AUTHORS_PER_FETCH),
  },
  {
    id: "aggregate-group-by",
    title: "COUNT and AVG grouped by author (1 000 groups)",
    unit: "ops",
    perRun: 1,
    writes: false,
    run: (lib) => lib.publishedStatsPerAuthor(),
    sample: (lib) => lib.publishedStatsPerAuthor(),
  },
];

export function workloadNamed(id: string): Workload {
  const found = WORKLOADS.find((w) => w.id === id);
  if (!found)
    throw new Error(`unknown workload "${id}"; known: ${WORKLOADS.map((w) => w.id).join(", ")}`);
  return found;
}
