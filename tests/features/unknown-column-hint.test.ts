/**
 * An unknown column gets the hint to migrate only where the column could be missing from the
 * database (runtime/driver/missing-schema.ts): not for a derived table's own column, an alias or
 * a name no model has, on any database, nor on MariaDB for the enclosing query's column read
 * from inside a derived table — an OuterRef in a sliced query under `__in`, which MariaDB reads
 * through `IN (SELECT * FROM (…) AS "yara_sliced")` — where no migration helps; a column the
 * table really lacks still says to migrate, on every database.
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

  it("a name the query made up: the database's message, without the hint", async () => {
    for (const sql of [
      // A derived table's column, an alias, a column no model gives the table (a typo).
      `SELECT "t"."a" FROM (SELECT 1 AS "a") AS "t" WHERE "t"."b" = 1`,
      `SELECT "author"."id" AS "n" FROM "author" ORDER BY "nn" + 1`,
      `SELECT "author"."nope" FROM "author"`,
      `INSERT INTO "author" ("name", "nope") VALUES ('x', 1)`,
    ]) {
      const error = await rejects(YaraOrm.driver.query(sql, []));
      expect(error).toBeInstanceOf(DatabaseError);
      const message = (error as Error).message;
      expect(message, sql).toMatch(/\b(b|nn|nope)\b/);
      expect(message, sql).not.toContain(HINT);
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
        // Through a join's alias, and bare.
        () => YaraOrm.driver.query(`SELECT "t1"."body" FROM "item" AS "t1"`, []),
        () => YaraOrm.driver.query(`SELECT "body" FROM "item"`, []),
      ]) {
        const error = await rejects(attempt());
        expect(error).toBeInstanceOf(DatabaseError);
        expect((error as Error).message).toMatch(/body/);
        expect((error as Error).message.endsWith(HINT), (error as Error).message).toBe(true);
      }
    } finally {
      await YaraOrm.driver.execute(`ALTER TABLE "item" ADD COLUMN "body" TEXT`, []);
    }
  });
});
