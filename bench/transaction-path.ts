/**
 * The client's work per SQLite transaction of 3 inserts, the bench's `transaction-3-inserts`:
 * yara's `inTransaction(async () => { 3× await Book.create(…) })` on one driver, or raw
 * better-sqlite3's `db.transaction` of 3 prepared `INSERT … RETURNING`s as bench/peers runs it,
 * on a fresh file database in WAL mode (the bench's settings). Prints the CPU time per
 * transaction (process and main thread, as bench/write-path.ts measures).
 *
 *   cd bench && node --import tsx ../generator/cli.ts schema.ts --out generated/yara
 *   node --import tsx transaction-path.ts --subject yara|raw [--driver native|better-sqlite3] [--calls 2000]
 *
 * `--single` runs the bench's `insert-one` instead: each call one insert outside a transaction
 * (yara's `Book.create`, raw better-sqlite3's `INSERT … RETURNING` stepped with `.all()` and its
 * row mapped as bench/peers/raw-better-sqlite3.ts does), CPU per insert.
 *
 * With `--marks`, after the warm-up it runs `--calls` more transactions between lines
 * `WP-ON tx <pid>` and `WP-OFF tx <pid>` for bench/write-path-callgrind.sh (SCRIPT=transaction-path.ts)
 * to count instructions of that window alone.
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Author, Book, YaraOrm, inTransaction } from "./generated/yara/index.js";
import { newBook } from "./runtime/data.js";
import type { NewBook } from "./runtime/rows.js";
import { bookParams, bookRow, type SqliteBook } from "./peers/raw-better-sqlite3.js";
import { SQL, questionMarks } from "./peers/raw-sql.js";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const subject = option("--subject", "yara");
const driver = option("--driver", "native") as "native" | "better-sqlite3";
const calls = Number(option("--calls", "2000"));
const reps = Number(option("--reps", "3"));
const single = process.argv.includes("--single");

const dir = mkdtempSync(join(tmpdir(), "yara-tx-path-"));
const file = join(dir, "bench.db");

// The schema and one author, written by yara on either subject.
await YaraOrm.init(`sqlite://${file}`, { driver });
await YaraOrm.generateSchemas();
const author = await Author.create({ name: "Writer" });
const books = Array.from({ length: 3000 }, (_, n) => ({ ...newBook(n), authorId: author.id }));

let transaction: (three: readonly NewBook[]) => Promise<void>;
let close: () => Promise<void>;
if (subject === "yara") {
  transaction = single
    ? async (one) => {
        await Book.create(one[0]!);
      }
    : (three) =>
        inTransaction(async () => {
          for (const book of three) await Book.create(book);
        });
  close = () => YaraOrm.close();
} else if (subject === "raw") {
  await YaraOrm.close();
  const db = new Database(file);
  db.pragma("foreign_keys = ON");
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  const insert = db.prepare(questionMarks(SQL.insertBook)).raw(true);
  const three = db.transaction((rows: readonly NewBook[]) => {
    for (const b of rows) insert.get(...bookParams(b));
  });
  transaction = single
    ? async (one) => {
        // As bench/peers/raw-better-sqlite3.ts runs and maps it.
        void bookRow((insert.all(...bookParams(one[0]!)) as SqliteBook[])[0]!);
      }
    : async (rows) => {
        three(rows);
      };
  close = async () => {
    db.close();
  };
} else {
  throw new Error(`--subject yara or raw, not ${subject}`);
}

async function round(): Promise<void> {
  for (let i = 0; i < calls; i++) {
    const at = (i * 3) % books.length;
    await transaction(books.slice(at, single ? at + 1 : at + 3));
  }
}

function mainThread(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8");
  return Number(stat.split(" ")[0]) / 1000;
}

const process_: number[] = [];
const main: number[] = [];
// The first round warms the JIT and the statement caches; it is not counted.
for (let rep = 0; rep <= reps; rep++) {
  const start = process.cpuUsage();
  const thread = mainThread();
  await round();
  const threadUsed = mainThread() - thread;
  const used = process.cpuUsage(start);
  if (rep === 0) continue;
  process_.push((used.user + used.system) / calls);
  main.push(threadUsed / calls);
}
if (process.argv.includes("--marks")) {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 4000));
  console.log(`WP-ON tx ${process.pid}`);
  await pause();
  await round();
  console.log(`WP-OFF tx ${process.pid}`);
  await pause();
}
await close();
rmSync(dir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const show = (xs: number[]) =>
  `median ${median(xs).toFixed(2)} µs (${xs.map((x) => x.toFixed(2)).join(", ")})`;
const name = subject === "yara" ? `yara (${driver})` : "raw better-sqlite3";
const what = single
  ? "insert one, CPU per insert"
  : "transaction of 3 inserts, CPU per transaction";
console.log(`${name} ${what}, process: ${show(process_)}`);
console.log(`${name} ${what}, main thread: ${show(main)}`);
