import { describe, expect, test } from "vitest";
import {
  Avg,
  Coalesce,
  Count,
  F,
  FieldError,
  Length,
  Lower,
  Max,
  Sum,
  Upper,
  ValidationError,
} from "../../../runtime/index.js";
import { useFake } from "./fake-driver.js";
import { Author, AUTHOR_COLUMNS, Book } from "./fixtures.js";
import { SELECT_AUTHORS } from "./helpers.js";

describe("annotate with aggregates over to-many relations (correlated subqueries)", () => {
  test("Count / Sum through a reverse foreign key, ordered by the annotation", () => {
    const q = Author.objects
      .all()
      .annotate({ n: Count("books"), total: Sum("books__price") })
      .orderBy("-n" as "id");
    expect(q.sql("postgres").sql).toBe(
      `SELECT ${AUTHOR_COLUMNS}, (SELECT COUNT("t2"."id") FROM "books" AS "t2" WHERE "t2"."author_id" = "authors"."id"), ` +
        `(SELECT SUM("t3"."price") FROM "books" AS "t3" WHERE "t3"."author_id" = "authors"."id") FROM "authors" ` +
        `ORDER BY (SELECT COUNT("t1"."id") FROM "books" AS "t1" WHERE "t1"."author_id" = "authors"."id") DESC`,
    );
    expect(q.sql("sqlite").sql).toContain(
      `(SELECT yara_decimal_sum("t3"."price") FROM "books" AS "t3"`,
    );
  });

  test("through many-to-many, and Avg cast to a float on Postgres", () => {
    const sql = Book.objects
      .all()
      .annotate({ tagCount: Count("tags") })
      .sql("postgres").sql;
    expect(sql).toContain(
      `(SELECT COUNT("t2"."id") FROM "book_tags" AS "t1" INNER JOIN "tags" AS "t2" ON "t2"."id" = "t1"."tag_id" WHERE "t1"."book_id" = "books"."id")`,
    );
    // An aggregate of the rows themselves is read with values() (its rows are groups).
    const avg = Book.objects
      .all()
      .annotate({ avg: Avg("id") })
      .values("avg")
      .sql("postgres").sql;
    expect(avg).toContain(`SELECT CAST(AVG("books"."id") AS DOUBLE PRECISION) FROM "books"`);
  });

  test("annotated values are decoded onto instances and into values()", async () => {
    const db = useFake("postgres");
    db.replies.push({ rows: [[1, "Ada", null, "2024-01-01T00:00:00.000Z", 3]] });
    const [ada] = await Author.objects.all().annotate({ n: Count("books") });
    expect(ada?.n).toBe(3);
    expect(ada).toBeInstanceOf(Author);
    db.replies.push({ rows: [["Ada", 3]] });
    expect(
      await Author.objects
        .all()
        .annotate({ n: Count("books") })
        .values("name", "n"),
    ).toEqual([{ name: "Ada", n: 3 }]);
  });

  test("groupBy with values() and aggregates over own fields", () => {
    const q = Book.objects
      .all()
      .annotate({ n: Count(), top: Max("price") })
      .groupBy("authorId")
      .orderBy()
      .values("authorId", "n", "top");
    expect(q.sql("sqlite")).toEqual({
      sql: `SELECT "books"."author_id", COUNT(*), yara_decimal_max("books"."price") FROM "books" GROUP BY "books"."author_id"`,
      params: [],
    });
  });

  test("functions in annotate, filters and update", async () => {
    expect(
      Author.objects
        .all()
        .annotate({ l: Lower("name"), len: Length("name") })
        .values("l", "len")
        .sql("postgres").sql,
    ).toBe(`SELECT LOWER("authors"."name"), LENGTH("authors"."name") FROM "authors"`);
    expect(Author.objects.filter({ name: Upper("email") }).sql("postgres").sql).toBe(
      `${SELECT_AUTHORS} WHERE "authors"."name" = UPPER("authors"."email")`,
    );
    const db = useFake("postgres");
    await Author.objects.all().update({ email: Coalesce("email", "none") } as never);
    expect(db.last).toEqual({
      sql: `UPDATE "authors" SET "email" = COALESCE("authors"."email", $1)`,
      params: ["none"],
    });
    await Book.objects.all().update({ price: F("price").mul(2) });
    expect(db.last.sql).toBe(`UPDATE "books" SET "price" = ("books"."price" * $1)`);
  });

  test("filters on annotations: WHERE for per-row values, HAVING for aggregates of the rows", async () => {
    const perRow = Author.objects
      .all()
      .annotate({ n: Count("books") })
      .filter({ n__gte: 2, name: "Ada" })
      .sql("postgres");
    expect(perRow).toEqual({
      sql:
        `SELECT ${AUTHOR_COLUMNS}, (SELECT COUNT("t2"."id") FROM "books" AS "t2" WHERE "t2"."author_id" = "authors"."id") FROM "authors" ` +
        `WHERE ((SELECT COUNT("t1"."id") FROM "books" AS "t1" WHERE "t1"."author_id" = "authors"."id") >= $1 AND "authors"."name" = $2)`,
      params: [2, "Ada"],
    });
    const grouped = Book.objects
      .filter({ published: true })
      .annotate({ n: Count(), top: Max("price") })
      .groupBy("authorId")
      .exclude({ n: 1 })
      .orderBy()
      .values("authorId", "n")
      .sql("postgres");
    expect(grouped).toEqual({
      sql:
        `SELECT "books"."author_id", COUNT(*) FROM "books" WHERE "books"."published" = $1 GROUP BY "books"."author_id" ` +
        `HAVING NOT (COALESCE(COUNT(*) = $2, FALSE))`,
      params: [true, 1],
    });
    // update() and delete() have no HAVING; a per-row annotation filter is fine there.
    const db = useFake("postgres");
    await expect(
      Book.objects.all().annotate({ n: Count() }).filter({ n__gt: 1 }).delete(),
    ).rejects.toThrow(/cannot filter on an aggregate/);
    await Author.objects
      .all()
      .annotate({ n: Count("books") })
      .filter({ n: 0 })
      .delete();
    expect(db.last).toEqual({
      sql: `DELETE FROM "authors" WHERE (SELECT COUNT("t1"."id") FROM "books" AS "t1" WHERE "t1"."author_id" = "authors"."id") = $1`,
      params: [0],
    });
    // A value of the wrong kind for the annotation is refused like a field's.
    expect(() =>
      Author.objects
        .all()
        .annotate({ n: Count("books") })
        .filter({ n: "two" } as never)
        .sql("postgres"),
    ).toThrow(ValidationError);
    expect(() =>
      Author.objects
        .all()
        .annotate({ n: Count("books") })
        .filter({ n__icontains: "2" } as never)
        .sql("postgres"),
    ).toThrow(FieldError);
  });

  test("bad annotations are rejected before SQL", () => {
    expect(() =>
      Author.objects
        .all()
        .annotate({ n: Count("nope") })
        .sql("postgres"),
    ).toThrow(FieldError);
    expect(() =>
      Author.objects
        .all()
        .annotate({ name: Count("books") })
        .sql("postgres"),
    ).toThrow(ValidationError);
    expect(() =>
      Author.objects
        .all()
        .annotate({ n: 5 as never })
        .sql("postgres"),
    ).toThrow(ValidationError);
  });

  test("an aggregate across two to-many relations joins the further ones inside its subquery", () => {
    const { sql } = Author.objects
      .all()
      .annotate({ n: Count("books__tags", { distinct: true }) })
      .sql("postgres");
    expect(sql).toContain(
      `(SELECT COUNT(DISTINCT "t3"."id") FROM "books" AS "t1" ` +
        `INNER JOIN "book_tags" AS "t2" ON "t2"."book_id" = "t1"."id" ` +
        `INNER JOIN "tags" AS "t3" ON "t3"."id" = "t2"."tag_id" ` +
        `WHERE "t1"."author_id" = "authors"."id")`,
    );
  });
});
