/**
 * Terse builders for hand-written `SchemaIR` values in emitter unit tests: every option takes
 * the default the schema validator would fill in.
 */
import { FIELD_FLAGS } from "../../schema/meta-defaults.js";
import type { FieldIR, FieldKind, ModelIR, RelationIR, SchemaIR } from "../../schema/ir.js";

const loc = { line: 1, column: 1 };

const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

export function field(name: string, kind: FieldKind, options: Partial<FieldIR> = {}): FieldIR {
  return {
    name,
    column: snake(name),
    kind,
    pk: false,
    ...FIELD_FLAGS,
    loc,
    ...options,
  };
}

export const pk = (name = "id"): FieldIR => field(name, "int", { pk: true, generated: true });

export function relation(
  name: string,
  kind: RelationIR["kind"],
  target: string,
  inverse: string,
  options: Partial<RelationIR> = {},
): RelationIR {
  const keyed = kind === "foreignKey" || kind === "oneToOne";
  return {
    name,
    kind,
    target,
    inverse,
    nullable: false,
    loc,
    ...(keyed ? { keyField: `${name}Id`, onDelete: "CASCADE" as const } : {}),
    ...options,
  };
}

export function model(
  name: string,
  fields: FieldIR[],
  relations: RelationIR[] = [],
  options: Partial<ModelIR> = {},
): ModelIR {
  return {
    name,
    table: snake(name),
    fields,
    relations,
    pk: "id",
    ordering: [],
    uniqueTogether: [],
    indexes: [],
    loc,
    ...options,
  };
}

export const schema = (...models: ModelIR[]): SchemaIR => ({ sourceFile: "app.schema.ts", models });

/** The api.md §1 example, as the validator would produce it. */
export function bookstore(): SchemaIR {
  return schema(
    model(
      "Author",
      [
        pk(),
        field("name", "char", { maxLength: 100 }),
        field("email", "char", { maxLength: 200, unique: true, nullable: true }),
        field("createdAt", "datetime", { autoNowAdd: true }),
      ],
      [relation("books", "reverseForeignKey", "Book", "author", { keyField: "authorId" })],
    ),
    model(
      "Book",
      [
        pk(),
        field("title", "char", { maxLength: 200, index: true }),
        field("price", "decimal", { maxDigits: 10, decimalPlaces: 2, nullable: true }),
        field("published", "boolean", { default: false }),
        field("authorId", "int", { column: "author_id", relation: "author" }),
      ],
      [
        relation("author", "foreignKey", "Author", "books"),
        relation("tags", "manyToMany", "Tag", "books", {
          through: { table: "books_tag", sourceColumn: "book_id", targetColumn: "tag_id" },
        }),
      ],
      { table: "books", ordering: ["-id"], uniqueTogether: [["title", "author"]] },
    ),
    model(
      "Tag",
      [pk(), field("name", "char", { maxLength: 50, unique: true })],
      [
        relation("books", "reverseManyToMany", "Book", "tags", {
          through: { table: "books_tag", sourceColumn: "book_id", targetColumn: "tag_id" },
        }),
      ],
    ),
  );
}
