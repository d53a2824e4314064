// Reading a schema file statically: the forms yara accepts, and what it refuses because it
// would have to run the file.
import { describe, expect, test } from "vitest";
import { readSchema } from "../../schema/compile.js";
import { FILE, irOf, problemsOf, schemaSource } from "./support.js";

const field = (source: string, model: string, name: string) =>
  irOf(source)
    .models.find((m) => m.name === model)
    ?.fields.find((f) => f.name === name);

describe("accepted forms", () => {
  test("renamed imports and fields imported by name", () => {
    const source = `import { defineSchema as schema, fields as f, model as m, CharField } from "yara-orm/schema";
export default schema({
  Book: m({ title: CharField({ maxLength: 20 }), pages: f.IntField() }, { table: "books" }),
});`;
    const book = irOf(source).models[0];
    expect(book?.table).toBe("books");
    expect(book?.fields.map((x) => [x.name, x.kind])).toEqual([
      ["id", "int"],
      ["title", "char"],
      ["pages", "int"],
    ]);
  });

  test("a namespace import", () => {
    const source = `import * as y from "yara-orm/schema";
export default y.defineSchema({
  Book: y.model({ title: y.fields.TextField(), isbn: y.CharField({ maxLength: 13 }) }, {}),
});`;
    expect(irOf(source).models[0]?.fields.map((x) => x.name)).toEqual(["id", "title", "isbn"]);
  });

  test("`satisfies`, `as const` and a default export through a constant", () => {
    const source = `import { defineSchema, fields } from "yara-orm/schema";
const schema = defineSchema({
  Book: { state: fields.CharEnumField({ values: ["a", "bb"] as const, default: "a" }) },
} as const) satisfies object;
export default schema;`;
    expect(field(source, "Book", "state")).toMatchObject({
      kind: "charEnum",
      enumValues: ["a", "bb"],
      maxLength: 2,
      default: "a",
    });
  });

  test("literals: negative numbers, bigints, separators, JSON objects and computed string keys", () => {
    const source = schemaSource(`  Reading: {
    low: fields.IntField({ default: -5 }),
    big: fields.BigIntField({ default: -9_007_199_254_740_991n }),
    ratio: fields.FloatField({ default: +1.5e3 }),
    data: fields.JSONField({ default: { tags: ["a", -1, null, true], "nested key": { ok: false } } }),
    note: fields.TextField({ ["default"]: \`plain\` }),
  },`);
    expect(field(source, "Reading", "low")?.default).toBe(-5);
    expect(field(source, "Reading", "big")?.default).toBe(-9007199254740991);
    expect(field(source, "Reading", "ratio")?.default).toBe(1500);
    expect(field(source, "Reading", "data")?.default).toEqual({
      tags: ["a", -1, null, true],
      "nested key": { ok: false },
    });
    expect(field(source, "Reading", "note")?.default).toBe("plain");
  });

  test("a file on disk, keeping the path as given", () => {
    const result = readSchema("examples/app.schema.ts");
    expect(result.ok && result.ir.sourceFile).toBe("examples/app.schema.ts");
  });
});

describe("refused forms", () => {
  test("a syntax error", () => {
    const source = `import { defineSchema, fields } from "yara-orm/schema";
export default defineSchema({ Book: { title: fields.TextField( } });`;
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:2:64: syntax error: Argument expression expected; fix it so yara can read the schema",
    ]);
  });

  test("a file without a default export", () => {
    expect(problemsOf(`import { fields } from "yara-orm/schema";\nexport const x = 1;\n`)).toEqual([
      "app.schema.ts:1:1: app.schema.ts has no `export default defineSchema({...})`; yara reads the models from that default export",
    ]);
  });

  test("a default export that is not a defineSchema call", () => {
    expect(problemsOf(`const schema = { Book: {} };\nexport default schema;\n`)).toEqual([
      "app.schema.ts:1:16: the default export must be a `defineSchema({...})` call written in this file; yara reads the schema without running it",
    ]);
    expect(
      problemsOf(
        `import { defineSchema } from "yara-orm/schema";\nexport default defineSchema(models);\n`,
      ),
    ).toEqual([
      "app.schema.ts:2:29: `defineSchema` takes one object literal of models, like `defineSchema({ Author: {...} })`",
    ]);
  });

  test("options that are not literals", () => {
    const source = schemaSource(`  Book: {
    title: fields.CharField({ maxLength: LENGTH, default: \`a\${b}\` }),
    body: fields.TextField({ default: makeDefault(), description: "ok" }),
    code: fields.CharField({ maxLength: 10, ...shared }),
    slug: fields.CharField({ maxLength, [key]: true }),
    meta: titleField,
    size: fields.IntField(sizeOptions),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:42: option `maxLength` of `Book.title` must be a literal; yara reads the schema without running it",
      "app.schema.ts:4:59: option `default` of `Book.title` must be a literal; yara reads the schema without running it",
      "app.schema.ts:5:39: option `default` of `Book.body` must be a literal; yara reads the schema without running it",
      "app.schema.ts:6:45: the options of `Book.code` cannot use a spread (`...shared`); write each entry out, since yara reads the schema without running it",
      "app.schema.ts:7:30: option `maxLength` of `Book.slug` must be a literal; yara reads the schema without running it",
      "app.schema.ts:7:41: the options of `Book.slug` cannot use a computed name; write the name out, since yara reads the schema without running it",
      "app.schema.ts:8:11: field `Book.meta` must be a field constructor call like `fields.CharField({ maxLength: 100 })`; yara reads the schema without running it",
      "app.schema.ts:9:27: the options of `Book.size` must be an object literal; yara reads the schema without running it",
    ]);
  });

  test("models that are neither objects nor model(...) calls, and spread models", () => {
    const source = schemaSource(`  Book: makeModel(),
  ...others,
  Tag: model(tagFields),`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:9: model `Book` must be an object of fields or `model({ ...fields }, { ...options })`; yara reads the schema without running it",
      "app.schema.ts:4:3: the models of the schema cannot use a spread (`...others`); write each entry out, since yara reads the schema without running it",
      "app.schema.ts:5:14: the fields of model `Tag` must be an object literal; yara reads the schema without running it",
    ]);
  });

  test("a model, field or option written twice", () => {
    const source =
      schemaSource(`  Book: { title: fields.TextField({ null: true, null: false }), title: fields.TextField() },
  Book: { name: fields.TextField() },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:49: option `null` of `Book.title` is written twice; keep one",
      "app.schema.ts:3:65: field `Book.title` is written twice; keep one",
      "app.schema.ts:4:3: model `Book` is written twice; keep one",
    ]);
  });

  test("a bigint default beyond what a literal can hold", () => {
    const source = schemaSource(
      `  Book: { big: fields.BigIntField({ default: 9007199254740993n }) },`,
    );
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:46: option `default` of `Book.big` is beyond ±2^53 - 1, the largest integer a literal default can hold",
    ]);
  });

  test("a schema file that cannot be read", () => {
    const result = readSchema("tests/schema/fixtures/missing.schema.ts");
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          file: "tests/schema/fixtures/missing.schema.ts",
          line: 1,
          column: 1,
          message: "cannot read the schema file (ENOENT); check the path",
        },
      ],
    });
  });
});

test("FILE is the name problems carry", () => {
  expect(FILE).toBe("app.schema.ts");
});

describe("abstract models (mixins)", () => {
  const mixins = (body: string, extra = "") =>
    `import { abstract, defineSchema, model, fields } from "yara-orm/schema";
const Timestamped = abstract({
  createdAt: fields.DatetimeField({ autoNowAdd: true }),
  updatedAt: fields.DatetimeField({ autoNow: true }),
});
const Owned = { ...Timestamped, tenant: fields.IntField({ index: true }) };
${extra}
export default defineSchema({
${body}
});
`;

  test("a const of this file holding abstract({...}) or an object of fields is spread in place", () => {
    const ir = irOf(
      mixins(`  Book: model({ ...Timestamped, title: fields.TextField() }, { ordering: ["-createdAt"] }),
  Note: { body: fields.TextField(), ...Owned },`),
    );
    expect(ir.models.map((m) => [m.name, m.fields.map((f) => f.name)])).toEqual([
      ["Book", ["id", "createdAt", "updatedAt", "title"]],
      ["Note", ["id", "body", "createdAt", "updatedAt", "tenant"]],
    ]);
    expect(ir.models[1]?.fields.find((f) => f.name === "tenant")).toMatchObject({
      index: true,
      loc: { line: 6, column: 33 },
    });
    expect(ir.models[0]?.ordering).toEqual(["-createdAt"]);
  });

  test("a spread of anything else, a spread of itself, or a field written twice", () => {
    expect(
      problemsOf(
        mixins(
          `  Book: { ...Mutable, title: fields.TextField() },
  Tag: { ...makeFields(), name: fields.TextField() },
  Loop: { ...Cycle },
  Note: { ...Timestamped, createdAt: fields.DatetimeField() },`,
          `let Mutable = { a: fields.TextField() };
const Cycle = { ...Cycle, b: fields.TextField() };`,
        ),
      ),
    ).toEqual([
      "app.schema.ts:8:17: the fields of model `Loop` spread `...Cycle` within itself",
      "app.schema.ts:10:11: the fields of model `Book` can spread only a `const` of this file holding an object of fields or `abstract({...})`, not `...Mutable`; yara reads the schema without running it",
      "app.schema.ts:11:10: the fields of model `Tag` can spread only a `const` of this file holding an object of fields or `abstract({...})`, not `...makeFields()`; yara reads the schema without running it",
      "app.schema.ts:13:27: field `Note.createdAt` is written twice; keep one",
    ]);
  });
});
