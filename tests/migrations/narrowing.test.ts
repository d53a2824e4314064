/**
 * An alterField whose new field cannot store a value some row holds fails, naming the field,
 * and changes nothing — on every database × driver. Left to the databases, Postgres' ALTER …
 * TYPE … USING cut text to the new length and rounded fractions without an error, and SQLite's
 * rebuild kept a fraction in an INTEGER column and a decimal's old places. Values that fit are
 * kept, decimals rewritten at their new places on SQLite as Postgres writes them.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MigrationError } from "../../runtime/errors.js";
import { migrationStatus, runMigrations } from "../../runtime/migrations/executor.js";
import { YaraOrm } from "../../runtime/orm.js";
import { migrationTargets } from "../support/targets.js";
import { writeMigration } from "./support/files.js";
import { useFreshDatabase } from "./support/fresh-database.js";
import { queryRows } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const work = workDir("narrowing");
afterAll(() => work.dispose());
let folders = 0;

const ITEM = `createModel({
  name: "Item",
  table: "item",
  pk: "id",
  fields: [
    { name: "id", column: "id", kind: "int", pk: true, generated: true },
    { name: "title", column: "title", kind: "char", maxLength: 20 },
    { name: "price", column: "price", kind: "decimal", maxDigits: 10, decimalPlaces: 2 },
    { name: "rating", column: "rating", kind: "float" },
    { name: "qty", column: "qty", kind: "int" },
    { name: "at", column: "at", kind: "datetime", nullable: true },
  ],
})`;

interface Row {
  readonly title: string;
  readonly price: string;
  readonly rating: number;
  readonly qty: number;
  readonly at: string | null;
}

const ROW: Row = { title: "short", price: "123.40", rating: 3, qty: 7, at: null };

/** One alteration, the row it is tried on, and what happens. */
const CASES: readonly {
  readonly name: string;
  readonly field: string;
  readonly row: Partial<Row>;
  readonly refused?: string;
  /** The field's value read back after the migration, as text. */
  readonly kept?: string;
}[] = [
  {
    name: "a shorter char field refuses longer text (Postgres cut it)",
    field: `{ name: "title", column: "title", kind: "char", maxLength: 5 }`,
    row: { title: "a long title" },
    refused: "Item.title: a row holds text longer than 5 characters",
  },
  {
    name: "a shorter char field keeps text that fits",
    field: `{ name: "title", column: "title", kind: "char", maxLength: 5 }`,
    row: {},
    kept: "short",
  },
  {
    name: "fewer decimal places refuse a value they would round (Postgres rounded it)",
    field: `{ name: "price", column: "price", kind: "decimal", maxDigits: 4, decimalPlaces: 1 }`,
    row: { price: "123.45" },
    refused: "Item.price: a row holds a number with more than 1 decimal place",
  },
  {
    name: "fewer decimal places keep a value that has them, at its new places",
    field: `{ name: "price", column: "price", kind: "decimal", maxDigits: 4, decimalPlaces: 1 }`,
    row: {},
    kept: "123.4",
  },
  {
    name: "more decimal places write the value at its new places (SQLite kept the old text)",
    field: `{ name: "price", column: "price", kind: "decimal", maxDigits: 12, decimalPlaces: 3 }`,
    row: { price: "123.45" },
    kept: "123.450",
  },
  {
    name: "fewer digits refuse a value too large",
    field: `{ name: "price", column: "price", kind: "decimal", maxDigits: 4, decimalPlaces: 2 }`,
    row: {},
    refused: "or 2 digits before the point",
  },
  {
    name: "an integer field refuses a float with a fraction (Postgres rounded, SQLite kept it)",
    field: `{ name: "rating", column: "rating", kind: "int" }`,
    row: { rating: 2.5 },
    refused:
      "Item.rating: a row holds a value that is not a whole number from -2147483648 to 2147483647",
  },
  {
    name: "an integer field keeps a whole float",
    field: `{ name: "rating", column: "rating", kind: "int" }`,
    row: {},
    kept: "3",
  },
  {
    name: "a smaller integer field refuses a value outside its range",
    field: `{ name: "qty", column: "qty", kind: "smallint" }`,
    row: { qty: 40000 },
    refused: "Item.qty: a row holds a value that is not a whole number from -32768 to 32767",
  },
  {
    name: "a decimal field takes an integer at its places",
    field: `{ name: "qty", column: "qty", kind: "decimal", maxDigits: 5, decimalPlaces: 1 }`,
    row: {},
    kept: "7.0",
  },
  {
    name: "a decimal field refuses an integer with too many digits",
    field: `{ name: "qty", column: "qty", kind: "decimal", maxDigits: 5, decimalPlaces: 1 }`,
    row: { qty: 123456 },
    refused: "Item.qty: a row holds a number",
  },
  {
    name: "a datetime field made a date field is refused while a row holds one (Postgres dropped the time)",
    field: `{ name: "at", column: "at", kind: "date", nullable: true }`,
    row: { at: "2024-03-01T22:30:00.000Z" },
    refused: "Item.at: a row holds a value, and a datetime field does not become a date field",
  },
  {
    name: "a datetime field made a date field while the column is empty",
    field: `{ name: "at", column: "at", kind: "date", nullable: true }`,
    row: {},
    kept: "null",
  },
];

for (const t of migrationTargets()) {
  describe(t.name, () => {
    useFreshDatabase(t);

    const read = (): Promise<Record<string, unknown>[]> =>
      queryRows(
        YaraOrm.driver,
        `SELECT "title", CAST("price" AS TEXT) AS "price", "rating", "qty", "at" FROM "item"`,
      );

    it.each(CASES)("$name", async ({ field, row, refused, kept }) => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, ITEM);
      const file = writeMigration(
        dir,
        "0002_alter",
        "0001_initial",
        `alterField("Item", ${field})`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001_initial" });
      const r = { ...ROW, ...row };
      await YaraOrm.driver.execute(
        `INSERT INTO "item" ("title", "price", "rating", "qty", "at") VALUES ('${r.title}', '${r.price}', ${r.rating}, ${r.qty}, ${r.at === null ? "NULL" : `'${r.at}'`})`,
        [],
      );
      const before = await read();
      const name = /name: "(\w+)"/.exec(field)![1]!;
      if (refused !== undefined) {
        const error = await runMigrations(YaraOrm.driver, { dir }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(MigrationError);
        expect((error as MigrationError).file).toBe(file);
        expect((error as Error).message).toContain(refused);
        expect(await read()).toEqual(before);
        const applied = (await migrationStatus(YaraOrm.driver, dir)).filter((s) => s.applied);
        expect(applied.map((s) => s.name)).toEqual(["0001_initial"]);
      } else {
        await runMigrations(YaraOrm.driver, { dir });
        const [after] = await read();
        expect(String(after![name])).toBe(kept);
      }
    });

    it("a boolean field with a default becomes an integer field while the table is empty", async () => {
      // Postgres refused the old default ("cannot be cast automatically to type integer").
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(
        dir,
        "0001_initial",
        null,
        `createModel({ name: "Flag", table: "flag", pk: "id", fields: [
          { name: "id", column: "id", kind: "int", pk: true, generated: true },
          { name: "on", column: "on", kind: "boolean", default: false },
        ] })`,
      );
      writeMigration(
        dir,
        "0002_alter",
        "0001_initial",
        `alterField("Flag", { name: "on", column: "on", kind: "int", default: 0 })`,
      );
      await runMigrations(YaraOrm.driver, { dir });
      await YaraOrm.driver.execute(`INSERT INTO "flag" DEFAULT VALUES`, []);
      expect(await queryRows(YaraOrm.driver, `SELECT "on" FROM "flag"`)).toEqual([{ on: 0 }]);
    });

    it("text that is not a number is refused by an integer field", async () => {
      const dir = join(work.dir, `m${++folders}`);
      writeMigration(dir, "0001_initial", null, ITEM);
      writeMigration(
        dir,
        "0002_alter",
        "0001_initial",
        `alterField("Item", { name: "title", column: "title", kind: "int" })`,
      );
      await runMigrations(YaraOrm.driver, { dir, target: "0001_initial" });
      await YaraOrm.driver.execute(
        `INSERT INTO "item" ("title", "price", "rating", "qty") VALUES ('abc', '1.00', 1, 1)`,
        [],
      );
      const before = await read();
      // Postgres' cast refuses it itself; SQLite would have kept the text in the INTEGER column.
      await expect(runMigrations(YaraOrm.driver, { dir })).rejects.toBeInstanceOf(MigrationError);
      expect(await read()).toEqual(before);
    });
  });
}
