// YaraOrm.query / YaraOrm.execute: statements outside any model, on the current connection.
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import {
  Author,
  Book,
  DatabaseError,
  ValidationError,
  YaraOrm,
  inTransaction,
  type Param,
  type SqlRow,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  /** `$n` placeholders as the target writes them. */
  const sql = (postgres: string): string =>
    target.dialect === "postgres" ? postgres : postgres.replace(/\$\d+/g, "?");

  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    const zoe = await Author.create({ name: "Zoë 🦊" });
    await Book.bulkCreate([
      { title: "Dune", price: "9.50", author: ada },
      { title: "Emma", price: null, author: ada },
      { title: "Notes", price: "1.00", author: zoe },
    ]);
    takeStatements();
  });

  it("query() resolves to plain rows keyed by column, values bound", async () => {
    const rows = await YaraOrm.query(
      sql(
        `SELECT a.name, COUNT(b.id) AS n FROM author a LEFT JOIN books b ON b.author_id = a.id ` +
          `WHERE a.name <> $1 GROUP BY a.name ORDER BY a.name`,
      ),
      ["nobody"],
    );
    expect(rows).toEqual([
      { name: "Ada", n: 2 },
      { name: "Zoë 🦊", n: 1 },
    ]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(takeStatements()).toEqual([
      {
        sql: sql(
          `SELECT a.name, COUNT(b.id) AS n FROM author a LEFT JOIN books b ON b.author_id = a.id ` +
            `WHERE a.name <> $1 GROUP BY a.name ORDER BY a.name`,
        ),
        params: ["nobody"],
      },
    ]);
    // Unicode and NULL go through bound, and come back as they were.
    expect(
      await YaraOrm.query(
        sql(
          `SELECT title, price FROM books WHERE author_id IN (SELECT id FROM author WHERE name = $1)`,
        ),
        ["Zoë 🦊"],
      ),
    ).toEqual([{ title: "Notes", price: "1.00" }]);
    expect(await YaraOrm.query(sql(`SELECT title, price FROM books WHERE price IS NULL`))).toEqual([
      { title: "Emma", price: null },
    ]);
    expect(await YaraOrm.query(sql(`SELECT title FROM books WHERE title = $1`), ["none"])).toEqual(
      [],
    );
  });

  it("query() reads integers as numbers, past 2^53 as bigints, on every driver", async () => {
    const [row] = await YaraOrm.query(
      sql(
        `SELECT COUNT(*) AS n, 9007199254740993 AS big, -7 AS small, 'é' AS t, NULL AS z FROM books`,
      ),
    );
    expect(row).toEqual({ n: 3, big: 9007199254740993n, small: -7, t: "é", z: null });
  });

  it("query() gives other cells as the database hands them, the same on each of its drivers", async () => {
    const [row] = await YaraOrm.query(
      sql(
        `SELECT published, price, created_at FROM books, author WHERE title = $1 AND author.id = books.author_id`,
      ),
      ["Dune"],
    );
    const { published, price, created_at: createdAt } = row as Record<string, unknown>;
    expect(price).toBe("9.50"); // exact: NUMERIC on Postgres, canonical text on SQLite
    if (target.dialect === "postgres") {
      expect(published).toBe(false);
      expect(createdAt).toBeInstanceOf(Date);
    } else if (target.dialect === "mysql") {
      // BOOLEAN is TINYINT(1); DATETIME(6) is read as a Date, as Postgres' timestamptz.
      expect(published).toBe(0);
      expect(createdAt).toBeInstanceOf(Date);
    } else {
      expect(published).toBe(0);
      expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("query() types its rows as asked, and as SqlRow by default", async () => {
    const named = await YaraOrm.query<{ title: string }>(
      sql(`SELECT title FROM books ORDER BY title`),
    );
    expectTypeOf(named).toEqualTypeOf<{ title: string }[]>();
    expect(named.map((r) => r.title)).toEqual(["Dune", "Emma", "Notes"]);
    expectTypeOf(await YaraOrm.query("SELECT 1 AS one")).toEqualTypeOf<SqlRow[]>();
    // A column named __proto__ is a key like any other.
    const [odd] = await YaraOrm.query(`SELECT 1 AS "__proto__"`);
    expect(Object.keys(odd!)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  });

  it("execute() resolves to the number of rows changed", async () => {
    expect(
      await YaraOrm.execute(
        sql(
          `UPDATE books SET published = $1 WHERE author_id IN (SELECT id FROM author WHERE name = $2)`,
        ),
        [true, "Ada"],
      ),
    ).toBe(2);
    expect(
      await YaraOrm.execute(sql(`UPDATE books SET published = $1 WHERE title = $2`), [
        true,
        "none",
      ]),
    ).toBe(0);
    expect(await YaraOrm.execute(sql(`DELETE FROM books WHERE price IS NULL`))).toBe(1);
    expect(await Book.filter({ published: true }).count()).toBe(1);
    expect(await Book.count()).toBe(2);
  });

  it("runs inside inTransaction on the transaction's connection: a rollback undoes it", async () => {
    const failure = new Error("undo");
    const caught = await rejects(
      inTransaction(async () => {
        expect(await YaraOrm.execute(sql(`DELETE FROM books WHERE title = $1`), ["Dune"])).toBe(1);
        // The transaction sees its own write.
        expect(await YaraOrm.query(sql(`SELECT COUNT(*) AS n FROM books`))).toEqual([{ n: 2 }]);
        throw failure;
      }),
    );
    expect(caught).toBe(failure);
    expect(await YaraOrm.query(sql(`SELECT COUNT(*) AS n FROM books`))).toEqual([{ n: 3 }]);
    await inTransaction(async () => {
      await YaraOrm.execute(sql(`DELETE FROM books WHERE title = $1`), ["Dune"]);
    });
    expect(await Book.count()).toBe(2);
  });

  it("checks parameters as raw() does, before any SQL", async () => {
    const bad: [unknown, RegExp][] = [
      [[undefined], /^YaraOrm\.query: parameter 1 is undefined/],
      [[new Date(0)], /parameter 1 is a Date.*pass a Date as date\.toISOString\(\)/],
      [[{ a: 1 }], /parameter 1 is/],
      [[1, , 2], /parameter 2 is missing \(a hole in a sparse array\)/],
      ["x", /the parameters must be an array/],
    ];
    for (const [params, message] of bad) {
      const error = await rejects(YaraOrm.query("SELECT 1", params as Param[]));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    const execError = await rejects(
      YaraOrm.execute("DELETE FROM books", [undefined as unknown as Param]),
    );
    expect((execError as Error).message).toMatch(/^YaraOrm\.execute: parameter 1/);
    const notSql = await rejects(YaraOrm.query(42 as unknown as string));
    expect((notSql as Error).message).toMatch(/^YaraOrm\.query: the SQL must be a string/);
    expect(takeStatements()).toEqual([]);
    expect(await Book.count()).toBe(3);
  });

  it("refuses a result with two columns of one name, and reports database errors", async () => {
    const twice = await rejects(YaraOrm.query(`SELECT 1 AS id, 2 AS id`));
    expect(twice).toBeInstanceOf(ValidationError);
    expect((twice as Error).message).toBe(
      'YaraOrm.query: the result has two columns named "id"; name them apart with AS',
    );
    expect(await rejects(YaraOrm.query(`SELECT nope FROM books`))).toBeInstanceOf(DatabaseError);
    expect(await rejects(YaraOrm.execute(`UPDATE nowhere SET x = 1`))).toBeInstanceOf(
      DatabaseError,
    );
  });

  it("refuses more or fewer values than the SQL has placeholders, writing nothing", async () => {
    // mysql2 bound the extra value into the others: MariaDB stored "\u0000\u0003Zed" for "Zed".
    const [ada] = await Author.filter({ name: "Ada" }).valuesList("id", { flat: true });
    const update = sql(`UPDATE author SET name = $1 WHERE id = $2`);
    for (const [run, what] of [
      [() => YaraOrm.execute(update, ["Zed", ada!, 5]), "YaraOrm.execute"],
      [() => YaraOrm.execute(update, ["Zed"]), "YaraOrm.execute"],
      [() => YaraOrm.query(sql(`SELECT $1 AS a`), [1, 2]), "YaraOrm.query"],
      [() => Author.raw(sql(`SELECT * FROM author WHERE id = $1`), [ada!, "junk"]), "Author.raw"],
    ] as const) {
      const error = await rejects(run());
      if (target.dialect === "mysql") {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as Error).message).toMatch(
          new RegExp(
            `^${what.replace(".", "\\.")}: the SQL has \\d placeholder\\(s\\) \\(\\?\\) but \\d parameter\\(s\\) were given$`,
          ),
        );
      } else expect(error).toBeInstanceOf(DatabaseError);
    }
    expect(await Author.filter({ name: "Ada" }).count()).toBe(1);
    // A ? in a string, an identifier or a comment is not a placeholder.
    const rows = await YaraOrm.query(
      target.dialect === "postgres"
        ? `SELECT '?' AS "q?", $1::int AS n -- ?`
        : `SELECT '?' AS "q?", ${target.dialect === "mysql" ? "CAST(? AS SIGNED)" : "?"} AS n /* ? */`,
      [7],
    );
    expect(rows).toEqual([{ "q?": "?", n: 7 }]);
  });
});
