/**
 * A hand-written `renameJoinTable` whose two columns trade names (which no rename `make` writes
 * can produce) on every database × driver: the renames go through a spare name, the join table
 * after up is the one generateSchemas() creates for the new state, down gives back the old one,
 * and the rows stay in their columns both ways.
 */
import { dialectNamed } from "../../runtime/dialect/registry.js";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schemaStatements } from "../../runtime/dialect/ddl.js";
import { runMigrations } from "../../runtime/migrations/executor.js";
import { loadMigrations } from "../../runtime/migrations/folder.js";
import { planMigrations } from "../../runtime/migrations/plan.js";
import { YaraOrm } from "../../runtime/orm.js";
import { isolate, migrationTargets, type Target } from "../support/targets.js";
import { writeMigration } from "./support/files.js";
import { introspect, queryRows, type IntrospectedSchema } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const work = workDir("rename-join-table");
afterAll(() => work.dispose());
const dir = join(work.dir, "migrations");

const model = (name: string, table: string) => `createModel({
  name: "${name}",
  table: "${table}",
  pk: "id",
  fields: [{ name: "id", column: "id", kind: "int", pk: true }],
})`;
writeMigration(
  dir,
  "0001_initial",
  null,
  `${model("Book", "book")}, ${model("Tag", "tag")},
  createJoinTable({ model: "Book", relation: "tags", target: "Tag", table: "book_tag", sourceColumn: "book_id", targetColumn: "tag_id" })`,
);
writeMigration(
  dir,
  "0002_swap",
  "0001_initial",
  `renameJoinTable({ model: "Book", relation: "tags", table: "book_tag", sourceColumn: "tag_id", targetColumn: "book_id" })`,
);

async function generated(t: Target, index: number): Promise<IntrospectedSchema> {
  const plan = planMigrations(await loadMigrations(dir));
  const db = await isolate(t);
  await YaraOrm.init(db.url, { driver: t.driver });
  try {
    const metas = [...plan.before[index]!.values()];
    await YaraOrm.driver.transaction(async (conn) => {
      for (const sql of schemaStatements(metas, dialectNamed(t.dialect)))
        await conn.execute(sql, []);
    });
    return await introspect(YaraOrm.driver);
  } finally {
    await YaraOrm.close();
    await db.dispose();
  }
}

for (const t of migrationTargets()) {
  describe(t.name, () => {
    it("columns that trade names are renamed through a spare name, rows kept", async () => {
      const db = await isolate(t);
      await YaraOrm.init(db.url, { driver: t.driver });
      let afterUp: IntrospectedSchema;
      let afterDown: IntrospectedSchema;
      try {
        const driver = YaraOrm.driver;
        await runMigrations(driver, { dir, target: "0001" });
        for (const sql of [
          `INSERT INTO "book" ("id") VALUES (1), (2)`,
          `INSERT INTO "tag" ("id") VALUES (10), (20)`,
          `INSERT INTO "book_tag" ("book_id", "tag_id") VALUES (1, 10), (1, 20), (2, 20)`,
        ])
          await driver.execute(sql, []);
        const before = await queryRows(
          driver,
          `SELECT "book_id" AS "b", "tag_id" AS "t" FROM "book_tag" ORDER BY 1, 2`,
        );
        expect(before).toHaveLength(3);
        await runMigrations(driver, { dir });
        afterUp = await introspect(driver);
        expect(
          await queryRows(
            driver,
            `SELECT "tag_id" AS "b", "book_id" AS "t" FROM "book_tag" ORDER BY 1, 2`,
          ),
        ).toEqual(before);
        await runMigrations(driver, { dir, target: "0001", direction: "down" });
        afterDown = await introspect(driver);
        expect(
          await queryRows(
            driver,
            `SELECT "book_id" AS "b", "tag_id" AS "t" FROM "book_tag" ORDER BY 1, 2`,
          ),
        ).toEqual(before);
      } finally {
        await YaraOrm.close();
        await db.dispose();
      }
      const v1 = await generated(t, 1);
      const v2 = await generated(t, 2);
      expect(v1).not.toEqual(v2);
      expect(afterUp).toEqual(v2);
      expect(afterDown).toEqual(v1);
    });
  });
}
