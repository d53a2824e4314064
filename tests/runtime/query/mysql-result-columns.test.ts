/**
 * MySQL / MariaDB: a statement with parameters (mysql2's binary protocol) selects its DATETIME
 * and DATE result columns as the server's text (`CAST(… AS CHAR)`, docs/mysql.md), so mysql2 does
 * not build that text from the binary value per cell; an INSERT's RETURNING list likewise.
 * Without parameters (the text protocol), in subqueries and in DISTINCT lists the columns stay
 * as written.
 */
import { describe, expect, test } from "vitest";
import { useFake } from "./fake-driver.js";
import { Author, Book } from "./fixtures.js";

const CREATED = `CAST("authors"."created_at" AS CHAR) AS "created_at"`;

describe("MySQL result columns of a date kind", () => {
  test("a model's own column list, with parameters: the datetime as the server's text", () => {
    const { sql, params } = Author.objects.filter({ name: "Ada" }).sql("mysql");
    expect(params).toEqual(["Ada"]);
    expect(sql).toBe(
      `SELECT "authors"."id", "authors"."name", "authors"."email", ${CREATED} FROM "authors" WHERE "authors"."name" = ?`,
    );
  });

  test("only(): the listed datetime column", () => {
    const sql = Author.objects.filter({ id__gt: 1 }).only("id", "createdAt").sql("mysql").sql;
    expect(sql).toContain(`SELECT "authors"."id", ${CREATED} FROM`);
  });

  test("no parameters: the text protocol sends text already, the list stays as written", () => {
    const { sql, params } = Author.objects.all().sql("mysql");
    expect(params).toEqual([]);
    expect(sql).not.toContain("CAST(");
  });

  test("a subquery's columns and a DISTINCT list stay as written", () => {
    const inner = Author.objects.filter({ name: "Ada" });
    const sql = Book.objects.filter({ author__in: inner }).sql("mysql").sql;
    expect(sql).not.toContain("CAST(");
    const distinct = Author.objects.filter({ name: "Ada" }).distinct().sql("mysql").sql;
    expect(distinct).not.toContain("CAST(");
  });

  test("create(): the RETURNING list's datetime as the server's text", async () => {
    const db = useFake("mysql");
    db.replies.push({ rows: [[7, "Ada", null, "2024-05-06 07:08:09.000000"]] });
    const author = await Author.objects.create({ name: "Ada", createdAt: new Date(0) });
    expect(db.last.sql).toBe(
      `INSERT INTO "authors" ("name", "email", "created_at") VALUES (?, ?, ?) RETURNING "authors"."id", "authors"."name", "authors"."email", ${CREATED}`,
    );
    expect(author.createdAt).toEqual(new Date("2024-05-06T07:08:09.000Z"));
  });

  test("Postgres and SQLite are unchanged", () => {
    expect(Author.objects.filter({ name: "Ada" }).sql("postgres").sql).not.toContain("CAST(");
    expect(Author.objects.filter({ name: "Ada" }).sql("sqlite").sql).not.toContain("CAST(");
  });
});
