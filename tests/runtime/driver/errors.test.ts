/** Database errors become yara errors with kind, code, constraint — and no bound values. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Driver, Param } from "../../../runtime/driver/driver.js";
import { DatabaseError, IntegrityError, YaraError } from "../../../runtime/errors.js";
import { targets } from "../../support/targets.js";
import { useDriver } from "./open.js";

const SECRET = "s3cret-value@example.com";

async function failure(run: Promise<unknown>): Promise<YaraError> {
  try {
    await run;
  } catch (err) {
    expect(err).toBeInstanceOf(YaraError);
    return err as YaraError;
  }
  throw new Error("expected the statement to fail");
}

for (const target of targets()) {
  describe(`errors on ${target.name}`, () => {
    const db = useDriver(target);
    const pg = target.dialect === "postgres";
    const p = (n: number) => (pg ? `$${n}` : "?");
    const mysql = target.dialect === "mysql";
    /** The code each database reports: SQLSTATE, SQLite's result code name, mysql2's code name. */
    const code = (postgres: string, sqlite: string, mysqlCode: string): string =>
      pg ? postgres : mysql ? mysqlCode : sqlite;
    const run = (sql: string, params: Param[]) => db.driver.execute(sql, params);
    let driver: Driver;

    beforeAll(async () => {
      driver = db.driver;
      // MySQL ignores REFERENCES on a column: its constraints follow the columns.
      await driver.execute(
        mysql
          ? `CREATE TABLE authors (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, CONSTRAINT "authors_email_key" UNIQUE (email))`
          : `CREATE TABLE authors (id INTEGER PRIMARY KEY, email TEXT NOT NULL CONSTRAINT "authors_email_key" UNIQUE)`,
        [],
      );
      await driver.execute(
        mysql
          ? `CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER, pages INTEGER,
              CONSTRAINT "books_author_id_fkey" FOREIGN KEY (author_id) REFERENCES authors (id),
              CONSTRAINT "books_pages_check" CHECK (pages > 0))`
          : `CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
          author_id INTEGER CONSTRAINT "books_author_id_fkey" REFERENCES authors (id),
          pages INTEGER CONSTRAINT "books_pages_check" CHECK (pages > 0))`,
        [],
      );
      await run(`INSERT INTO authors (id, email) VALUES (1, ${p(1)})`, [SECRET]);
    });

    it("maps a unique violation", async () => {
      const err = await failure(
        run(`INSERT INTO authors (id, email) VALUES (2, ${p(1)})`, [SECRET]),
      );
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err).toMatchObject({
        kind: "unique",
        code: code("23505", "SQLITE_CONSTRAINT_UNIQUE", "ER_DUP_ENTRY"),
        // MariaDB names the key only: the table is the statement's, confirmed by the server.
        table: "authors",
        column: "email",
      });
      if (pg || mysql) expect((err as IntegrityError).constraint).toBe("authors_email_key");
      expect(err.message).not.toContain(SECRET);
    });

    it("maps a primary-key violation to unique", async () => {
      const err = await failure(
        run(`INSERT INTO authors (id, email) VALUES (1, ${p(1)})`, ["other"]),
      );
      expect(err).toMatchObject({
        kind: "unique",
        code: code("23505", "SQLITE_CONSTRAINT_PRIMARYKEY", "ER_DUP_ENTRY"),
        // MariaDB's key PRIMARY under the name Postgres gives it.
        constraint: "authors_pkey",
        table: "authors",
        column: "id",
      });
    });

    it("names every column of a multi-column unique key, in key order", async () => {
      await run(
        `CREATE TABLE pairs (id INTEGER PRIMARY KEY, b INTEGER, a INTEGER, CONSTRAINT "pairs_b_a_key" UNIQUE (b, a))`,
        [],
      );
      await run(`INSERT INTO pairs (id, a, b) VALUES (1, ${p(1)}, ${p(2)})`, [1, 2]);
      const err = await failure(
        run(`INSERT INTO pairs (a, id, b) VALUES (${p(1)}, 2, ${p(2)})`, [1, 2]),
      );
      expect(err).toMatchObject({
        kind: "unique",
        constraint: "pairs_b_a_key",
        table: "pairs",
        column: "b, a",
      });
    });

    it("maps a foreign-key violation", async () => {
      const err = await failure(
        run(`INSERT INTO books (id, title, author_id) VALUES (1, ${p(1)}, 99)`, [SECRET]),
      );
      expect(err).toMatchObject({
        kind: "foreign_key",
        code: code("23503", "SQLITE_CONSTRAINT_FOREIGNKEY", "ER_NO_REFERENCED_ROW_2"),
      });
      if (pg || mysql)
        expect(err).toMatchObject({ constraint: "books_author_id_fkey", table: "books" });
      expect(err.message).not.toContain(SECRET);
    });

    it("maps an ON DELETE RESTRICT violation to foreign_key", async () => {
      // SQLite reports it as a trigger failure (SQLITE_CONSTRAINT_TRIGGER) with the
      // foreign-key message, Postgres as an ordinary foreign-key violation.
      await run("CREATE TABLE shelves (id INTEGER PRIMARY KEY)", []);
      await run(
        mysql
          ? `CREATE TABLE slots (id INTEGER PRIMARY KEY, shelf_id INTEGER,
              CONSTRAINT "slots_shelf_id_fkey" FOREIGN KEY (shelf_id) REFERENCES shelves (id) ON DELETE RESTRICT)`
          : `CREATE TABLE slots (id INTEGER PRIMARY KEY,
          shelf_id INTEGER CONSTRAINT "slots_shelf_id_fkey" REFERENCES shelves (id) ON DELETE RESTRICT)`,
        [],
      );
      await run("INSERT INTO shelves (id) VALUES (1)", []);
      await run("INSERT INTO slots (id, shelf_id) VALUES (1, 1)", []);
      const err = await failure(run(`DELETE FROM shelves WHERE id = ${p(1)}`, [1]));
      expect(err).toBeInstanceOf(IntegrityError);
      expect(err).toMatchObject({
        kind: "foreign_key",
        code: code("23503", "SQLITE_CONSTRAINT_TRIGGER", "ER_ROW_IS_REFERENCED_2"),
      });
      if (pg || mysql)
        expect(err).toMatchObject({ constraint: "slots_shelf_id_fkey", table: "slots" });
    });

    if (target.dialect === "sqlite") {
      it("keeps a trigger's own RAISE a DatabaseError, though SQLite gives it the same code", async () => {
        await run("CREATE TABLE frozen (x INTEGER)", []);
        await run(
          "CREATE TRIGGER frozen_insert BEFORE INSERT ON frozen BEGIN SELECT RAISE(ABORT, 'frozen'); END",
          [],
        );
        const err = await failure(run("INSERT INTO frozen (x) VALUES (1)", []));
        expect(err).not.toBeInstanceOf(IntegrityError);
        expect(err).toBeInstanceOf(DatabaseError);
        expect(err).toMatchObject({ code: "SQLITE_CONSTRAINT_TRIGGER", message: "frozen" });
      });
    }

    it("maps a not-null violation with table and column", async () => {
      const err = await failure(run(`INSERT INTO books (id, title) VALUES (2, ${p(1)})`, [null]));
      expect(err).toMatchObject({
        kind: "not_null",
        code: code("23502", "SQLITE_CONSTRAINT_NOTNULL", "ER_BAD_NULL_ERROR"),
        // MariaDB: "Column 'title' cannot be null"; the table is the statement's, confirmed.
        table: "books",
        column: "title",
      });
      await run(`INSERT INTO books (id, title) VALUES (10, ${p(1)})`, ["t"]);
      const updated = await failure(run(`UPDATE books SET title = ${p(1)} WHERE id = 10`, [null]));
      expect(updated).toMatchObject({ kind: "not_null", table: "books", column: "title" });
    });

    if (mysql) {
      it("names no table when a trigger of the written table could have written another", async () => {
        await run("CREATE TABLE audit (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL)", []);
        await run("CREATE TABLE watched (id INTEGER PRIMARY KEY, note VARCHAR(20) NOT NULL)", []);
        await run(
          "CREATE TRIGGER watched_audit AFTER INSERT ON watched FOR EACH ROW INSERT INTO audit (id, note) VALUES (NEW.id, NEW.note)",
          [],
        );
        await run("INSERT INTO audit (id, note) VALUES (5, 'x')", []);
        // The duplicate is audit's PRIMARY, though the statement writes watched, which has one too.
        const err = await failure(run("INSERT INTO watched (id, note) VALUES (?, 'y')", [5]));
        expect(err).toMatchObject({ kind: "unique", table: undefined, column: undefined });
        expect((err as IntegrityError).constraint).toBe("PRIMARY");
      });

      it("names no table for a statement that writes more than one", async () => {
        await run("INSERT INTO books (id, title, author_id) VALUES (11, 'u', 1)", []);
        const err = await failure(
          run("UPDATE books, authors SET books.title = ? WHERE books.author_id = authors.id", [
            null,
          ]),
        );
        expect(err).toMatchObject({ kind: "not_null", table: undefined, column: "title" });
      });
    }

    it("maps a check violation with the constraint name", async () => {
      const err = await failure(
        run(`INSERT INTO books (id, title, pages) VALUES (3, ${p(1)}, -1)`, [SECRET]),
      );
      expect(err).toMatchObject({
        kind: "check",
        code: code("23514", "SQLITE_CONSTRAINT_CHECK", "ER_CONSTRAINT_FAILED"),
        constraint: "books_pages_check",
      });
      expect(err.message).not.toContain(SECRET);
    });

    it("maps other failures to DatabaseError with a code", async () => {
      const err = await failure(driver.query("SELEC nonsense", []));
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe(code("42601", "SQLITE_ERROR", "ER_PARSE_ERROR"));
    });

    if (pg) {
      it("keeps input values out of data-exception messages", async () => {
        const err = await failure(driver.query("SELECT $1::integer", [SECRET]));
        expect(err).toMatchObject({ code: "22P02" });
        expect(err.message).toContain("invalid input syntax for type integer");
        expect(err.message).not.toContain(SECRET);
        expect(JSON.stringify(err)).not.toContain(SECRET);
        expect(err.cause).toBeUndefined();
      });
    }
  });
}
