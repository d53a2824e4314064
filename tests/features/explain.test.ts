// explain(): the database's plan of the SELECT a query sends, as one string.
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Count, FieldError } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  beforeEach(async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { title: "Dune", author: ada },
      { title: "Émile", author: ada },
    ]);
    takeStatements();
  });

  it("explains the exact SELECT that loading sends, with its values bound", async () => {
    const query = Book.filter({ title: "Émile" }).orderBy("title");
    const plan = await query.explain();
    expectTypeOf(plan).toEqualTypeOf<string>();
    const [explained] = takeStatements();
    const { sql, params } = query.sql();
    expect(explained).toEqual({
      sql: `${{ postgres: "EXPLAIN", sqlite: "EXPLAIN QUERY PLAN", mysql: "EXPLAIN FORMAT=JSON" }[target.dialect]} ${sql}`,
      params,
    });
    expect(params).toEqual(["Émile"]);
    if (target.dialect === "mysql") {
      // MariaDB's plan as its JSON document: the table read and how.
      expect(JSON.parse(plan)).toHaveProperty("query_block");
      expect(plan).toMatch(/"table_name": "books"/);
    } else if (target.dialect === "postgres") {
      expect(plan).toMatch(/ on books\b/); // "Seq Scan on books", "Index Scan using … on books"
      expect(plan.split("\n").length).toBeGreaterThan(1);
    } else {
      // The sqlite3 shell's tree: one line per step, "|--" before the last, "`--" on it.
      expect(plan).toMatch(/^(\|--|`--)(SCAN|SEARCH) books\b/);
      expect(plan.split("\n").at(-1)).toMatch(/^`--/);
    }
  });

  it("explains values(), counts of nothing and queries over no rows alike", async () => {
    await Book.all().delete();
    const plan = await Author.filter({ books__title: "none" }).values("name").explain();
    expect(plan).toMatch(
      {
        postgres: / on author\b/,
        sqlite: /(SCAN|SEARCH) author\b/,
        mysql: /"table_name": "author"/,
      }[target.dialect],
    );
    // A limit of 0 still has a plan.
    expect(typeof (await Book.all().limit(0).explain())).toBe("string");
  });

  it("draws SQLite's nested steps as a tree", async () => {
    const plan = await Author.all()
      .annotate({ n: Count("books") })
      .explain();
    if (target.dialect === "sqlite") {
      // The count is a correlated subquery: its own step is drawn under it.
      expect(plan).toMatch(/^`--CORRELATED SCALAR SUBQUERY \d+\n   `--(SCAN|SEARCH) t1\b/m);
    } else {
      // Postgres' SubPlan; MariaDB's JSON plan names the correlated subquery.
      expect(plan).toMatch(target.dialect === "mysql" ? /"dependent": true|subqueries/ : /SubPlan/);
    }
  });

  it("rejects with the query's own error, sending nothing", async () => {
    const error = await rejects(Book.filter({ titel: "x" } as never).explain());
    expect(error).toBeInstanceOf(FieldError);
    expect(takeStatements()).toEqual([]);
  });
});
