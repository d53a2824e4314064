/**
 * An alterField that drops members of an enum field (CharEnumField, IntEnumField), or makes a
 * text field an enum, fails while rows hold a value the altered field no longer lists, naming
 * the field, the removed members those rows hold and how many rows hold each (never another
 * value a row holds), and what to do — on every database × driver, before anything changes.
 * Left to the table change, the database refused the new CHECK in its own words, or, with a
 * shorter maxLength, the length check spoke of text longer than it.
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

const work = workDir("enum-narrowing");
afterAll(() => work.dispose());
let folders = 0;

const STATUS = `{ name: "status", column: "status", kind: "charEnum", enumValues: ["draft", "published", "archived", "hidden"], maxLength: 10, nullable: true }`;
const ITEM = `createModel({
  name: "Item",
  table: "item",
  pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    ${STATUS},
    { name: "level", column: "level", kind: "intEnum", enumValues: [1, 2, 3], nullable: true },
    { name: "label", column: "label", kind: "char", maxLength: 20, nullable: true },
  ],
})`;

const status = (values: string, maxLength = 10): string =>
  `{ name: "status", column: "status", kind: "charEnum", enumValues: ${values}, maxLength: ${maxLength}, nullable: true }`;

const FIX =
  "update those rows to one of these values (or delete them) first, in a data migration " +
  "(an earlier migration, or a runSql or runCode step before this one)";

/** One alteration, the rows it is tried on (status, level, label), and what happens. */
const CASES: readonly {
  readonly name: string;
  readonly field: string;
  readonly rows: readonly (readonly [string | null, number | null, string | null])[];
  /** The whole message after the file and step. */
  readonly refused?: string;
}[] = [
  {
    name: "removing a member rows hold (the database's CHECK refused it)",
    field: status(`["draft", "published", "hidden"]`),
    rows: [
      ["archived", null, null],
      ["archived", null, null],
      ["draft", null, null],
      [null, null, null],
    ],
    refused:
      `Item.status: 2 rows hold "archived" (removed from the enum's values); ` +
      `the altered field lists only "draft", "published", "hidden": ${FIX}`,
  },
  {
    name: "removing a member and shrinking maxLength (the message spoke of text length)",
    field: status(`["draft", "archived", "hidden"]`, 8),
    rows: [
      ["published", null, null],
      ["archived", null, null],
    ],
    refused:
      `Item.status: 1 row holds "published" (removed from the enum's values); ` +
      `the altered field lists only "draft", "archived", "hidden": ${FIX}`,
  },
  {
    name: "removing several members, some held: each held one with its count",
    field: status(`["draft"]`, 5),
    rows: [
      ["archived", null, null],
      ["published", null, null],
      ["archived", null, null],
      ["draft", null, null],
    ],
    refused:
      `Item.status: 1 row holds "published", 2 rows hold "archived" (removed from the enum's values); ` +
      `the altered field lists only "draft": ${FIX}`,
  },
  {
    name: "removing an integer enum's member rows hold",
    field: `{ name: "level", column: "level", kind: "intEnum", enumValues: [1, 2], nullable: true }`,
    rows: [
      [null, 3, null],
      [null, 1, null],
    ],
    refused:
      `Item.level: 1 row holds 3 (removed from the enum's values); ` +
      `the altered field lists only 1, 2: ${FIX}`,
  },
  {
    name: "a text field made an enum: other values counted, never shown",
    field: `{ name: "label", column: "label", kind: "charEnum", enumValues: ["a", "b"], maxLength: 5, nullable: true }`,
    rows: [
      [null, null, "a"],
      [null, null, "secret text"],
      [null, null, "private"],
    ],
    refused:
      `Item.label: 2 rows hold a value that is not one of the enum's values; ` +
      `the altered field lists only "a", "b": ${FIX}`,
  },
  {
    name: "removing a member no row holds",
    field: status(`["draft", "published"]`, 9),
    rows: [
      ["draft", null, null],
      ["published", null, null],
      [null, null, null],
    ],
  },
  {
    name: "a plain char field keeps its length message",
    field: `{ name: "label", column: "label", kind: "char", maxLength: 5, nullable: true }`,
    rows: [[null, null, "a long label"]],
    refused: `Item.label: a row holds text longer than 5 characters, which the altered field cannot store exactly`,
  },
];

for (const t of migrationTargets()) {
  describe(t.name, () => {
    useFreshDatabase(t);

    const read = (): Promise<Record<string, unknown>[]> =>
      queryRows(
        YaraOrm.driver,
        `SELECT "id", "status", "level", "label" FROM "item" ORDER BY "id"`,
      );

    it.each(CASES)("$name", async ({ field, rows, refused }) => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, ITEM);
      const file = writeMigration(
        dir,
        "0002_alter",
        "0001_initial",
        `alterField("Item", ${field})`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001_initial" });
      const literal = (v: string | number | null): string =>
        v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v}'`;
      await YaraOrm.driver.execute(
        `INSERT INTO "item" ("status", "level", "label") VALUES ${rows.map((r) => `(${r.map(literal).join(", ")})`).join(", ")}`,
        [],
      );
      const before = await read();
      if (refused === undefined) {
        await runMigrations(YaraOrm.driver, { dir });
        expect(await read()).toEqual(before);
        return;
      }
      const error = await runMigrations(YaraOrm.driver, { dir }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).file).toBe(file);
      const message = (error as Error).message;
      expect(message).toContain(refused);
      expect(message).not.toMatch(/secret|private|CHECK|check constraint/);
      expect(await read()).toEqual(before);
      const applied = (await migrationStatus(YaraOrm.driver, dir)).filter((s) => s.applied);
      expect(applied.map((s) => s.name)).toEqual(["0001_initial"]);
    });

    it("names the check in the failed step and in `migrations sql`", async () => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, ITEM);
      writeMigration(
        dir,
        "0002_alter",
        "0001_initial",
        `alterField("Item", ${status(`["draft", "published"]`, 9)})`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001_initial" });
      await YaraOrm.driver.execute(`INSERT INTO "item" ("status") VALUES ('hidden')`, []);
      await expect(runMigrations(YaraOrm.driver, { dir })).rejects.toThrow(
        /0002_alter\.ts: step 1 failed \(refuse the change while rows of "item"\."status" hold a value Item\.status no longer lists: .*\): Item\.status: 1 row holds "hidden" \(removed from the enum's values\); .*; the migration was rolled back$/,
      );
      const sql = await migrationSql(dir, "0002_alter", t.dialect, "up");
      expect(sql[0]).toMatch(
        /^-- refuse the change while rows of "item"\."status" hold a value Item\.status no longer lists: SELECT /,
      );
      // Adding the members back (down) lists every value: no check.
      const down = await migrationSql(dir, "0002_alter", t.dialect, "down");
      expect(down.filter((s) => s.startsWith("-- refuse"))).toEqual([]);
    });
  });
}
