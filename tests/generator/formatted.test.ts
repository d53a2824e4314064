/**
 * yara-gen writes its files already formatted (generator/print/): every file it generates —
 * the golden fixtures, the feature tests' and the docs samples' clients, the example's, and a
 * schema made to exercise every field kind, option, relation and line-breaking layout — and
 * every migration file `make` writes must be exactly what prettier, with the repository's
 * configuration, prints for it. Prettier is only needed here, never to generate.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { emit } from "../../generator/emit.js";
import { autodetect } from "../../generator/migrations/autodetect.js";
import { NO_RENAMES } from "../../generator/migrations/renames.js";
import { stateFromIr } from "../../generator/migrations/state-from-ir.js";
import { migrationSource } from "../../generator/migrations/write-migration.js";
import { EMPTY_STATE } from "../../runtime/migrations/state.js";
import type { Operation } from "../../runtime/migrations/operation.js";
import { readSchema, type SchemaIR } from "../../schema/compile.js";
import { stressSchema } from "./support/stress-schema.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = join(root, "tests/generator/fixtures");

const schemas: [string, string][] = [
  ...readdirSync(fixtures).map((c): [string, string] => [c, join(fixtures, c, "schema.ts")]),
  ["tests/features", join(root, "tests/features/app.schema.ts")],
  ...readdirSync(join(root, "docs/samples"))
    .filter((d) => existsSync(join(root, "docs/samples", d, "app.schema.ts")))
    .map((d): [string, string] => [
      `docs/samples/${d}`,
      join(root, "docs/samples", d, "app.schema.ts"),
    ]),
  ["examples", join(root, "examples/app.schema.ts")],
];

function read(path: string, sourceText?: string): SchemaIR {
  const result = readSchema(path, sourceText === undefined ? {} : { sourceText });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join("\n"));
  return result.ir;
}

async function expectFormatted(path: string, source: string): Promise<void> {
  const config = (await prettier.resolveConfig(join(root, "generator/emit.ts"))) ?? {};
  const formatted = await prettier.format(source, { ...config, filepath: path });
  expect(source, path).toBe(formatted);
}

describe("generated files need no formatting", () => {
  // `.js` and `.d.ts` files (the default), and `.ts` files (`--language ts`).
  it.each(schemas)("the client of %s", async (_name, schema) => {
    const ir = read(schema);
    for (const language of ["js", "ts"] as const) {
      for (const [path, source] of emit(ir, { language })) await expectFormatted(path, source);
    }
  });

  it("the client of a schema using every field kind, option and relation, with long names", async () => {
    const ir = read("stress.schema.ts", stressSchema());
    // Four models, each a .js and a .d.ts file, index.js, index.d.ts and _version.js.
    const files = emit(ir);
    expect(files.size).toBe(11);
    for (const [path, source] of files) await expectFormatted(path, source);
    const typescript = emit(ir, { language: "ts" });
    expect(typescript.size).toBe(6);
    for (const [path, source] of typescript) await expectFormatted(path, source);
  });
});

describe("migration files need no formatting", () => {
  it("0001_initial of every schema above and of the long-names one", async () => {
    const irs = [...schemas.map(([, s]) => read(s)), read("stress.schema.ts", stressSchema())];
    for (const ir of irs) {
      const { operations, hints } = autodetect(EMPTY_STATE, stateFromIr(ir), NO_RENAMES);
      expect(operations.length).toBeGreaterThan(0);
      const source = migrationSource({
        previous: null,
        operations,
        notes: hints.map((h) => `NOTE: ${h}`),
      });
      await expectFormatted(`${ir.sourceFile}.migration.ts`, source);
    }
  });

  it("every operation make writes, with short and long arguments", async () => {
    const long = "QuarterlyRegionalWarehouseInventoryReconciliationReport";
    const field = {
      name: "reconciledOutstandingBalanceAfterAdjustments",
      column: "reconciled_outstanding_balance_after_adjustments",
      kind: "decimal",
      nullable: false,
      maxDigits: 12,
      decimalPlaces: 2,
      references: undefined,
    } as const;
    const operations: Operation[] = [
      { op: "deleteModel", model: "Book" },
      { op: "renameModel", from: "Book", to: "Volume" },
      { op: "renameModel", from: long, to: `${long}Archive` },
      { op: "alterModelTable", model: long, table: "quarterly_regional_warehouse_reports" },
      {
        op: "addField",
        model: "Book",
        field: {
          name: "slug",
          column: "slug",
          kind: "char",
          pk: false,
          nullable: true,
          unique: false,
          index: false,
          generated: false,
          autoNow: false,
          autoNowAdd: false,
          maxLength: 50,
        },
      },
      {
        op: "addField",
        model: long,
        field: {
          ...field,
          pk: false,
          unique: false,
          index: false,
          generated: false,
          autoNow: false,
          autoNowAdd: false,
        },
        fill: "0.00",
      },
      {
        op: "alterField",
        model: "Book",
        field: {
          name: "n",
          column: "n",
          kind: "intEnum",
          pk: false,
          nullable: false,
          unique: false,
          index: false,
          generated: false,
          autoNow: false,
          autoNowAdd: false,
          enumValues: [
            -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
            23, 24, 25, 26, 27, 28,
          ],
          default: -1,
        },
        fill: 0,
      },
      { op: "removeField", model: long, field: "reconciledOutstandingBalanceAfterAdjustments" },
      { op: "renameField", model: "Book", from: "name", to: "title" },
      {
        op: "renameField",
        model: long,
        from: "owner",
        to: "ownerOfTheQuarterlyReport",
        column: "owner_of_the_quarterly_report_id",
        relation: "ownerOfTheQuarterlyReport",
      },
      { op: "addIndex", model: "Book", fields: ["title"], unique: false },
      {
        op: "addIndex",
        model: long,
        fields: ["reconciledOutstandingBalanceAfterAdjustments", "owner", "everything"],
        unique: true,
      },
      { op: "removeIndex", model: "Book", fields: ["title", "slug"], unique: true },
      {
        op: "createJoinTable",
        join: {
          model: "Book",
          relation: "tags",
          target: "Tag",
          table: "book_tags",
          sourceColumn: "book_id",
          targetColumn: "tag_id",
        },
      },
      { op: "dropJoinTable", model: long, relation: "tagsWithAnExtremelyLongRelationName" },
      {
        op: "renameJoinTable",
        model: long,
        relation: "peers",
        to: "peersOfTheReport",
        table: "quarterly_report_peers_of_the_report",
        sourceColumn: "from_quarterly_report_id",
        targetColumn: "to_quarterly_report_id",
      },
      { op: "runSql", up: "UPDATE book SET title = 'x'" },
      {
        op: "runSql",
        up: "UPDATE quarterly_regional_warehouse_reports SET reconciled = 0 WHERE reconciled IS NULL",
        down: "SELECT 1",
      },
      { op: "runSql", up: { postgres: "SELECT 'it''s'", sqlite: ["SELECT 1", 'SELECT "quoted"'] } },
    ];
    const source = migrationSource({ previous: "0001_initial", operations, notes: ["NOTE: one"] });
    await expectFormatted("0002_everything.ts", source);
  });
});
