/**
 * `PRAGMA optimize` on both SQLite drivers: a database filled through a connection gets planner
 * statistics when that connection closes, and a database filled elsewhere gets them when one
 * opens, so a join filter picks the selective index without an ANALYZE by hand.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BetterSqliteDriver } from "../../../runtime/driver/better-sqlite3/driver.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativeSqliteDriver } from "../../../runtime/driver/native/sqlite.js";

const SCHEMA = [
  "CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT NOT NULL)",
  "CREATE INDEX authors_country ON authors (country)",
  "CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, published INTEGER NOT NULL, " +
    "author_id INTEGER NOT NULL REFERENCES authors (id))",
  "CREATE INDEX books_author ON books (author_id)",
  "CREATE INDEX books_published ON books (published)",
];

const AUTHORS = 2_000;
const BOOKS = 20_000;
/** 500 countries of 4 authors each; nearly every book is published (the index that misleads). */
const country = (i: number) => `c${i % 500}`;
const published = (i: number) => (i % 50 === 0 ? 0 : 1);

/** A join filter: the authors of one country (selective) and published books (not selective). */
const JOIN_FILTER =
  "EXPLAIN QUERY PLAN SELECT b.id FROM books b JOIN authors a ON a.id = b.author_id " +
  "WHERE a.country = ? AND b.published = ?";

async function plan(driver: Driver): Promise<string> {
  const { rowCount, reader } = await driver.query(JOIN_FILTER, ["c42", 1]);
  const steps: string[] = [];
  for (let row = 0; row < rowCount; row++) steps.push(reader.text(3, row));
  return steps.join(" | ");
}

/** Multi-row INSERTs in one transaction, as a bulk load through the driver sends them. */
async function bulkLoad(driver: Driver): Promise<void> {
  for (const sql of SCHEMA) await driver.execute(sql, []);
  await driver.transaction(async (conn) => {
    for (let from = 0; from < AUTHORS; from += 500) {
      const rows = Array.from({ length: 500 }, (_, k) => from + k);
      await conn.execute(
        `INSERT INTO authors (name, country) VALUES ${rows.map(() => "(?, ?)").join(", ")}`,
        rows.flatMap((i) => [`a${i}`, country(i)]),
      );
    }
    for (let from = 0; from < BOOKS; from += 500) {
      const rows = Array.from({ length: 500 }, (_, k) => from + k);
      await conn.execute(
        `INSERT INTO books (title, published, author_id) VALUES ${rows.map(() => "(?, ?, ?)").join(", ")}`,
        rows.flatMap((i) => [`t${i}`, published(i), (i % AUTHORS) + 1]),
      );
    }
  });
}

/** Without statistics SQLite guesses an equality on any index is selective, and scans books. */
const GUESSED = /^SEARCH b USING INDEX books_published \(published=\?\)/;
/** With them it starts from the country's authors and reaches their books by key. */
const INFORMED =
  /^SEARCH a USING COVERING INDEX authors_country \(country=\?\) \| SEARCH b USING INDEX books_author \(author_id=\?\)$/;

function statistics(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").get();
    if (has === undefined) return [];
    return (db.prepare("SELECT idx FROM sqlite_stat1 ORDER BY idx").all() as { idx: string }[]).map(
      (r) => r.idx,
    );
  } finally {
    db.close();
  }
}

const openers: [string, (filename: string) => Promise<Driver>][] = [
  ["better-sqlite3", (filename) => BetterSqliteDriver.open({ filename })],
  [
    "native",
    async (filename) => {
      const addon = loadNativeAddon();
      if (addon === undefined)
        throw new Error("the native addon is not built: node native/build.mjs");
      return NativeSqliteDriver.open(addon, { filename });
    },
  ],
];

describe.each(openers)("PRAGMA optimize on %s", (_name, open) => {
  const dir = mkdtempSync(join(tmpdir(), "yara-optimize-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("analyzes on close what the connection filled, and the next one plans with it", async () => {
    const file = join(dir, "filled-here.db");
    const driver = await open(file);
    await bulkLoad(driver);
    expect(await plan(driver)).toMatch(GUESSED);
    expect(statistics(file)).toEqual([]);
    await driver.close();
    expect(statistics(file)).toEqual(["authors_country", "books_author", "books_published"]);
    const again = await open(file);
    try {
      expect(await plan(again)).toMatch(INFORMED);
    } finally {
      await again.close();
    }
  });

  it("analyzes on open a database filled by another program", async () => {
    const file = join(dir, "filled-elsewhere.db");
    const other = new Database(file);
    for (const sql of SCHEMA) other.exec(sql);
    const insertAuthor = other.prepare("INSERT INTO authors (name, country) VALUES (?, ?)");
    const insertBook = other.prepare(
      "INSERT INTO books (title, published, author_id) VALUES (?, ?, ?)",
    );
    other.transaction(() => {
      for (let i = 0; i < AUTHORS; i++) insertAuthor.run(`a${i}`, country(i));
      for (let i = 0; i < BOOKS; i++) insertBook.run(`t${i}`, published(i), (i % AUTHORS) + 1);
    })();
    other.close();
    expect(statistics(file)).toEqual([]);
    const driver = await open(file);
    try {
      expect(await plan(driver)).toMatch(INFORMED);
    } finally {
      await driver.close();
    }
  });
});
