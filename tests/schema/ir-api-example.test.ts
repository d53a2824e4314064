// The IR of the api.md §1 schema, read from disk: every default filled in, every name resolved.
import { expect, test } from "vitest";
import { at, field, intPk, readIR } from "./support.js";

test("the api.md §1 schema", () => {
  const ir = readIR("examples/app.schema.ts");
  const through = { table: "books_tag", sourceColumn: "book_id", targetColumn: "tag_id" };
  expect(ir).toEqual({
    sourceFile: "examples/app.schema.ts",
    models: [
      {
        name: "Author",
        table: "author",
        pk: "id",
        fields: [
          intPk(7, 5),
          field({ name: "name", kind: "char", maxLength: 100, loc: at(8, 5) }),
          field({
            name: "email",
            kind: "char",
            maxLength: 200,
            unique: true,
            nullable: true,
            loc: at(9, 5),
          }),
          field({
            name: "createdAt",
            column: "created_at",
            kind: "datetime",
            autoNowAdd: true,
            loc: at(10, 5),
          }),
        ],
        relations: [
          {
            name: "books",
            kind: "reverseForeignKey",
            target: "Book",
            keyField: "authorId",
            inverse: "author",
            nullable: false,
            loc: at(18, 50),
          },
        ],
        ordering: [],
        uniqueTogether: [],
        indexes: [],
        loc: at(6, 3),
      },
      {
        name: "Book",
        table: "books",
        pk: "id",
        fields: [
          intPk(14, 7),
          field({ name: "title", kind: "char", maxLength: 200, index: true, loc: at(15, 7) }),
          field({
            name: "price",
            kind: "decimal",
            maxDigits: 10,
            decimalPlaces: 2,
            nullable: true,
            loc: at(16, 7),
          }),
          field({ name: "published", kind: "boolean", default: false, loc: at(17, 7) }),
          field({
            name: "authorId",
            column: "author_id",
            kind: "int",
            index: true,
            relation: "author",
            loc: at(18, 7),
          }),
        ],
        relations: [
          {
            name: "author",
            kind: "foreignKey",
            target: "Author",
            inverse: "books",
            keyField: "authorId",
            onDelete: "CASCADE",
            nullable: false,
            loc: at(18, 7),
          },
          {
            name: "tags",
            kind: "manyToMany",
            target: "Tag",
            inverse: "books",
            nullable: false,
            through,
            loc: at(19, 7),
          },
        ],
        ordering: ["-id"],
        uniqueTogether: [["title", "authorId"]],
        indexes: [],
        loc: at(12, 3),
      },
      {
        name: "Tag",
        table: "tag",
        pk: "id",
        fields: [
          intPk(24, 5),
          field({ name: "name", kind: "char", maxLength: 50, unique: true, loc: at(25, 5) }),
        ],
        relations: [
          {
            name: "books",
            kind: "reverseManyToMany",
            target: "Book",
            inverse: "tags",
            nullable: false,
            through,
            loc: at(19, 45),
          },
        ],
        ordering: [],
        uniqueTogether: [],
        indexes: [],
        loc: at(23, 3),
      },
    ],
  });
});
