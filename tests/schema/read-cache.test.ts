// Watch mode reads the schema on every save with a SchemaReadCache: only the models whose text
// changed are walked again, and every result — IR, source positions, problems — is exactly what
// a read without the cache gives.
import { describe, expect, test } from "vitest";
import { readSchema, SchemaReadCache, type ReadSchemaResult } from "../../schema/compile.js";

const FILE = "/virtual/app.schema.ts";

function schema(
  models: string[],
  imports = `import { defineSchema, model, fields } from "yara-orm/schema";`,
): string {
  return `${imports}\n\nexport default defineSchema({\n${models.join("\n")}\n});\n`;
}

const author = `  Author: { name: fields.CharField({ maxLength: 100 }) },`;
const book = (extra = "") =>
  `  Book: model(\n    {\n${extra}      title: fields.CharField({ maxLength: 200 }),\n      author: fields.ForeignKeyField("Author", { relatedName: "books" }),\n    },\n    { table: "books" },\n  ),`;
const tag = (maxLength = "50") =>
  `  Tag: {\n    name: fields.CharField({ maxLength: ${maxLength} }),\n  },`;

const cold = (text: string): ReadSchemaResult => readSchema(FILE, { sourceText: text });

describe("SchemaReadCache", () => {
  test("an edit re-walks only the edited model; models below it move with their positions", () => {
    const cache = new SchemaReadCache();
    const first = schema([author, book(), tag()]);
    expect(readSchema(FILE, { sourceText: first, cache })).toEqual(cold(first));
    expect(cache.walked).toEqual(["Author", "Book", "Tag"]);

    // Two lines added inside Book: Tag comes from the cache, two lines further down.
    const second = schema([
      author,
      book(
        `      subtitle: fields.TextField({ null: true }),\n      isbn: fields.CharField({ maxLength: 13, null: true }),\n`,
      ),
      tag(),
    ]);
    const read = readSchema(FILE, { sourceText: second, cache });
    expect(cache.walked).toEqual(["Book"]);
    expect(read).toEqual(cold(second));
    if (!read.ok) throw new Error("expected a valid schema");
    const tagModel = read.ir.models.find((m) => m.name === "Tag")!;
    expect(tagModel.loc.line).toBe(second.split("\n").findIndex((l) => l.startsWith("  Tag:")) + 1);

    // The same text again: nothing is walked.
    expect(readSchema(FILE, { sourceText: second, cache })).toEqual(cold(second));
    expect(cache.walked).toEqual([]);
  });

  test("a model with a problem is walked on every read, its problem reported where it now is", () => {
    const cache = new SchemaReadCache();
    // `size` is not a literal: the reader itself reports it.
    const broken = schema([author, book(), tag("size")]);
    const first = readSchema(FILE, { sourceText: broken, cache });
    expect(first.ok).toBe(false);
    expect(first).toEqual(cold(broken));

    const moved = schema([
      author,
      book(`      subtitle: fields.TextField({ null: true }),\n`),
      tag("size"),
    ]);
    const second = readSchema(FILE, { sourceText: moved, cache });
    expect(cache.walked).toEqual(["Book", "Tag"]);
    expect(cache.size).toBe(2);
    expect(second).toEqual(cold(moved));
    if (second.ok || first.ok) throw new Error("expected problems");
    expect(second.problems.map((p) => p.line)).toEqual(first.problems.map((p) => p.line + 1));
  });

  test("changed imports re-walk every model (they decide what a callee means)", () => {
    const cache = new SchemaReadCache();
    const text = schema([author, book(), tag()]);
    readSchema(FILE, { sourceText: text, cache });
    const aliased = schema(
      [author, book(), tag()],
      `import { defineSchema, model, fields } from "yara-orm/schema";\nimport * as y from "yara-orm/schema";`,
    );
    expect(readSchema(FILE, { sourceText: aliased, cache })).toEqual(cold(aliased));
    expect(cache.walked).toEqual(["Author", "Book", "Tag"]);
  });

  test("a save inside one model reads as a full read does: its problems, a syntax error, the models below", () => {
    const cache = new SchemaReadCache();
    const read = (text: string) => {
      const result = readSchema(FILE, { sourceText: text, cache });
      expect(result).toEqual(cold(text));
      return result;
    };
    read(schema([author, book(), tag()]));

    // An option that is no literal: reported where it is, the others come from the cache.
    const size = read(
      schema([author, book(`      pages: fields.IntField({ minValue: size }),\n`), tag()]),
    );
    expect(cache.walked).toEqual(["Book"]);
    expect(size.ok).toBe(false);

    // A syntax error inside the model, then the model repaired.
    read(schema([author, book(`      pages: fields.IntField({ minValue: 1 ),\n`), tag()]));
    read(schema([author, book(`      pages: fields.IntField({ minValue: 1 }),\n`), tag()]));
    expect(cache.walked).toEqual(["Book"]);

    // Text appended to the model's value, a comment opened in it, the model renamed in place.
    read(schema([author, book().replace(/,$/, ".x,"), tag()]));
    read(schema([author, book().replace("title:", "/* title:"), tag()]));
    read(schema([author, book().replace("Book:", "Volume:"), tag()]));
    expect(cache.walked).toEqual(["Volume"]);

    // One save editing two models.
    read(schema([author, book(), tag("60")]));
    expect(cache.walked).toEqual(["Book", "Tag"]);
  });

  test("a model renamed or removed is forgotten", () => {
    const cache = new SchemaReadCache();
    readSchema(FILE, { sourceText: schema([author, book(), tag()]), cache });
    const without = schema([author, book()]);
    expect(readSchema(FILE, { sourceText: without, cache })).toEqual(cold(without));
    expect(cache.walked).toEqual([]);
    const back = schema([author, book(), tag()]);
    expect(readSchema(FILE, { sourceText: back, cache })).toEqual(cold(back));
    expect(cache.walked).toEqual(["Tag"]);
  });
});
