import { describe, expect, test } from "vitest";
import { Author, Book, Category, Profile, Tag } from "./fixtures.js";
import { both, SELECT_AUTHORS, SELECT_BOOKS } from "./helpers.js";

const author = new Author(7, "Ada", null, new Date(0));

describe("to-one relations become LEFT JOINs with aliases", () => {
  test("rel__field", () => {
    const q = both(Book.objects.filter({ author__name: "Ada" }).orderBy("-id").limit(10));
    expect(q.postgres).toEqual({
      sql: `${SELECT_BOOKS} LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = $1 ORDER BY "books"."id" DESC LIMIT $2`,
      params: ["Ada", 10],
    });
    expect(q.sqlite).toEqual({
      sql: `${SELECT_BOOKS} LEFT JOIN "authors" AS "t1" ON "t1"."id" = "books"."author_id" WHERE "t1"."name" = +? ORDER BY "books"."id" DESC LIMIT 10`,
      params: ["Ada"],
    });
  });

  test("one join per path, reused by filter and ordering", () => {
    const sql = Book.objects
      .filter({ author__name: "Ada" })
      .filter({ author__email__isnull: true })
      .orderBy("author__name")
      .sql("postgres").sql;
    expect(sql.match(/LEFT JOIN/g)).toHaveLength(1);
    expect(sql).toContain(`ORDER BY "t1"."name" ASC`);
  });

  test("self-joins through any number of relations", () => {
    const q = Category.objects.filter({ parent__parent__name: "root" }).sql("postgres");
    expect(q.sql).toBe(
      `SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" ` +
        `LEFT JOIN "categories" AS "t1" ON "t1"."id" = "categories"."parent_id" ` +
        `LEFT JOIN "categories" AS "t2" ON "t2"."id" = "t1"."parent_id" WHERE "t2"."name" = $1`,
    );
  });

  test("reverse one-to-one joins on the target's key", () => {
    expect(Author.objects.filter({ profile__bio: "x" }).sql("sqlite").sql).toBe(
      `${SELECT_AUTHORS} LEFT JOIN "profiles" AS "t1" ON "t1"."author_id" = "authors"."id" WHERE "t1"."bio" = +?`,
    );
  });

  test("a relation given an instance, a pk, or rel__pk uses the key column without a join", () => {
    for (const filter of [
      { author },
      { author: 7 },
      { authorId: 7 },
      { author__id: 7 },
      { author__pk: 7 },
    ]) {
      expect(Book.objects.filter(filter).sql("postgres")).toEqual({
        sql: `${SELECT_BOOKS} WHERE "books"."author_id" = $1 ORDER BY "books"."id" DESC`,
        params: [7],
      });
    }
    expect(Book.objects.filter({ author__in: [author, 8] }).sql("postgres").params).toEqual([
      [7, 8],
    ]);
    expect(Profile.objects.filter({ author__isnull: false }).sql("sqlite").sql).toContain(
      `"profiles"."author_id" IS NOT NULL`,
    );
  });
});

describe("to-many relations become EXISTS so each row is returned once", () => {
  test("reverse foreign key", () => {
    const q = both(Author.objects.filter({ books__title: "Dune" }));
    expect(q.postgres).toEqual({
      sql: `${SELECT_AUTHORS} WHERE EXISTS (SELECT 1 FROM "books" AS "t1" WHERE ("t1"."author_id" = "authors"."id" AND "t1"."title" = $1))`,
      params: ["Dune"],
    });
    expect(q.sqlite.sql).toBe(
      `${SELECT_AUTHORS} WHERE EXISTS (SELECT 1 FROM "books" AS "t1" WHERE ("t1"."author_id" = "authors"."id" AND "t1"."title" = +?))`,
    );
  });

  test("many-to-many through the join table, conditions of one filter on the same row", () => {
    expect(Book.objects.filter({ tags__name: "sf", tags__id__gt: 3 }).sql("postgres")).toEqual({
      sql:
        `${SELECT_BOOKS} WHERE EXISTS (SELECT 1 FROM "book_tags" AS "t1" INNER JOIN "tags" AS "t2" ON "t2"."id" = "t1"."tag_id" ` +
        `WHERE ("t1"."book_id" = "books"."id" AND ("t2"."name" = $1 AND "t2"."id" > $2))) ORDER BY "books"."id" DESC`,
      params: ["sf", 3],
    });
  });

  test("separate filter() calls on a to-many relation are separate EXISTS", () => {
    const sql = Author.objects
      .filter({ books__title: "a" })
      .filter({ books__published: true })
      .sql("postgres").sql;
    expect(sql.match(/EXISTS/g)).toHaveLength(2);
  });

  test("reverse many-to-many, then a to-one join inside the subquery", () => {
    expect(Tag.objects.filter({ books__author__name: "Ada" }).sql("sqlite").sql).toBe(
      `SELECT "tags"."id", "tags"."name" FROM "tags" WHERE EXISTS (SELECT 1 FROM "book_tags" AS "t1" INNER JOIN "books" AS "t2" ON "t2"."id" = "t1"."book_id" ` +
        `LEFT JOIN "authors" AS "t3" ON "t3"."id" = "t2"."author_id" WHERE ("t1"."tag_id" = "tags"."id" AND "t3"."name" = +?))`,
    );
  });

  test("a to-many relation given an instance or pk compares the join table's key", () => {
    const tag = new Tag(4, "sf");
    // Only the target's key is compared: the join table answers alone, no join to the target.
    expect(Book.objects.filter({ tags: tag }).sql("postgres").sql).toBe(
      `${SELECT_BOOKS} WHERE EXISTS (SELECT 1 FROM "book_tags" AS "t1" WHERE ("t1"."book_id" = "books"."id" AND "t1"."tag_id" = $1)) ORDER BY "books"."id" DESC`,
    );
    expect(Book.objects.filter({ tags__in: [tag, 5] }).sql("postgres").params).toEqual([[4, 5]]);
  });

  test("nested to-many relations nest EXISTS", () => {
    const sql = Author.objects.filter({ books__tags__name: "sf" }).sql("postgres").sql;
    expect(sql).toBe(
      `${SELECT_AUTHORS} WHERE EXISTS (SELECT 1 FROM "books" AS "t1" WHERE ("t1"."author_id" = "authors"."id" AND ` +
        `EXISTS (SELECT 1 FROM "book_tags" AS "t2" INNER JOIN "tags" AS "t3" ON "t3"."id" = "t2"."tag_id" WHERE ("t2"."book_id" = "t1"."id" AND "t3"."name" = $1))))`,
    );
  });

  test("self-referencing reverse relation", () => {
    expect(Category.objects.filter({ children__name: "leaf" }).sql("postgres").sql).toContain(
      `WHERE EXISTS (SELECT 1 FROM "categories" AS "t1" WHERE ("t1"."parent_id" = "categories"."id" AND "t1"."name" = $1))`,
    );
  });

  test("exclude through a to-many relation negates the EXISTS", () => {
    expect(Author.objects.exclude({ books__title: "x" }).sql("postgres").sql).toBe(
      `${SELECT_AUTHORS} WHERE NOT (EXISTS (SELECT 1 FROM "books" AS "t1" WHERE ("t1"."author_id" = "authors"."id" AND "t1"."title" = $1)))`,
    );
  });

  test("ordering through a to-many relation is a FieldError", () => {
    expect(() =>
      Author.objects
        .all()
        .orderBy("books__title" as "name")
        .sql("postgres"),
    ).toThrow(/to-many/);
  });
});

describe("relation paths of selectRelated and prefetchRelated are checked before SQL", () => {
  test("every segment must name a relation of the model it reaches", () => {
    expect(() =>
      Author.objects
        .all()
        .prefetchRelated("books__nope" as "books")
        .sql("postgres"),
    ).toThrow(/Book has no relation "nope" \(in "books__nope"\)/);
    expect(() =>
      Book.objects
        .all()
        .selectRelated("tags" as never)
        .sql("postgres"),
    ).toThrow(/no to-one relation "tags"/);
    expect(Author.objects.all().prefetchRelated("books__tags").sql("postgres").sql).toBe(
      SELECT_AUTHORS,
    );
  });
});
