/**
 * State replay: each operation changes the schema state, and its inverse (inverse.ts) changes
 * it back exactly; operations that do not fit the state are MigrationErrors naming the problem.
 */
import { describe, expect, it } from "vitest";
import { MigrationError } from "../../runtime/errors.js";
import * as m from "../../runtime/migrations/builders.js";
import { inverseOf } from "../../runtime/migrations/inverse.js";
import type { Operation } from "../../runtime/migrations/operation.js";
import { applyOperation, replay, type SchemaState } from "../../runtime/migrations/state.js";

const base: SchemaState = replay([
  m.createModel({
    name: "Author",
    table: "author",
    pk: "id",
    fields: [
      { name: "id", column: "id", kind: "int", pk: true, generated: true },
      { name: "name", column: "name", kind: "char", maxLength: 100 },
    ],
  }),
  m.createModel({
    name: "Book",
    table: "books",
    pk: "id",
    fields: [
      { name: "id", column: "id", kind: "int", pk: true, generated: true },
      { name: "title", column: "title", kind: "char", maxLength: 200 },
      { name: "note", column: "note", kind: "text", nullable: true },
      {
        name: "authorId",
        column: "author_id",
        kind: "int",
        index: true,
        relation: "author",
        references: { model: "Author", onDelete: "CASCADE" },
      },
    ],
    uniqueTogether: [["title", "author"]],
  }),
  m.createModel({
    name: "Tag",
    table: "tag",
    pk: "id",
    fields: [{ name: "id", column: "id", kind: "int", pk: true, generated: true }],
  }),
  m.createJoinTable({
    model: "Book",
    relation: "tags",
    target: "Tag",
    table: "books_tag",
    sourceColumn: "book_id",
    targetColumn: "tag_id",
  }),
]);

const OPERATIONS: [string, Operation][] = [
  [
    "createModel",
    m.createModel({
      name: "Shelf",
      table: "shelf",
      pk: "id",
      fields: [{ name: "id", column: "id", kind: "int", pk: true, generated: true }],
    }),
  ],
  ["deleteModel", m.deleteModel("Tag")],
  ["renameModel", m.renameModel("Author", "Writer")],
  ["alterModelTable", m.alterModelTable("Book", "volumes")],
  [
    "addField",
    m.addField("Book", {
      name: "slug",
      column: "slug",
      kind: "char",
      maxLength: 50,
      nullable: true,
    }),
  ],
  ["removeField", m.removeField("Book", "note")],
  [
    "alterField",
    m.alterField("Book", { name: "title", column: "title", kind: "text", nullable: true }),
  ],
  ["renameField", m.renameField("Book", "title", "name", { column: "name" })],
  [
    "renameField of a key",
    m.renameField("Book", "authorId", "writerId", { column: "writer_id", relation: "writer" }),
  ],
  ["addIndex", m.addIndex("Book", ["title", "authorId"])],
  ["removeIndex (unique)", m.removeIndex("Book", ["title", "author"], { unique: true })],
  [
    "createJoinTable",
    m.createJoinTable({
      model: "Author",
      relation: "tags",
      target: "Tag",
      table: "author_tag",
      sourceColumn: "author_id",
      targetColumn: "tag_id",
    }),
  ],
  ["dropJoinTable", m.dropJoinTable("Book", "tags")],
  [
    "renameJoinTable",
    m.renameJoinTable({
      model: "Book",
      relation: "tags",
      table: "volumes_tag",
      sourceColumn: "volume_id",
      targetColumn: "tag_id",
    }),
  ],
  [
    "renameJoinTable with its relation",
    m.renameJoinTable({
      model: "Book",
      relation: "tags",
      to: "labels",
      table: "books_tag",
      sourceColumn: "book_id",
      targetColumn: "tag_id",
    }),
  ],
  ["runSql", m.runSql("SELECT 1", "SELECT 2")],
];

/** The state as a plain object; a field added back comes last, so fields are compared by name. */
const plain = (s: SchemaState) =>
  Object.fromEntries(
    [...s].map(([name, model]) => [
      name,
      { ...model, fields: [...model.fields].sort((a, b) => (a.name < b.name ? -1 : 1)) },
    ]),
  );

describe("every operation's inverse restores the state", () => {
  for (const [label, op] of OPERATIONS) {
    it(label, () => {
      const after = applyOperation(base, op);
      expect(plain(after)).not.toEqual(op.op === "runSql" ? {} : plain(base));
      expect(plain(applyOperation(after, inverseOf(op, base)))).toEqual(plain(base));
    });
  }
});

it("renaming a model follows the relations that point at it", () => {
  const after = applyOperation(base, m.renameModel("Author", "Writer"));
  expect(after.get("Book")!.relations.find((r) => r.name === "author")!.target).toBe("Writer");
});

it("renaming a key field renames its relation in unique-together", () => {
  const after = applyOperation(
    base,
    m.renameField("Book", "authorId", "writerId", { column: "writer_id", relation: "writer" }),
  );
  expect(after.get("Book")!.uniqueTogether).toEqual([["title", "writer"]]);
});

describe("operations that do not fit the state", () => {
  const cases: [Operation, string][] = [
    [m.deleteModel("Nope"), "deleteModel: there is no model Nope"],
    [m.removeField("Book", "nope"), "removeField: model Book has no field nope"],
    [m.removeField("Book", "id"), "removeField: Book.id is the primary key"],
    [
      m.removeField("Book", "title"),
      "removeField: Book.title is in the index (title, author); remove the index first",
    ],
    [
      m.addField("Book", { name: "title", column: "t", kind: "text" }),
      "addField: model Book has a field title already",
    ],
    [m.addIndex("Book", ["nope"]), "addIndex: model Book has no field nope"],
    [m.removeIndex("Book", ["title"]), "removeIndex: Book has no index (title)"],
    [m.dropJoinTable("Book", "nope"), "dropJoinTable: Book has no many-to-many relation nope"],
    [
      m.renameJoinTable({
        model: "Book",
        relation: "nope",
        table: "t",
        sourceColumn: "a",
        targetColumn: "b",
      }),
      "renameJoinTable: Book has no many-to-many relation nope",
    ],
    [
      m.renameJoinTable({
        model: "Book",
        relation: "tags",
        to: "author",
        table: "books_tag",
        sourceColumn: "book_id",
        targetColumn: "tag_id",
      }),
      "renameJoinTable: Book.author exists already",
    ],
    [
      m.renameJoinTable({
        model: "Book",
        relation: "tags",
        table: "books_tag",
        sourceColumn: "tag_id",
        targetColumn: "tag_id",
      }),
      "renameJoinTable: Book.tags needs two different column names, not tag_id twice",
    ],
    [
      m.alterField("Book", { name: "id", column: "id", kind: "int" }),
      "alterField: changing the primary key of Book is not supported",
    ],
  ];
  for (const [op, message] of cases) {
    it(message, () => {
      expect(() => applyOperation(base, op)).toThrow(MigrationError);
      expect(() => applyOperation(base, op)).toThrow(message);
    });
  }
  it("runSql and runCode without down have no inverse", () => {
    expect(() => inverseOf(m.runSql("SELECT 1"), base)).toThrow('runSql has no "down"');
    expect(() =>
      inverseOf(
        m.runCode(async () => undefined),
        base,
      ),
    ).toThrow('runCode has no "down"');
  });
});
