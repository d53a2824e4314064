/**
 * A column that becomes NOT NULL on a table with rows — a nullable field altered, a field added,
 * a removed field restored by `down` — gives the rows without a value the field's default, else
 * the operation's `fill`; with neither, the migration fails before altering anything, naming the
 * field and how many rows lack a value, instead of the database's own NOT NULL error. On every
 * database × driver, and the SQL `migrations sql` prints for each dialect.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MigrationError } from "../../runtime/errors.js";
import { migrationSql, migrationStatus, runMigrations } from "../../runtime/migrations/executor.js";
import { YaraOrm } from "../../runtime/orm.js";
import { migrationTargets } from "../support/targets.js";
import { writeMigration } from "./support/files.js";
import { useFreshDatabase } from "./support/fresh-database.js";
import { queryRows } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const work = workDir("not-null");
afterAll(() => work.dispose());
let folders = 0;
const folder = (): string => join(work.dir, `m${++folders}`);

/** `Item` with `note` as given (nullable, or NOT NULL). */
const item = (note: string): string => `createModel({
  name: "Item",
  table: "item",
  pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    { name: "title", column: "title", kind: "char", maxLength: 20 },
    ${note},
  ],
})`;

const NULLABLE = `{ name: "note", column: "note", kind: "char", maxLength: 20, nullable: true }`;
const NOT_NULL = `{ name: "note", column: "note", kind: "char", maxLength: 20 }`;
const WITH_DEFAULT = `{ name: "note", column: "note", kind: "char", maxLength: 20, default: "dflt" }`;

/** A folder of 0001 (Item with `note`) and 0002 (`operation`). */
function folderOf(note: string, operation: string): { dir: string; second: string } {
  const dir = folder();
  writeMigration(dir, "0001_initial", null, item(note));
  return { dir, second: writeMigration(dir, "0002_change", "0001_initial", operation) };
}

for (const t of migrationTargets()) {
  describe(t.name, () => {
    useFreshDatabase(t);

    const insert = async (...notes: (string | null)[]): Promise<void> => {
      for (const [i, note] of notes.entries())
        await YaraOrm.driver.execute(
          `INSERT INTO "item" ("title", "note") VALUES ('t${i + 1}', ${note === null ? "NULL" : `'${note}'`})`,
          [],
        );
    };
    const notes = async (): Promise<unknown[]> =>
      (await queryRows(YaraOrm.driver, `SELECT "note" FROM "item" ORDER BY "id"`)).map(
        (r) => r["note"],
      );
    const applied = async (dir: string): Promise<string[]> =>
      (await migrationStatus(YaraOrm.driver, dir)).filter((s) => s.applied).map((s) => s.name);
    const refusal = async (p: Promise<unknown>, file: string): Promise<string> => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).file).toBe(file);
      return (error as Error).message;
    };

    it("a nullable field made NOT NULL with a default gives the NULL rows the default", async () => {
      const { dir } = folderOf(NULLABLE, `alterField("Item", ${WITH_DEFAULT})`);
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert("kept", null);
      await runMigrations(YaraOrm.driver, { dir });
      expect(await notes()).toEqual(["kept", "dflt"]);
      await YaraOrm.driver.execute(`INSERT INTO "item" ("title") VALUES ('new')`, []);
      expect((await notes()).at(-1)).toBe("dflt");
      await expect(insert(null)).rejects.toThrow();
    });

    it("a nullable field made NOT NULL without a default gives the NULL rows the fill, which is not kept as a default", async () => {
      const { dir } = folderOf(NULLABLE, `alterField("Item", ${NOT_NULL}, { fill: "filled" })`);
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert(null, "kept");
      await runMigrations(YaraOrm.driver, { dir });
      expect(await notes()).toEqual(["filled", "kept"]);
      const noValue = YaraOrm.driver.execute(`INSERT INTO "item" ("title") VALUES ('new')`, []);
      await expect(noValue).rejects.toThrow();
    });

    it("the default wins over a fill, as for a new field", async () => {
      const { dir } = folderOf(NULLABLE, `alterField("Item", ${WITH_DEFAULT}, { fill: "filled" })`);
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert(null);
      await runMigrations(YaraOrm.driver, { dir });
      expect(await notes()).toEqual(["dflt"]);
    });

    it("with neither, the migration fails naming the field and its NULL rows, and changes nothing", async () => {
      const { dir, second } = folderOf(NULLABLE, `alterField("Item", ${NOT_NULL})`);
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert(null, "kept", null);
      const message = await refusal(runMigrations(YaraOrm.driver, { dir }), second);
      expect(message).toContain(
        "Item.note: 2 rows hold NULL, and the field becomes NOT NULL without a default; " +
          "give the operation { fill: … } (the value those rows get), or update them first",
      );
      expect(await notes()).toEqual([null, "kept", null]);
      expect(await applied(dir)).toEqual(["0001_initial"]);
      await insert(null);
      expect((await notes()).length).toBe(4);
    });

    it("with neither, a column without NULL rows becomes NOT NULL", async () => {
      const { dir } = folderOf(NULLABLE, `alterField("Item", ${NOT_NULL})`);
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert("kept");
      await runMigrations(YaraOrm.driver, { dir });
      expect(await notes()).toEqual(["kept"]);
      await expect(insert(null)).rejects.toThrow();
    });

    it("reverting an alterField that dropped NOT NULL gives the NULL rows written since its fill", async () => {
      const { dir } = folderOf(NOT_NULL, `alterField("Item", ${NULLABLE}, { fill: "back" })`);
      await runMigrations(YaraOrm.driver, { dir });
      await insert("kept", null);
      await runMigrations(YaraOrm.driver, { dir, target: "0001", direction: "down" });
      expect(await notes()).toEqual(["kept", "back"]);
      await expect(insert(null)).rejects.toThrow();
    });

    it("reverting an alterField that dropped NOT NULL, without a fill, fails naming the NULL rows", async () => {
      const { dir, second } = folderOf(NOT_NULL, `alterField("Item", ${NULLABLE})`);
      await runMigrations(YaraOrm.driver, { dir });
      await insert("kept", null);
      const message = await refusal(
        runMigrations(YaraOrm.driver, { dir, target: "0001", direction: "down" }),
        second,
      );
      expect(message).toContain("Item.note: 1 row holds NULL, and the field becomes NOT NULL");
      expect(await applied(dir)).toEqual(["0001_initial", "0002_change"]);
      expect(await notes()).toEqual(["kept", null]);
    });

    it("reverting a removeField of a NOT NULL field without a default gives the rows its fill", async () => {
      const { dir } = folderOf(NOT_NULL, `removeField("Item", "note", { fill: "restored" })`);
      await runMigrations(YaraOrm.driver, { dir });
      await YaraOrm.driver.execute(`INSERT INTO "item" ("title") VALUES ('t1')`, []);
      await runMigrations(YaraOrm.driver, { dir, target: "0001", direction: "down" });
      expect(await notes()).toEqual(["restored"]);
    });

    it("reverting a removeField without a fill fails naming the field and the rows, and changes nothing", async () => {
      const { dir, second } = folderOf(NOT_NULL, `removeField("Item", "note")`);
      await runMigrations(YaraOrm.driver, { dir });
      await YaraOrm.driver.execute(`INSERT INTO "item" ("title") VALUES ('t1'), ('t2')`, []);
      const message = await refusal(
        runMigrations(YaraOrm.driver, { dir, target: "0001", direction: "down" }),
        second,
      );
      expect(message).toContain(
        "Item.note: the table has 2 rows, and the field is added NOT NULL without a default; " +
          "give the operation { fill: … } (the value those rows get)",
      );
      expect(await applied(dir)).toEqual(["0001_initial", "0002_change"]);
      expect(await queryRows(YaraOrm.driver, `SELECT "title" FROM "item" ORDER BY "id"`)).toEqual([
        { title: "t1" },
        { title: "t2" },
      ]);
    });

    it("an addField NOT NULL without a default or fill fails naming the field on a table with rows", async () => {
      const { dir, second } = folderOf(
        NULLABLE,
        `addField("Item", { name: "code", column: "code", kind: "int" })`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await insert("kept");
      const message = await refusal(runMigrations(YaraOrm.driver, { dir }), second);
      expect(message).toContain(
        "Item.code: the table has 1 row, and the field is added NOT NULL without a default",
      );
      expect(await notes()).toEqual(["kept"]);
    });
  });
}

describe("migrations sql", () => {
  it("prints the fill before SET NOT NULL on Postgres and in the copy on SQLite", async () => {
    const { dir } = folderOf(NULLABLE, `alterField("Item", ${WITH_DEFAULT})`);
    expect(await migrationSql(dir, "0002", "postgres", "up")).toEqual([
      `ALTER TABLE "item" ALTER COLUMN "note" SET DEFAULT 'dflt';`,
      `UPDATE "item" SET "note" = 'dflt' WHERE "note" IS NULL;`,
      `ALTER TABLE "item" ALTER COLUMN "note" SET NOT NULL;`,
    ]);
    const sqlite = await migrationSql(dir, "0002", "sqlite", "up");
    expect(sqlite).toContain(
      `INSERT INTO "yara_new_item" ("id", "title", "note") SELECT "id", "title", COALESCE("note", 'dflt') FROM "item";`,
    );
  });

  it("prints the check that names the NULL rows when there is no value for them", async () => {
    const { dir } = folderOf(NULLABLE, `alterField("Item", ${NOT_NULL})`);
    const count = `(SELECT count(*) FROM "item" WHERE "note" IS NULL)`;
    const message =
      `'Item.note: ' || ${count} || CASE WHEN ${count} = 1 THEN ' row holds' ELSE ' rows hold' END || ` +
      `' NULL, and the field becomes NOT NULL without a default; give the operation { fill: … } (the value those rows get), or update them first'`;
    expect(await migrationSql(dir, "0002", "postgres", "up")).toEqual([
      `DO $yara$ BEGIN IF EXISTS (SELECT 1 FROM "item" WHERE "note" IS NULL) THEN\n` +
        `  RAISE EXCEPTION USING ERRCODE = 'not_null_violation', MESSAGE = ${message};\n` +
        `END IF; END $yara$;`,
      `ALTER TABLE "item" ALTER COLUMN "note" SET NOT NULL;`,
    ]);
    const sqlite = await migrationSql(dir, "0002", "sqlite", "up");
    expect(sqlite).toContain(
      `INSERT INTO "yara_new_item" ("id", "title", "note") SELECT "id", "title", COALESCE("note", yara_raise(${message})) FROM "item";`,
    );
  });
});
