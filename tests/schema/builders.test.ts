// `yara-orm/schema`, what schema files import: the builders type-check a schema in the editor
// (mistakes are compile errors, checked by `tsc` over this file) and stay light to load.
import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, test } from "vitest";
import { defineSchema, fields, model, CharField, ForeignKeyField } from "yara-orm/schema";

describe("types", () => {
  test("required options are required", () => {
    // @ts-expect-error maxLength is required
    fields.CharField({});
    // @ts-expect-error maxDigits and decimalPlaces are required
    fields.DecimalField({ maxDigits: 10 });
    // @ts-expect-error values are required
    fields.CharEnumField({ maxLength: 3 });
    expect(CharField({ maxLength: 3 })).toEqual({ field: "CharField", options: { maxLength: 3 } });
  });

  test("defaults are typed to the field's value", () => {
    fields.IntField({ default: 1 });
    // @ts-expect-error a string default on an IntField
    fields.IntField({ default: "1" });
    // @ts-expect-error a default outside the enum's values
    fields.CharEnumField({ values: ["draft", "published"], default: "archived" });
    fields.CharEnumField({ values: ["draft", "published"], default: "draft" });
    fields.IntEnumField({ values: [1, 2], default: 2 });
    // @ts-expect-error null default without null: true
    fields.TextField({ default: null });
    fields.TextField({ null: true, default: null });
    fields.BigIntField({ default: 10n });
    fields.JSONField({ default: { a: [1, "b", null] } });
    // @ts-expect-error binary fields have no default
    fields.BinaryField({ default: "x" });
    // @ts-expect-error a JSON field cannot be the primary key
    fields.JSONField({ pk: true });
  });

  test("relations", () => {
    const author = ForeignKeyField("Author", {
      relatedName: "books",
      onDelete: "SET NULL",
      null: true,
    });
    expectTypeOf(author.target).toEqualTypeOf<"Author">();
    // @ts-expect-error not an onDelete action
    fields.ForeignKeyField("Author", { onDelete: "DELETE" });
    // @ts-expect-error one-to-one keys are always unique
    fields.OneToOneField("Author", { unique: true });
    fields.ManyToManyField("Tag", { relatedName: "books", through: "book_tags" });
  });

  test("model options name the model's fields", () => {
    const fieldsOfBook = {
      title: fields.CharField({ maxLength: 200 }),
      author: fields.ForeignKeyField("Author"),
      tags: fields.ManyToManyField("Tag"),
    };
    model(fieldsOfBook, {
      ordering: ["-id", "title", "-authorId", "author"],
      uniqueTogether: [["title", "author"]],
    });
    // @ts-expect-error not a field of the model
    model(fieldsOfBook, { ordering: ["-titel"] });
    // @ts-expect-error a many-to-many relation has no column
    model(fieldsOfBook, { indexes: [["tags"]] });
  });

  test("a relation to a model the schema does not define", () => {
    defineSchema({
      Author: { name: fields.TextField() },
      Book: { author: fields.ForeignKeyField("Author"), tags: fields.ManyToManyField("Book") },
    });
    // @ts-expect-error "Autor" is not a model of this schema
    defineSchema({
      Author: { name: fields.TextField() },
      Book: model({ author: fields.ForeignKeyField("Autor") }),
    });
  });

  test("defineSchema returns its argument, keeping literal types", () => {
    const schema = defineSchema({ Tag: { name: fields.CharField({ maxLength: 50 }) } });
    expectTypeOf(schema.Tag.name.field).toEqualTypeOf<"CharField">();
    expect(schema.Tag.name.options).toEqual({ maxLength: 50 });
  });
});

test("the user-facing entry point imports nothing heavy", () => {
  const imports = (file: string) =>
    [
      ...readFileSync(new URL(`../../schema/${file}`, import.meta.url), "utf8").matchAll(
        /^(?:import|export)[^;]*?from "([^"]+)"/gms,
      ),
    ].map((m) => m[1]);
  expect(imports("index.ts")).toEqual(["./fields.js", "./fields.js"]);
  expect(imports("fields.ts")).toEqual(["./ir.js"]);
});
