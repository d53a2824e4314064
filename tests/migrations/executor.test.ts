/**
 * Applying, reverting and inspecting a migrations folder on every database × driver: the
 * history table, tamper evidence, bad folders refused before anything runs, a failure in the
 * middle of a migration leaving the previous state, data migrations, `fill`, status and sql.
 */
import { dialectNamed } from "../../runtime/dialect/registry.js";
import { AsyncResource } from "node:async_hooks";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MigrationError } from "../../runtime/errors.js";
import { schemaStatements } from "../../runtime/dialect/ddl.js";
import {
  baselineMigrations,
  migrationSql,
  migrationStatus,
  runMigrations,
} from "../../runtime/migrations/executor.js";
import { loadMigrations } from "../../runtime/migrations/folder.js";
import { planMigrations } from "../../runtime/migrations/plan.js";
import { YaraOrm } from "../../runtime/orm.js";
import { migrationTargets } from "../support/targets.js";
import { AUTHOR_MODEL, writeMigration } from "./support/files.js";
import { useFreshDatabase } from "./support/fresh-database.js";
import { introspect, queryRows } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const work = workDir("executor");
afterAll(() => work.dispose());
let folders = 0;
const folder = (): string => join(work.dir, `m${++folders}`);

async function rejection(p: Promise<unknown>): Promise<MigrationError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationError);
  return error as MigrationError;
}

const applied = async (dir: string): Promise<string[]> =>
  (await migrationStatus(YaraOrm.driver, dir)).filter((s) => s.applied).map((s) => s.name);

for (const t of migrationTargets()) {
  describe(t.name, () => {
    useFreshDatabase(t);
    const p = (n: number) => (t.dialect === "postgres" ? `$${n}` : "?");

    it("applies, records and reverts migrations; status lists applied and pending", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      writeMigration(
        dir,
        "0002_email",
        "0001_initial",
        `addField("Author", { name: "email", column: "email", kind: "char", maxLength: 200, nullable: true })`,
      );
      expect(await runMigrations(YaraOrm.driver, { dir, target: "0001_initial" })).toEqual({
        done: ["0001_initial"],
      });
      expect(await migrationStatus(YaraOrm.driver, dir)).toMatchObject([
        { name: "0001_initial", applied: true },
        { name: "0002_email", applied: false },
      ]);
      expect((await runMigrations(YaraOrm.driver, { dir })).done).toEqual(["0002_email"]);
      expect((await runMigrations(YaraOrm.driver, { dir })).done).toEqual([]);
      const history = await queryRows(
        YaraOrm.driver,
        `SELECT "name", "checksum" FROM "yara_migrations" ORDER BY "name"`,
      );
      expect(history.map((h) => h.name)).toEqual(["0001_initial", "0002_email"]);
      expect(history.every((h) => /^[0-9a-f]{64}$/.test(String(h.checksum)))).toBe(true);
      expect(
        (await runMigrations(YaraOrm.driver, { dir, target: "zero", direction: "down" })).done,
      ).toEqual(["0002_email", "0001_initial"]);
      expect(await applied(dir)).toEqual([]);
      expect(Object.keys((await introspect(YaraOrm.driver)).tables)).toEqual([]);
    });

    it("an applied file edited afterwards is an error naming it", async () => {
      const dir = folder();
      const file = writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      await runMigrations(YaraOrm.driver, { dir });
      appendFileSync(file, "// edited\n");
      const error = await rejection(runMigrations(YaraOrm.driver, { dir }));
      expect(error.file).toBe(file);
      expect(error.message).toContain("was edited after it was applied");
      await rejection(migrationStatus(YaraOrm.driver, dir));
    });

    it("a folder with a gap, a duplicate, a syntax error or an unknown target applies nothing", async () => {
      const cases: [string, (dir: string) => string][] = [
        [
          "gap",
          (dir) => (
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL),
            writeMigration(dir, "0003_later", "0001_initial", "")
          ),
        ],
        [
          "duplicate",
          (dir) => (
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL),
            writeMigration(dir, "0001_other", null, "")
          ),
        ],
        [
          "syntax error",
          (dir) => {
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
            const file = join(dir, "0002_broken.ts");
            writeFileSync(
              file,
              `export default migration({ previous: "0001_initial", operations: [ addField( });\n`,
            );
            return file;
          },
        ],
        [
          "wrong previous",
          (dir) => (
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL),
            writeMigration(dir, "0002_next", "0009_nope", "")
          ),
        ],
        [
          "bad name",
          (dir) => (
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL),
            writeMigration(dir, "2_Next", "0001_initial", "")
          ),
        ],
        [
          "unknown field",
          (dir) => (
            writeMigration(dir, "0001_initial", null, AUTHOR_MODEL),
            writeMigration(dir, "0002_next", "0001_initial", `removeField("Author", "nope")`)
          ),
        ],
      ];
      for (const [label, make] of cases) {
        const dir = folder();
        const file = make(dir);
        const error = await rejection(runMigrations(YaraOrm.driver, { dir }));
        expect(error.message, label).toContain(file);
        expect(error.file, label).toBe(file);
        expect(Object.keys((await introspect(YaraOrm.driver)).tables), label).toEqual([]);
      }
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      const error = await rejection(runMigrations(YaraOrm.driver, { dir, target: "0007_missing" }));
      expect(error.message).toContain('unknown migration target "0007_missing"');
      expect(Object.keys((await introspect(YaraOrm.driver)).tables)).toEqual([]);
    });

    it("a statement failing in the middle of a migration leaves the previous migration's state", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      const file = writeMigration(
        dir,
        "0002_fails",
        "0001_initial",
        `addField("Author", { name: "email", column: "email", kind: "char", maxLength: 200, nullable: true }),
         alterField("Author", { name: "name", column: "name", kind: "char", maxLength: 300 }),
         runSql("INSERT INTO no_such_table VALUES (1)")`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await YaraOrm.driver.execute(`INSERT INTO "author" ("name") VALUES ('Ada')`, []);
      const before = await introspect(YaraOrm.driver);
      const error = await rejection(runMigrations(YaraOrm.driver, { dir }));
      expect(error.file).toBe(file);
      expect(error.message).toMatch(/step \d+ failed \(INSERT INTO no_such_table.*rolled back/);
      expect(await introspect(YaraOrm.driver)).toEqual(before);
      expect(await applied(dir)).toEqual(["0001_initial"]);
      expect(await queryRows(YaraOrm.driver, `SELECT "name" FROM "author"`)).toEqual([
        { name: "Ada" },
      ]);
      if (t.dialect === "sqlite")
        expect(await queryRows(YaraOrm.driver, "PRAGMA foreign_keys")).toEqual([
          { foreign_keys: 1 },
        ]);
      await runMigrations(YaraOrm.driver, { dir, target: "zero", direction: "down" });
    });

    if (t.dialect === "sqlite")
      it("SQLite: a statement sent while a migration runs never runs with foreign keys off", async () => {
        const dir = folder();
        writeMigration(
          dir,
          "0001_tables",
          null,
          `runSql(["CREATE TABLE parent (id INTEGER PRIMARY KEY)", "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id))"], ["DROP TABLE child", "DROP TABLE parent"])`,
        );
        writeMigration(
          dir,
          "0002_slow",
          "0001_tables",
          `runCode(async () => { (globalThis as { duringMigration?: () => void }).duringMigration?.(); await new Promise((resolve) => setTimeout(resolve, 50)); }, async () => undefined)`,
        );
        // Sent while the migration's transaction runs, from the app's context outside it (bound
        // before the migration starts): it waits on SQLite's one connection and must meet
        // foreign-key enforcement when its turn comes.
        let dangling: Promise<string> | undefined;
        const hook = globalThis as { duringMigration?: () => void };
        hook.duringMigration = AsyncResource.bind(() => {
          dangling = YaraOrm.driver.execute("INSERT INTO child (parent_id) VALUES (999)", []).then(
            () => "inserted",
            (error: unknown) => (error instanceof Error ? error.constructor.name : String(error)),
          );
        });
        try {
          await runMigrations(YaraOrm.driver, { dir });
        } finally {
          delete hook.duringMigration;
        }
        expect(await dangling).toBe("IntegrityError");
        expect(await queryRows(YaraOrm.driver, "SELECT count(*) AS n FROM child")).toEqual([
          { n: 0 },
        ]);
        await runMigrations(YaraOrm.driver, { dir, target: "zero", direction: "down" });
      });

    it("runSql and runCode migrate data both ways; one without down cannot be reverted", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      writeMigration(
        dir,
        "0002_data",
        "0001_initial",
        `runSql(["INSERT INTO author (name) VALUES ('ada')", "INSERT INTO author (name) VALUES ('grace')"], "DELETE FROM author"),
         runCode(
           async (db) => { for (const row of await db.query('SELECT id, name FROM author')) await db.execute(${JSON.stringify(`UPDATE author SET name = ${p(1)} WHERE id = ${p(2)}`)}, [String(row.name).toUpperCase(), Number(row.id)]); },
           async (db) => { await db.execute('UPDATE author SET name = lower(name)'); },
         )`,
      );
      writeMigration(
        dir,
        "0003_oneway",
        "0002_data",
        `runSql("UPDATE author SET name = name || '!'")`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0002" });
      expect(
        await queryRows(YaraOrm.driver, `SELECT "name" FROM "author" ORDER BY "name"`),
      ).toEqual([{ name: "ADA" }, { name: "GRACE" }]);
      await runMigrations(YaraOrm.driver, { dir });
      const error = await rejection(
        runMigrations(YaraOrm.driver, { dir, target: "0002", direction: "down" }),
      );
      expect(error.message).toContain('runSql has no "down"');
      expect(await applied(dir)).toEqual(["0001_initial", "0002_data", "0003_oneway"]);
      await YaraOrm.driver.execute(`DELETE FROM "yara_migrations" WHERE "name" = ${p(1)}`, [
        "0003_oneway",
      ]);
      await runMigrations(YaraOrm.driver, { dir, target: "0001", direction: "down" });
      expect(await queryRows(YaraOrm.driver, `SELECT "name" FROM "author"`)).toEqual([]);
      await runMigrations(YaraOrm.driver, { dir, target: "zero", direction: "down" });
    });

    it("fill gives existing rows a value for a new NOT NULL column, which keeps no default", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      writeMigration(
        dir,
        "0002_slug",
        "0001_initial",
        `addField("Author", { name: "slug", column: "slug", kind: "char", maxLength: 50 }, { fill: "unset" })`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001" });
      await YaraOrm.driver.execute(`INSERT INTO "author" ("name") VALUES ('Ada')`, []);
      await runMigrations(YaraOrm.driver, { dir });
      expect(await queryRows(YaraOrm.driver, `SELECT "name", "slug" FROM "author"`)).toEqual([
        { name: "Ada", slug: "unset" },
      ]);
      const insert = YaraOrm.driver.execute(`INSERT INTO "author" ("name") VALUES ('Grace')`, []);
      await expect(insert).rejects.toThrow();
      await runMigrations(YaraOrm.driver, { dir, target: "zero", direction: "down" });
    });

    it("baseline records a database made by generateSchemas() as migrated, without running anything", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      const state = planMigrations(await loadMigrations(dir)).before.at(-1)!;
      for (const sql of schemaStatements([...state.values()], dialectNamed(t.dialect)))
        await YaraOrm.driver.execute(sql, []);
      await YaraOrm.driver.execute(`INSERT INTO "author" ("name") VALUES ('Ada')`, []);
      const before = await introspect(YaraOrm.driver);
      expect((await baselineMigrations(YaraOrm.driver, { dir })).done).toEqual(["0001_initial"]);
      expect((await baselineMigrations(YaraOrm.driver, { dir })).done).toEqual([]);
      expect(await applied(dir)).toEqual(["0001_initial"]);
      expect(await introspect(YaraOrm.driver)).toEqual(before);
      writeMigration(
        dir,
        "0002_email",
        "0001_initial",
        `addField("Author", { name: "email", column: "email", kind: "char", maxLength: 200, nullable: true })`,
      );
      expect((await runMigrations(YaraOrm.driver, { dir })).done).toEqual(["0002_email"]);
      expect(await queryRows(YaraOrm.driver, `SELECT "name", "email" FROM "author"`)).toEqual([
        { name: "Ada", email: null },
      ]);
    });

    it("sql prints each dialect's statements up and down", async () => {
      const dir = folder();
      writeMigration(dir, "0001_initial", null, AUTHOR_MODEL);
      writeMigration(
        dir,
        "0002_email",
        "0001_initial",
        `addField("Author", { name: "email", column: "email", kind: "char", maxLength: 200, nullable: true })`,
      );
      expect(await migrationSql(dir, "0002_email", "postgres", "up")).toEqual([
        `ALTER TABLE "author" ADD COLUMN "email" VARCHAR(200);`,
      ]);
      expect(await migrationSql(dir, "0002_email", "postgres", "down")).toEqual([
        `ALTER TABLE "author" DROP COLUMN "email";`,
      ]);
      const sqlite = await migrationSql(dir, "0002", "sqlite", "up");
      expect(sqlite[0]).toContain(`CREATE TABLE "yara_new_author"`);
      expect(sqlite).toContain(`DROP TABLE "author";`);
      expect(sqlite).toContain(`ALTER TABLE "yara_new_author" RENAME TO "author";`);
    });
  });
}
