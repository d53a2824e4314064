// The names and settings yara derives when a schema leaves them out.
import { describe, expect, test } from "vitest";
import { at, field, intPk, irOf, modelOf, schemaSource } from "./support.js";

describe("defaults", () => {
  const ir = irOf(
    schemaSource(`  Author: { name: fields.CharField({ maxLength: 100 }) },
  Book: model(
    { title: fields.TextField(), author: fields.ForeignKeyField("Author"), tags: fields.ManyToManyField("BookTag") },
    { ordering: ["author", "-title"], indexes: [["author", "title"]] },
  ),
  BookTag: { label: fields.TextField() },
  Profile: { author: fields.OneToOneField("Author", { null: true, onDelete: "SET NULL" }) },
  HTTPRequest: { parent: fields.ForeignKeyField("HTTPRequest", { null: true, relatedName: "children" }) },
  Person: { friends: fields.ManyToManyField("Person") },`),
  );

  test("an implicit integer `id` comes first", () => {
    expect(modelOf(ir, "Author")?.fields.map((f) => [f.name, f.pk, f.generated])).toEqual([
      ["id", true, true],
      ["name", false, false],
    ]);
    expect(modelOf(ir, "Author")?.fields[0]).toEqual(intPk(3, 3));
  });

  test("tables and columns are snake_case", () => {
    expect(ir.models.map((m) => m.table)).toEqual([
      "author",
      "book",
      "book_tag",
      "profile",
      "http_request",
      "person",
    ]);
    expect(modelOf(ir, "HTTPRequest")?.fields.map((f) => f.column)).toEqual(["id", "parent_id"]);
  });

  test("reverse relations: camelCase model name, plural for to-many", () => {
    expect(
      modelOf(ir, "Author")?.relations.map((r) => [
        r.name,
        r.kind,
        r.target,
        r.keyField,
        r.inverse,
        r.nullable,
      ]),
    ).toEqual([
      ["books", "reverseForeignKey", "Book", "authorId", "author", false],
      ["profile", "reverseOneToOne", "Profile", "authorId", "author", true],
    ]);
    expect(modelOf(ir, "BookTag")?.relations.map((r) => [r.name, r.kind, r.inverse])).toEqual([
      ["books", "reverseManyToMany", "tags"],
    ]);
    expect(modelOf(ir, "HTTPRequest")?.relations.map((r) => [r.name, r.kind])).toEqual([
      ["parent", "foreignKey"],
      ["children", "reverseForeignKey"],
    ]);
  });

  test("a one-to-one key is unique and nullable when asked", () => {
    expect(modelOf(ir, "Profile")?.fields[1]).toEqual(
      field({
        name: "authorId",
        column: "author_id",
        kind: "int",
        unique: true,
        nullable: true,
        relation: "author",
        loc: at(9, 14),
      }),
    );
    expect(modelOf(ir, "Profile")?.relations[0]).toMatchObject({
      kind: "oneToOne",
      onDelete: "SET NULL",
      nullable: true,
    });
  });

  test("join tables: `${sourceTable}_${targetTable}`, and from_/to_ columns when self-referential", () => {
    expect(modelOf(ir, "Book")?.relations.find((r) => r.name === "tags")?.through).toEqual({
      table: "book_book_tag",
      sourceColumn: "book_id",
      targetColumn: "book_tag_id",
    });
    const friends = modelOf(ir, "Person")?.relations;
    expect(friends?.map((r) => [r.name, r.kind, r.inverse])).toEqual([
      ["friends", "manyToMany", "persons"],
      ["persons", "reverseManyToMany", "friends"],
    ]);
    expect(friends?.[0]?.through).toEqual({
      table: "person_person",
      sourceColumn: "from_person_id",
      targetColumn: "to_person_id",
    });
    expect(friends?.[1]?.through).toEqual(friends?.[0]?.through);
  });

  test("a relation in ordering or indexes stands for its key field", () => {
    expect(modelOf(ir, "Book")?.ordering).toEqual(["authorId", "-title"]);
    expect(modelOf(ir, "Book")?.indexes).toEqual([["authorId", "title"]]);
  });
});

describe("generated defaults", () => {
  const ir = irOf(
    schemaSource(`  Ticket: { id: fields.UUIDField({ pk: true }), ref: fields.UUIDField({ null: true }) },
  Fixed: { id: fields.UUIDField({ pk: true, default: "123e4567-e89b-42d3-a456-426614174000" }) },
  Stamp: {
    id: fields.UUIDField({ pk: true, dbDefault: "uuid" }),
    at: fields.DatetimeField({ defaultFactory: "now" }),
    on: fields.DateField({ dbDefault: "now" }),
    code: fields.CharField({ maxLength: 40, defaultFactory: "uuid4" }),
    word: fields.CharField({ maxLength: 10, dbDefault: "now" }),
    n: fields.IntField({ dbDefault: 7 }),
  },`),
  );

  test("a UUID primary key without a default gets a UUID v4 per row; others do not", () => {
    expect(
      ir.models.flatMap((m) => m.fields.map((f) => [`${m.name}.${f.name}`, f.defaultFactory])),
    ).toEqual([
      ["Ticket.id", "uuid4"],
      ["Ticket.ref", undefined],
      ["Fixed.id", undefined],
      ["Stamp.id", undefined],
      ["Stamp.at", "now"],
      ["Stamp.on", undefined],
      ["Stamp.code", "uuid4"],
      ["Stamp.word", undefined],
      ["Stamp.n", undefined],
    ]);
  });

  test('dbDefault: "now" and "uuid" name database functions on the kinds they suit, else a literal', () => {
    expect(modelOf(ir, "Stamp")?.fields.map((f) => [f.name, f.dbDefault])).toEqual([
      ["id", { fn: "uuid" }],
      ["at", undefined],
      ["on", { fn: "now" }],
      ["code", undefined],
      ["word", { value: "now" }],
      ["n", { value: 7 }],
    ]);
  });
});
