/**
 * The SQLite table rebuild (runtime/migrations/rebuild-sqlite.ts) on a table with foreign keys
 * pointing out (to author) and in (from review): every kept value keeps its storage class and
 * bytes, the AUTOINCREMENT counter survives, both foreign keys still hold afterwards, and rows
 * that break a key abort the migration (PRAGMA foreign_key_check).
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { MigrationError } from "../../runtime/errors.js";
import { runMigrations } from "../../runtime/migrations/executor.js";
import { YaraOrm } from "../../runtime/orm.js";
import { targets } from "../support/targets.js";
import { AUTHOR_MODEL, writeMigration } from "./support/files.js";
import { introspect, queryRows } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const work = workDir("rebuild");
afterAll(() => work.dispose());

const BOOK = `createModel({
  name: "Book", table: "books", pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    { name: "title", column: "title", kind: "char", maxLength: 20, index: true },
    { name: "price", column: "price", kind: "decimal", maxDigits: 10, decimalPlaces: 2, nullable: true },
    { name: "ratio", column: "ratio", kind: "float", nullable: true },
    { name: "big", column: "big", kind: "bigint", nullable: true },
    { name: "blob", column: "blob", kind: "binary", nullable: true },
    { name: "data", column: "data", kind: "json", nullable: true },
    { name: "at", column: "at", kind: "datetime", nullable: true },
    { name: "authorId", column: "author_id", kind: "int", index: true, relation: "author", references: { model: "Author", onDelete: "CASCADE" } },
  ],
  uniqueTogether: [["title", "author"]],
})`;
const REVIEW = `createModel({
  name: "Review", table: "review", pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    { name: "bookId", column: "book_id", kind: "int", index: true, relation: "book", references: { model: "Book", onDelete: "CASCADE" } },
  ],
})`;

const KEPT = ["id", "title", "price", "ratio", "big", "blob", "data", "at", "author_id"];
const snapshot = `SELECT ${KEPT.map((c) => `typeof("${c}") AS "${c}_type", hex("${c}") AS "${c}_hex"`).join(", ")} FROM "books" ORDER BY "id"`;

let folders = 0;
for (const t of targets().filter((x) => x.dialect === "sqlite")) {
  describe(t.name, () => {
    beforeEach(() => YaraOrm.init(t.url, { driver: t.driver }));
    afterEach(() => YaraOrm.close());

    it("keeps every row byte for byte, the id counter and the foreign keys in and out", async () => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, `${AUTHOR_MODEL}, ${BOOK}, ${REVIEW}`);
      writeMigration(
        dir,
        "0002_reshape",
        "0001_initial",
        `alterField("Book", { name: "title", column: "title", kind: "char", maxLength: 200, index: true }),
         addField("Book", { name: "pages", column: "pages", kind: "int", default: 0 }),
         removeIndex("Book", ["title", "author"], { unique: true })`,
      );
      const db = YaraOrm.driver;
      await runMigrations(db, { dir, target: "0001" });
      await db.execute(`INSERT INTO "author" ("id", "name") VALUES (1, 'Ada')`, []);
      await db.execute(
        `INSERT INTO "books" ("title", "price", "ratio", "big", "blob", "data", "at", "author_id") VALUES
           ('Notes', '19.90', 0.1, 9007199254740993, X'00FF10', '{"a":[1,2]}', '2024-01-02T03:04:05.678Z', 1),
           ('Sketch', NULL, -0.0, NULL, X'', 'null', NULL, 1),
           ('Gone', '1.00', 1e300, -1, NULL, NULL, NULL, 1)`,
        [],
      );
      await db.execute(`DELETE FROM "books" WHERE "title" = 'Gone'`, []);
      await db.execute(`INSERT INTO "review" ("book_id") VALUES (1), (2)`, []);
      const before = await queryRows(db, snapshot);
      const seq = await queryRows(db, `SELECT seq FROM sqlite_sequence WHERE name = 'books'`);

      await runMigrations(db, { dir });
      expect(await queryRows(db, snapshot)).toEqual(before);
      expect(await queryRows(db, `SELECT seq FROM sqlite_sequence WHERE name = 'books'`)).toEqual(
        seq,
      );
      expect(await queryRows(db, `SELECT "pages" FROM "books" ORDER BY "id"`)).toEqual([
        { pages: 0 },
        { pages: 0 },
      ]);
      expect(Object.keys((await introspect(db)).tables)).toEqual(["author", "books", "review"]);
      const added = await db.query(
        `INSERT INTO "books" ("title", "author_id") VALUES ('New', 1) RETURNING "id"`,
        [],
      );
      expect(Number(added.reader.value(0, 0))).toBe(4);
      await expect(
        db.execute(`INSERT INTO "books" ("title", "author_id") VALUES ('Orphan', 99)`, []),
      ).rejects.toThrow();
      await expect(
        db.execute(`INSERT INTO "review" ("book_id") VALUES (99)`, []),
      ).rejects.toThrow();
      await db.execute(`DELETE FROM "books" WHERE "id" = 1`, []);
      expect(await queryRows(db, `SELECT "book_id" FROM "review"`)).toEqual([{ book_id: 2 }]);
      expect(await queryRows(db, "PRAGMA foreign_key_check")).toEqual([]);

      await db.execute(`DELETE FROM "books" WHERE "id" = 4`, []);
      await runMigrations(db, { dir, target: "0001", direction: "down" });
      expect(await queryRows(db, snapshot)).toEqual(before.slice(1));
    });

    it("views and the table's triggers survive the rebuild", async () => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(
        dir,
        "0001_initial",
        null,
        `${AUTHOR_MODEL}, ${BOOK}, ${REVIEW},
         runSql([
           'CREATE VIEW "cheap_books" AS SELECT "id", "title" FROM "books" WHERE CAST("price" AS REAL) < 10',
           'CREATE TRIGGER "books_upper" AFTER INSERT ON "books" BEGIN UPDATE "books" SET "title" = upper(NEW."title") WHERE "id" = NEW."id"; END',
         ], ['DROP VIEW "cheap_books"', 'DROP TRIGGER "books_upper"'])`,
      );
      writeMigration(
        dir,
        "0002_more",
        "0001_initial",
        `addField("Book", { name: "pages", column: "pages", kind: "int", nullable: true })`,
      );
      const db = YaraOrm.driver;
      await runMigrations(db, { dir });
      const objects = await queryRows(
        db,
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name",
      );
      expect(objects).toEqual([
        { type: "trigger", name: "books_upper" },
        { type: "view", name: "cheap_books" },
      ]);
      await db.execute(`INSERT INTO "author" ("id", "name") VALUES (1, 'Ada')`, []);
      await db.execute(
        `INSERT INTO "books" ("title", "price", "author_id", "pages") VALUES ('low', '5.00', 1, 10)`,
        [],
      );
      expect(await queryRows(db, `SELECT "title" FROM "cheap_books"`)).toEqual([{ title: "LOW" }]);
      await runMigrations(db, { dir, target: "zero", direction: "down" });
      expect(
        await queryRows(db, "SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger')"),
      ).toEqual([]);
    });

    it("rows breaking a foreign key after the migration abort it", async () => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, `${AUTHOR_MODEL}, ${BOOK}, ${REVIEW}`);
      const file = writeMigration(
        dir,
        "0002_orphans",
        "0001_initial",
        `runSql('INSERT INTO "review" ("book_id") VALUES (42)', 'DELETE FROM "review"'),
         addField("Review", { name: "stars", column: "stars", kind: "int", nullable: true })`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      const before = await introspect(YaraOrm.driver);
      const error = await runMigrations(YaraOrm.driver, { dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).file).toBe(file);
      expect((error as Error).message).toContain(
        "break a foreign key (first: table review → books)",
      );
      expect(await introspect(YaraOrm.driver)).toEqual(before);
      expect(await queryRows(YaraOrm.driver, `SELECT count(*) AS n FROM "review"`)).toEqual([
        { n: 0 },
      ]);
    });
  });
}
