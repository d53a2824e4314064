/**
 * An unknown column gets the hint to migrate only where the column could be missing from the
 * database: on MariaDB (ER_BAD_FIELD_ERROR) not for a derived table's own column, nor for the
 * enclosing query's column read from inside a derived table — an OuterRef in a sliced query
 * under `__in`, which MariaDB reads through `IN (SELECT * FROM (…) AS "yara_sliced")` — where
 * no migration helps; a column the table really lacks still says to migrate, on every database.
 */
import { expect, it } from "vitest";
import { YaraOrm } from "../../runtime/orm.js";
import { Author, Book, DatabaseError, Item, OuterRef } from "./generated/index.js";
import { forEachTarget, rejects, resetData, type Target } from "./harness.js";

const HINT =
  "; the table is older than its model: add the column with a migration (generateSchemas() creates missing tables only)";

forEachTarget((target: Target) => {
  const mysql = target.dialect === "mysql";

  it("an OuterRef in a sliced query under __in: MariaDB's message, without the hint", async () => {
    await resetData();
    const ada = await Author.create({ name: "Ada" });
    await Author.create({ name: "Grace" });
    await Book.create({ title: "Notes", author: ada });
    const query = Author.filter({
      id__in: Book.filter({ authorId: OuterRef("id") })
        .values("authorId")
        .limit(1),
    } as never);
    if (!mysql) {
      // Elsewhere the subquery reads the outer row directly.
      expect((await query).map((a) => a.name)).toEqual(["Ada"]);
      return;
    }
    const error = await rejects(query);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe("ER_BAD_FIELD_ERROR");
    // The outer "author"."id", which the derived table cannot read: the query, not the schema.
    expect((error as Error).message).toMatch(/^Unknown column 'author\.id' in '[^']*'$/);
  });

  // MariaDB's own error for names a query made up (the other databases have no such case).
  if (mysql)
    it("a derived table's own column: MariaDB's message, without the hint", async () => {
      for (const sql of [
        `SELECT "t"."a" FROM (SELECT 1 AS "a") AS "t" WHERE "t"."b" = 1`,
        `SELECT "author"."id" AS "n" FROM "author" ORDER BY "nn"`,
        // A name no model gives the table: a typo in raw SQL, not a table behind its model.
        `SELECT "author"."nope" FROM "author"`,
      ]) {
        const error = await rejects(YaraOrm.driver.query(sql, []));
        expect(error).toBeInstanceOf(DatabaseError);
        expect((error as DatabaseError).code).toBe("ER_BAD_FIELD_ERROR");
        expect((error as Error).message).toMatch(/^Unknown column '[^']*' in '[^']*'$/);
      }
    });

  // Last: drops a column of this file's own database (the table is put back after).
  it("a column the table lacks (dropped by hand) still says to migrate", async () => {
    await resetData();
    await YaraOrm.driver.execute(`ALTER TABLE "item" DROP COLUMN "body"`, []);
    try {
      for (const attempt of [
        () => Item.filter({ body: "x" }).count(),
        () => Item.create({ name: "x" }),
        () => Item.filter({ name: "x" }).update({ body: "y" }),
        // A derived table reading its own table's missing column is still the schema's fault.
        () => YaraOrm.driver.query(`SELECT * FROM (SELECT "item"."body" FROM "item") AS "t"`, []),
      ]) {
        const error = await rejects(attempt());
        expect(error).toBeInstanceOf(DatabaseError);
        expect((error as Error).message).toMatch(/body/);
        expect((error as Error).message.endsWith(HINT)).toBe(true);
      }
    } finally {
      await YaraOrm.driver.execute(`ALTER TABLE "item" ADD COLUMN "body" TEXT`, []);
    }
  });
});
