// Book's `ordering` (-id) never follows a distinct query nested in another as a second column,
// and count()'s derived table names its columns apart only where two could share a name
// (MariaDB refuses that there). Features, on every database: tests/features/distinct-subqueries.test.ts.
import { describe, expect, test } from "vitest";
import { Exists, Lower, OuterRef, Subquery } from "../../../runtime/index.js";
import { useFake } from "./fake-driver.js";
import { Author, Book } from "./fixtures.js";
import { SELECT_AUTHORS } from "./helpers.js";

describe("a distinct query nested in another", () => {
  const ids = Book.objects.filter({ published: true }).valuesList("authorId", { flat: true });

  test("under __in: its one value, unordered, on every dialect", () => {
    for (const query of [ids.distinct(), Book.objects.all().values("authorId").distinct()]) {
      for (const dialect of ["postgres", "sqlite", "mysql"] as const) {
        const { sql } = Author.objects.filter({ id__in: query }).sql(dialect);
        expect(sql).toMatch(
          /^SELECT .* WHERE "authors"\."id" IN \(SELECT DISTINCT "t1"\."author_id" FROM "books" AS "t1"( WHERE [^)]*)?\)$/,
        );
      }
    }
    // An orderBy() too: unsliced, it cannot change the list.
    expect(
      Author.objects.filter({ id__in: ids.orderBy("-title").distinct() }).sql("postgres").sql,
    ).toBe(
      `${SELECT_AUTHORS} WHERE "authors"."id" IN (SELECT DISTINCT "t1"."author_id" FROM "books" AS "t1" WHERE "t1"."published" = $1)`,
    );
  });

  test("sliced: ordered by its values, or read through a derived table of its value", () => {
    expect(Author.objects.filter({ id__in: ids.distinct().limit(2) }).sql("postgres").sql).toBe(
      `${SELECT_AUTHORS} WHERE "authors"."id" IN (SELECT DISTINCT "t1"."author_id" FROM "books" AS "t1" WHERE "t1"."published" = $1 ORDER BY "t1"."author_id" ASC LIMIT $2)`,
    );
    const byTitle = ids.orderBy("title").distinct().limit(2);
    expect(Author.objects.filter({ id__in: byTitle }).sql("postgres").sql).toBe(
      `${SELECT_AUTHORS} WHERE "authors"."id" IN (SELECT "yara_sliced"."yara_c0" FROM ` +
        `(SELECT DISTINCT "t1"."author_id" AS "yara_c0", "t1"."title" AS "yara_c1" FROM "books" AS "t1" ` +
        `WHERE "t1"."published" = $1 ORDER BY "t1"."title" ASC LIMIT $2) AS "yara_sliced")`,
    );
    // MariaDB takes the LIMIT in the derived table, not directly inside IN.
    expect(Author.objects.filter({ id__in: byTitle }).sql("mysql").sql).toContain(
      `IN (SELECT "yara_sliced"."yara_c0" FROM (SELECT DISTINCT "t1"."author_id" AS "yara_c0", "t1"."title" AS "yara_c1" FROM "books" AS "t1" WHERE "t1"."published" = ? ORDER BY "t1"."title" ASC LIMIT 2) AS "yara_sliced")`,
    );
    // Of one row, DISTINCT changes nothing and is left out.
    expect(
      Author.objects.filter({ id__in: ids.orderBy("title").distinct().limit(1) }).sql("sqlite").sql,
    ).toContain(
      `IN (SELECT "t1"."author_id" FROM "books" AS "t1" WHERE "t1"."published" = +? ORDER BY "t1"."title" ASC LIMIT 1)`,
    );
  });

  test("distinct(fields) keeps its ordering unsliced: it picks each group's row", () => {
    const priciest = Book.objects.all().distinct("authorId").orderBy("-price");
    expect(Book.objects.filter({ id__in: priciest }).sql("postgres").sql).toContain(
      `IN (SELECT DISTINCT ON ("t1"."author_id") "t1"."id" FROM "books" AS "t1" ORDER BY "t1"."author_id" ASC, "t1"."price" DESC)`,
    );
  });

  test("Subquery and Exists", () => {
    const titles = Book.objects
      .filter({ authorId: OuterRef("id") })
      .valuesList("title", { flat: true })
      .distinct();
    const sql = Author.objects
      .all()
      .annotate({ first: Subquery(titles), any: Exists(titles), second: Exists(titles.offset(1)) })
      .valuesList("first", "any", "second")
      .sql("postgres").sql;
    expect(sql).toBe(
      `SELECT (SELECT "t1"."title" FROM "books" AS "t1" WHERE "t1"."author_id" = "authors"."id" ORDER BY "t1"."title" ASC LIMIT $1), ` +
        `EXISTS (SELECT 1 FROM "books" AS "t2" WHERE "t2"."author_id" = "authors"."id"), ` +
        `EXISTS (SELECT "yara_sliced"."yara_c0" FROM (SELECT DISTINCT "t3"."title" AS "yara_c0" FROM "books" AS "t3" ` +
        `WHERE "t3"."author_id" = "authors"."id" ORDER BY "t3"."title" ASC OFFSET $2) AS "yara_sliced") FROM "authors"`,
    );
  });
});

describe("count() through a derived table", () => {
  test("names its columns apart where two share a name, and only there", async () => {
    const db = useFake("mysql");
    db.replies.push({ rows: [[3]] }, { rows: [[2]] }, { rows: [[2]] }, { rows: [[3]] });
    expect(await Book.objects.all().distinct().count()).toBe(3);
    expect(db.last.sql).toBe(
      `SELECT COUNT(*) FROM (SELECT DISTINCT "books"."id" AS "yara_c0", "books"."title" AS "yara_c1", "books"."price" AS "yara_c2", "books"."published" AS "yara_c3", "books"."author_id" AS "yara_c4", "books"."id" AS "yara_c5" FROM "books") AS "sub"`,
    );
    await Book.objects.all().values("authorId").distinct().count();
    expect(db.last.sql).toBe(
      `SELECT COUNT(*) FROM (SELECT DISTINCT "books"."author_id" FROM "books") AS "sub"`,
    );
    await Book.objects.all().selectRelated("author").limit(2).count();
    expect(db.last.sql).toMatch(/"books"\."id" AS "yara_c0", .* "t1"\."id" AS "yara_c5", /);
    // Two expressions: MariaDB names each by its text, alike for LOWER(x) twice.
    await Book.objects
      .all()
      .annotate({ a: Lower("title"), b: Lower("title") })
      .values("a", "b")
      .distinct()
      .count();
    expect(db.last.sql).toBe(
      `SELECT COUNT(*) FROM (SELECT DISTINCT LOWER("books"."title") AS "yara_c0", LOWER("books"."title") AS "yara_c1" FROM "books") AS "sub"`,
    );
  });
});
