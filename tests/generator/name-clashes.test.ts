/**
 * A name two models would both export — a model named like another's generated type
 * (`BookCreate` beside `Book`), two models' generated names, an enum field's type — is refused
 * with the owners and the name, before anything is written: the index re-exports every model
 * module, and `export *` drops a name two of them export. The list the check reads
 * (`modelExports` in naming.ts) is every name each emitted model module exports.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { emit } from "../../generator/emit.js";
import { declaredExports } from "../../generator/emit-index.js";
import { formatProblem, generate } from "../../generator/generate.js";
import { isEnum } from "../../generator/kinds.js";
import { nameClashes } from "../../generator/name-clashes.js";
import { enumTypeName, modelExports, modelFile } from "../../generator/naming.js";
import { readSchema, type SchemaIR } from "../../schema/compile.js";
import { schemaSource } from "../schema/support.js";
import { stressSchema } from "./support/stress-schema.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const FILE = "app.schema.ts";
const RENAME_MODEL = "rename one of the models (`model({...}, { table })` can keep the table name)";

async function problemsOf(body: string): Promise<string[]> {
  const result = await generate(FILE, "out", { sourceText: schemaSource(body) });
  if (result.ok) throw new Error("expected the schema to be refused, but it generated");
  return result.problems.map(formatProblem);
}

describe("names two models would both export", () => {
  it("a model named like another model's create input type is refused at that model", async () => {
    const book = `  Book: { title: fields.CharField({ maxLength: 100 }) },`;
    const bookCreate = `  BookCreate: { note: fields.TextField() },`;
    const problem =
      "model name `BookCreate` clashes with the create input type of model `Book`: both are named " +
      `\`BookCreate\` and the generated index re-exports both; ${RENAME_MODEL}`;
    expect(await problemsOf(`${book}\n${bookCreate}`)).toEqual([`${FILE}:4:3: ${problem}`]);
    expect(await problemsOf(`${bookCreate}\n${book}`)).toEqual([`${FILE}:3:3: ${problem}`]);
  });

  it("every generated name of one model is refused as another model's name", async () => {
    const names = modelExports("Book").filter(
      (e) => e.what !== "model class" && /^[A-Z][A-Za-z0-9]*$/.test(e.name),
    );
    expect(names.length).toBeGreaterThan(10);
    for (const { name, what } of names) {
      expect(await problemsOf(`  Book: { title: fields.TextField() },\n  ${name}: {},`)).toEqual([
        `${FILE}:4:3: model name \`${name}\` clashes with the ${what} of model \`Book\`: both are ` +
          `named \`${name}\` and the generated index re-exports both; ${RENAME_MODEL}`,
      ]);
    }
  });

  it("two models' generated names: `Book`'s own filter type is `BookOwn`'s filter type", async () => {
    expect(await problemsOf(`  Book: { title: fields.TextField() },\n  BookOwn: {},`)).toEqual([
      `${FILE}:4:3: the filter type of model \`BookOwn\` clashes with the own filter type of model ` +
        `\`Book\`: both are named \`BookOwnWhere\` and the generated index re-exports both; ${RENAME_MODEL}`,
    ]);
  });

  it("an enum field's type named like its model's create input type", async () => {
    const body = `  Book: {
    create: fields.CharEnumField({ values: ["a", "b"] }),
  },`;
    expect(await problemsOf(body)).toEqual([
      `${FILE}:4:5: the enum type of field \`Book.create\` clashes with the create input type of ` +
        "model `Book`: both are named `BookCreate` in the file of model `Book`; rename the field `Book.create`",
    ]);
  });
});

/** The IR of every golden fixture, and of the stress schema. */
function schemas(): [string, SchemaIR][] {
  const found: [string, SchemaIR][] = readdirSync(fixtures).map((name) => {
    const read = readSchema(join(fixtures, name, "schema.ts"));
    if (!read.ok)
      throw new Error(`fixture ${name}: ${read.problems.map(formatProblem).join("\n")}`);
    return [name, read.ir];
  });
  const stress = readSchema("stress.schema.ts", { sourceText: stressSchema() });
  if (!stress.ok) throw new Error(stress.problems.map(formatProblem).join("\n"));
  return [...found, ["stress", stress.ir]];
}

describe("modelExports", () => {
  it.each(schemas())(
    "%s: lists exactly what each model's module exports, besides its enum types",
    (_, ir) => {
      expect(nameClashes(ir)).toEqual([]);
      const files = emit(ir);
      const modelNames = new Set(ir.models.map((m) => m.name));
      for (const model of ir.models) {
        const declared = declaredExports(files.get(modelFile(model.name, ".d.ts"))!);
        const enums = model.fields
          .filter(isEnum)
          .map((f) => enumTypeName(model.name, f.name, modelNames));
        const listed = modelExports(model.name).map((e) => e.name);
        expect([...declared].sort(), model.name).toEqual([...listed, ...enums].sort());
      }
    },
  );
});
