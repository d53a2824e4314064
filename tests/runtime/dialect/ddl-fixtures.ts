/** Hand-written ModelMeta for DDL tests: api.md's Author / Book / Tag plus every field kind. */
import { FIELD_FLAGS } from "../../../schema/meta-defaults.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../../../runtime/model/meta.js";

type FieldExtra = Partial<Omit<FieldMeta, "name" | "kind">>;

export function field(name: string, kind: FieldMeta["kind"], extra: FieldExtra = {}): FieldMeta {
  return {
    name,
    column: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    kind,
    pk: false,
    ...FIELD_FLAGS,
    ...extra,
  };
}

const id = field("id", "int", { pk: true, generated: true });

export function model(
  name: string,
  table: string,
  fields: FieldMeta[],
  extra: Partial<ModelMeta> = {},
): ModelMeta {
  return {
    name,
    table,
    pk: "id",
    fields,
    relations: [],
    ordering: [],
    uniqueTogether: [],
    indexes: [],
    ...extra,
  };
}

function rel(
  name: string,
  kind: RelationMeta["kind"],
  target: string,
  extra: Partial<RelationMeta> = {},
): RelationMeta {
  return { name, kind, target, inverse: "", nullable: false, ...extra };
}

export const author = model(
  "Author",
  "author",
  [
    id,
    field("name", "char", { maxLength: 100 }),
    field("email", "char", { maxLength: 200, unique: true, nullable: true }),
    field("createdAt", "datetime", { autoNowAdd: true }),
  ],
  { relations: [rel("books", "reverseForeignKey", "Book", { keyField: "authorId" })] },
);

export const book = model(
  "Book",
  "books",
  [
    id,
    field("title", "char", { maxLength: 200, index: true }),
    field("price", "decimal", { maxDigits: 10, decimalPlaces: 2, nullable: true, default: "0.5" }),
    field("published", "boolean", { default: false }),
    field("authorId", "int", { relation: "author", index: true }),
  ],
  {
    ordering: ["-id"],
    uniqueTogether: [["title", "author"]],
    relations: [
      rel("author", "foreignKey", "Author", {
        keyField: "authorId",
        onDelete: "CASCADE",
        inverse: "books",
      }),
      rel("tags", "manyToMany", "Tag", {
        inverse: "books",
        through: { table: "books_tags", sourceColumn: "book_id", targetColumn: "tag_id" },
      }),
    ],
  },
);

export const tag = model(
  "Tag",
  "tag",
  [id, field("name", "char", { maxLength: 50, unique: true })],
  {
    relations: [
      rel("books", "reverseManyToMany", "Book", {
        through: { table: "books_tags", sourceColumn: "book_id", targetColumn: "tag_id" },
      }),
    ],
  },
);

export const item = model(
  "Item",
  "item",
  [
    id,
    field("big", "bigint", { nullable: true, default: "9007199254740993" }),
    field("small", "smallint", { default: 0 }),
    field("body", "text", { default: "it's" }),
    field("ratio", "float", { default: 1.5 }),
    field("at", "datetime", { default: "2024-01-02T03:04:05Z" }),
    field("day", "date", { nullable: true }),
    field("clock", "time", { nullable: true }),
    field("uid", "uuid", { default: "0B3E9A4E-8F7B-4C57-9D0F-6C1B2F3E4D5A" }),
    field("data", "json", { default: { tags: ["a"], n: 1 } }),
    field("blob", "binary", { nullable: true }),
    field("status", "charEnum", {
      maxLength: 10,
      enumValues: ["draft", "published"],
      default: "draft",
    }),
    field("level", "intEnum", { enumValues: [1, 2, 3], nullable: true }),
  ],
  { indexes: [["status", "day"]] },
);

/** Two tables referencing each other: one key must be added after both exist. */
export const cycle = [
  model(
    "Left",
    "left_side",
    [id, field("rightId", "int", { relation: "right", nullable: true, index: true })],
    {
      relations: [
        rel("right", "foreignKey", "Right", {
          keyField: "rightId",
          onDelete: "SET NULL",
          nullable: true,
        }),
      ],
    },
  ),
  model(
    "Right",
    "right_side",
    [
      id,
      field("leftId", "int", { relation: "left", nullable: true }),
      field("parentId", "int", { relation: "parent", nullable: true, index: true }),
    ],
    {
      relations: [
        rel("left", "oneToOne", "Left", {
          keyField: "leftId",
          onDelete: "CASCADE",
          nullable: true,
        }),
        rel("parent", "foreignKey", "Right", {
          keyField: "parentId",
          onDelete: "RESTRICT",
          nullable: true,
        }),
      ],
    },
  ),
];
