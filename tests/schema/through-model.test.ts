// Many-to-many relations through a model (`through: "BookTag"`): the IR of a valid one, and
// each way a through model can be wrong, as exact `file:line:col: message` lines.
import { describe, expect, test } from "vitest";
import { irOf, problemsOf, schemaSource } from "./support.js";

const BOOK_TAG = (fields: string, options = `{ uniqueTogether: [["book", "tag"]] }`) =>
  `  Book: { tags: fields.ManyToManyField("Tag", { through: "BookTag" }) },
  Tag: { name: fields.TextField() },
  BookTag: model(
    {
${fields}
    },
    ${options},
  ),`;

const PAIR = `      book: fields.ForeignKeyField("Book"),
      tag: fields.ForeignKeyField("Tag", { column: "label_id" }),
      note: fields.TextField({ null: true }),`;

describe("through models", () => {
  test("the join is the through model's table and key columns, shared by both sides", () => {
    const ir = irOf(schemaSource(BOOK_TAG(PAIR)));
    const through = {
      table: "book_tag",
      sourceColumn: "book_id",
      targetColumn: "label_id",
      model: { name: "BookTag", sourceField: "bookId", targetField: "tagId" },
    };
    const book = ir.models.find((m) => m.name === "Book");
    const tag = ir.models.find((m) => m.name === "Tag");
    expect(book?.relations.find((r) => r.name === "tags")?.through).toEqual(through);
    expect(tag?.relations.find((r) => r.name === "books")?.through).toEqual(through);
    // The through model is an ordinary model, its foreign keys with their reverse relations.
    expect(tag?.relations.map((r) => [r.name, r.kind])).toEqual([
      ["books", "reverseManyToMany"],
      ["bookTags", "reverseForeignKey"],
    ]);
  });

  test("throughFields picks the keys of a self-referential through model", () => {
    const ir = irOf(
      schemaSource(`  Person: {
    follows: fields.ManyToManyField("Person", { through: "Follow", throughFields: ["from", "to"] }),
  },
  Follow: model(
    {
      from: fields.ForeignKeyField("Person", { relatedName: "outgoing" }),
      to: fields.ForeignKeyField("Person", { relatedName: "incoming" }),
      by: fields.ForeignKeyField("Person", { relatedName: "approved", null: true }),
    },
    { uniqueTogether: [["fromId", "to"]] },
  ),`),
    );
    expect(ir.models[0]?.relations.find((r) => r.name === "follows")?.through).toEqual({
      table: "follow",
      sourceColumn: "from_id",
      targetColumn: "to_id",
      model: { name: "Follow", sourceField: "fromId", targetField: "toId" },
    });
  });

  test("a through model that is not declared", () => {
    const source =
      schemaSource(`  Book: { tags: fields.ManyToManyField("Tag", { through: "BookTags" }) },
  Tag: { name: fields.TextField() },
  BookTag: { book: fields.ForeignKeyField("Book") },
  Shelf: { books: fields.ManyToManyField("Book", { through: "Placement" }) },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:3:49: `through: "BookTags"` of `Book.tags` names no model; did you mean `BookTag`? (the auto join table\'s name starts with a lowercase letter or `_`)',
      'app.schema.ts:6:52: `through: "Placement"` of `Shelf.books` names no model; declare model `Placement` with foreign keys to `Shelf` and `Book` (the auto join table\'s name starts with a lowercase letter or `_`)',
    ]);
  });

  test("a through model without a foreign key to one side, or with a one-to-one instead", () => {
    const source = schemaSource(
      BOOK_TAG(`      book: fields.OneToOneField("Book"),
      note: fields.TextField(),`),
    );
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:3:49: the through model `BookTag` of `Book.tags` has no ForeignKeyField to `Book`; add one, such as `book: fields.ForeignKeyField("Book")`',
      'app.schema.ts:3:49: the through model `BookTag` of `Book.tags` has no ForeignKeyField to `Tag`; add one, such as `tag: fields.ForeignKeyField("Tag")`',
      "app.schema.ts:10:7: uniqueTogether of model `BookTag` names `tag`, which is not a field of `BookTag`; use one of id, bookId, note",
    ]);
  });

  test("several foreign keys to one side need throughFields", () => {
    const source = schemaSource(
      BOOK_TAG(`${PAIR}
      addedBy: fields.ForeignKeyField("Book", { relatedName: "added" }),`),
    );
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:49: the through model `BookTag` of `Book.tags` has several ForeignKeyFields to `Book` (`book`, `addedBy`); name the two to use with `throughFields`, the one to the declaring model first",
    ]);
  });

  test("throughFields naming a wrong key, the same key twice, or without a through model", () => {
    const source = schemaSource(`  Book: {
    tags: fields.ManyToManyField("Tag", { through: "BookTag", throughFields: ["tag", "book"] }),
    shelves: fields.ManyToManyField("Shelf", { through: "BookShelf", throughFields: ["book", "book"] }),
    labels: fields.ManyToManyField("Tag", { relatedName: "labelled", through: "labels", throughFields: ["a", "b"] }),
  },
  Tag: { name: fields.TextField() },
  Shelf: { name: fields.TextField() },
  BookTag: model(
    { book: fields.ForeignKeyField("Book"), tag: fields.ForeignKeyField("Tag") },
    { uniqueTogether: [["book", "tag"]] },
  ),
  BookShelf: model(
    { book: fields.ForeignKeyField("Book"), shelf: fields.ForeignKeyField("Shelf") },
    { uniqueTogether: [["book", "shelf"]] },
  ),`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:63: `throughFields` of `Book.tags` names `tag` first, a foreign key to `Tag`; the first must be a foreign key to `Book` (use `book`)",
      "app.schema.ts:4:63: `throughFields` of `Book.tags` names `book` second, a foreign key to `Book`; the second must be a foreign key to `Tag` (use `tag`)",
      "app.schema.ts:5:70: `throughFields` of `Book.shelves` names `book` second, a foreign key to `Book`; the second must be a foreign key to `Shelf` (use `shelf`)",
      "app.schema.ts:6:89: `throughFields` of `Book.labels` needs a through model; set `through` to the model holding the join rows, or remove `throughFields`",
    ]);
  });

  test("a key of the pair may not be null", () => {
    const source = schemaSource(
      BOOK_TAG(`      book: fields.ForeignKeyField("Book", { null: true, onDelete: "SET NULL" }),
      tag: fields.ForeignKeyField("Tag"),`),
    );
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:7:46: `BookTag.book` holds one side of `Book.tags`'s pair and may not be null; remove `null: true`",
    ]);
  });

  test("the pair must be unique together; the through model cannot be a side itself", () => {
    const source = schemaSource(`${BOOK_TAG(PAIR, "{}")}
  Shelf: { books: fields.ManyToManyField("Book", { through: "Book" }) },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:5:3: the through model `BookTag` of `Book.tags` needs `uniqueTogether: [["book", "tag"]]`, so each pair is stored once',
      "app.schema.ts:13:52: the through model of `Shelf.books` cannot be `Book` itself; declare a model of its own with foreign keys to `Shelf` and `Book`",
    ]);
  });
});
