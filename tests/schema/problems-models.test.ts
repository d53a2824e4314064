// Rules across fields and models (relations, tables, names, model options, the schema as a
// whole): each bad schema yields exactly the expected `file:line:col: message` lines.
import { describe, expect, test } from "vitest";
import { problemsOf, schemaSource } from "./support.js";

const RESERVED =
  "`save`, `delete`, `refreshFromDb`, `fetchRelated`, `clone`, `updateFromDict`, `toJSON`, `then`, `pk`, `constructor`, `__proto__`, `_loaded`";

describe("relations", () => {
  test("a relation to an unknown model suggests the closest model", () => {
    const source = schemaSource(`  Author: { name: fields.CharField({ maxLength: 100 }) },
  Book: { author: fields.ForeignKeyField("Autor") },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:42: `Book.author` points to the unknown model `Autor`; did you mean `Author`?",
    ]);
  });

  test("a relation to an unknown model lists the models when none is close", () => {
    const source = schemaSource(`  Book: { author: fields.ForeignKeyField("Writer") },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:42: `Book.author` points to the unknown model `Writer`; define it in the schema or use one of Book",
    ]);
  });

  test("a relation between models on different connections", () => {
    const source =
      schemaSource(`  Author: model({ name: fields.TextField() }, { connection: "analytics" }),
  Book: { author: fields.ForeignKeyField("Author") },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:4:11: relation `Book.author` links models on different connections (the default connection and Author on "analytics"); a relation cannot cross databases',
    ]);
  });

  test("a connection name must be a non-empty string", () => {
    const source = schemaSource(
      `  Author: model({ name: fields.TextField() }, { connection: "" }),`,
    );
    expect(problemsOf(source)).toHaveLength(1);
    expect(problemsOf(source)[0]).toContain("connection");
  });

  test("a relatedName that clashes with a field or another reverse relation", () => {
    const source = schemaSource(`  Author: { books: fields.TextField(), name: fields.TextField() },
  Book: { author: fields.ForeignKeyField("Author", { relatedName: "books" }) },
  Review: {
    author: fields.ForeignKeyField("Author"),
    coAuthor: fields.ForeignKeyField("Author"),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:54: the reverse relation `books` that `Book.author` adds to `Author` clashes with the field `Author.books`; give `Book.author` a different `relatedName`",
      "app.schema.ts:7:5: the reverse relation `reviews` that `Review.coAuthor` adds to `Author` clashes with the reverse relation of `Review.author`; give `Review.coAuthor` a different `relatedName`",
    ]);
  });

  test("a relatedName that is not a usable member name", () => {
    const source = schemaSource(`  Author: { name: fields.TextField() },
  Book: { author: fields.ForeignKeyField("Author", { relatedName: "save" }) },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:54: relatedName `save` of `Book.author` clashes with a member every model has; rename it (reserved: " +
        RESERVED +
        ")",
    ]);
  });

  test("a foreign key whose key field clashes with a declared field", () => {
    const source = schemaSource(`  Author: { name: fields.TextField() },
  Book: {
    authorId: fields.IntField(),
    author: fields.ForeignKeyField("Author"),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:6:5: `Book.author` keeps its key in `authorId`, which clashes with the field `Book.authorId`; rename one of them",
    ]);
  });

  test('onDelete "SET NULL" or "SET DEFAULT" on a key that cannot be null', () => {
    const source = schemaSource(`  Author: { name: fields.TextField() },
  Book: {
    author: fields.ForeignKeyField("Author", { onDelete: "SET NULL" }),
    editor: fields.ForeignKeyField("Author", { relatedName: "edited", onDelete: "SET NULL", null: true }),
    owner: fields.OneToOneField("Author", { onDelete: "SET DEFAULT" }),
  },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:5:48: `Book.author` uses `onDelete: "SET NULL"` but its key cannot be null; add `null: true` or choose another onDelete',
      'app.schema.ts:7:45: `Book.owner` uses `onDelete: "SET DEFAULT"` but its key cannot be null; add `null: true` or choose another onDelete',
    ]);
  });

  test("a relation target that is not a string literal", () => {
    const source = schemaSource(`  Author: { name: fields.TextField() },
  Book: { author: fields.ForeignKeyField(Author) },`);
    expect(problemsOf(source)).toEqual([
      'app.schema.ts:4:42: the target model of `Book.author` must be a string literal, like `fields.ForeignKeyField("Author")`',
    ]);
  });
});

describe("tables and columns", () => {
  test("two models with one table", () => {
    const source = schemaSource(`  Book: model({ title: fields.TextField() }, { table: "shared" }),
  Tag: model({ name: fields.TextField() }, { table: "Shared" }),`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:46: table `Shared` of model `Tag` is already used by model `Book`; set a different `table`",
    ]);
  });

  test("a many-to-many join table that clashes with a model's table", () => {
    const source = schemaSource(`  Book: { tags: fields.ManyToManyField("Tag") },
  Tag: { name: fields.TextField() },
  BookTag: { note: fields.TextField() },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:11: table `book_tag` of `Book.tags` is already used by model `BookTag`; set a different `through` on `Book.tags`",
    ]);
  });

  test("two fields stored in one column", () => {
    const source = schemaSource(`  Book: {
    title: fields.TextField(),
    heading: fields.TextField({ column: "title" }),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:5:5: column `title` of `Book.heading` is already used by `Book.title`; set a different `column`",
    ]);
  });

  test("a derived name longer than Postgres keeps", () => {
    const long = `A${"b".repeat(63)}`;
    const source = schemaSource(`  ${long}: { name: fields.TextField() },`);
    expect(problemsOf(source)).toEqual([
      `app.schema.ts:3:3: table \`a${"b".repeat(63)}\` of model \`${long}\` is longer than 63 characters, which Postgres would cut short; set a shorter \`table\``,
    ]);
  });
});

describe("names", () => {
  test("field names that clash with model members, contain `__` or are not identifiers", () => {
    const source = schemaSource(`  Book: {
    save: fields.TextField(),
    author__name: fields.TextField(),
    "first-name": fields.TextField(),
    pk: fields.IntField(),
    then: fields.TextField(),
  },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:5: field `Book.save` clashes with a member every model has; rename it (reserved: " +
        RESERVED +
        ")",
      "app.schema.ts:5:5: field `Book.author__name` contains `__`, which separates relations in filters like `author__name`; rename it",
      "app.schema.ts:6:5: field `Book.first-name` is not a valid identifier; use letters, digits, `_` and `$`, not starting with a digit",
      "app.schema.ts:7:5: field `Book.pk` clashes with a member every model has; rename it (reserved: " +
        RESERVED +
        ")",
      "app.schema.ts:8:5: field `Book.then` clashes with a member every model has; rename it (reserved: " +
        RESERVED +
        ")",
    ]);
  });

  test("model names that clash with runtime exports or are not PascalCase", () => {
    const source = schemaSource(`  Q: { name: fields.TextField() },
  QuerySet: { name: fields.TextField() },
  book_tag: { name: fields.TextField() },
  Index: { name: fields.TextField() },
  Date: { name: fields.TextField() },`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:3: model name `Q` clashes with the `Q` that yara-orm exports; rename the model (`model({...}, { table })` can keep the table name)",
      "app.schema.ts:4:3: model name `QuerySet` clashes with the `QuerySet` that yara-orm exports; rename the model (`model({...}, { table })` can keep the table name)",
      "app.schema.ts:5:3: model name `book_tag` must be PascalCase (a capital letter, then letters and digits), like `BookTag`",
      "app.schema.ts:6:3: model name `Index` clashes with the generated `index.ts` entry point; rename the model (`model({...}, { table })` can keep the table name)",
      "app.schema.ts:7:3: model name `Date` clashes with the global `Date` that generated code uses; rename the model (`model({...}, { table })` can keep the table name)",
    ]);
  });

  test("reserved SQL words are fine as names", () => {
    const source = schemaSource(
      `  Order: model({ select: fields.TextField(), from: fields.IntField() }, { table: "order" }),`,
    );
    expect(() => problemsOf(source)).toThrow(/read without problems/);
  });
});

describe("model options", () => {
  test("ordering, uniqueTogether and indexes naming unknown fields or to-many relations", () => {
    const source = schemaSource(`  Tag: { name: fields.TextField() },
  Book: model(
    { title: fields.TextField(), tags: fields.ManyToManyField("Tag") },
    { ordering: ["-titel"], uniqueTogether: [["title", "tags"]], indexes: [["nope"]] },
  ),`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:6:7: ordering of model `Book` names `titel`, which is not a field of `Book`; did you mean `title`?",
      "app.schema.ts:6:29: uniqueTogether of model `Book` names `tags`, a to-many relation without a column; use a field",
      "app.schema.ts:6:66: indexes of model `Book` names `nope`, which is not a field of `Book`; use one of id, title",
    ]);
  });

  test("model options of the wrong shape and unknown model options", () => {
    const source = schemaSource(
      `  Book: model({ title: fields.TextField() }, { table: "bad name", ordering: "title", colour: 1 }),`,
    );
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:3:48: option `table` of model `Book` must be a table name of at most 63 letters, digits and `_`, not starting with a digit",
      "app.schema.ts:3:67: option `ordering` of model `Book` must be a list of field names, each optionally prefixed with `-`",
      "app.schema.ts:3:86: unknown option `colour` on model `Book`; it accepts table, ordering, uniqueTogether, indexes, description, connection",
    ]);
  });
});

describe("the schema as a whole", () => {
  test("an empty schema", () => {
    expect(problemsOf(schemaSource(""))).toEqual([
      "app.schema.ts:2:16: the schema defines no models; add at least one to `defineSchema({...})`",
    ]);
  });

  test("several problems in several models are all reported, in file order", () => {
    const source = schemaSource(`  Author: {
    name: fields.CharField(),
    email: fields.CharField({ maxLength: 200, default: 5 }),
  },
  Book: model(
    {
      id: fields.IntField({ pk: true }),
      isbn: fields.CharField({ maxLength: 13, pk: true }),
      author: fields.ForeignKeyField("Writer"),
      price: fields.DecimalField({ maxDigits: 4, decimalPlaces: 6 }),
      save: fields.BooleanField({ default: "no" }),
    },
    { table: "author", ordering: ["-published"] },
  ),`);
    expect(problemsOf(source)).toEqual([
      "app.schema.ts:4:11: CharField `Author.name` needs `maxLength`, a positive integer such as `maxLength: 255`",
      "app.schema.ts:5:47: default of CharField `Author.email` must be a string of at most 200 characters, not 5",
      "app.schema.ts:10:7: model `Book` has a second primary key `isbn` besides `id`; keep `pk: true` on one field",
      "app.schema.ts:11:38: `Book.author` points to the unknown model `Writer`; define it in the schema or use one of Author, Book",
      "app.schema.ts:12:50: `decimalPlaces` (6) of `Book.price` exceeds `maxDigits` (4); lower it or raise `maxDigits`",
      "app.schema.ts:13:7: field `Book.save` clashes with a member every model has; rename it (reserved: " +
        RESERVED +
        ")",
      'app.schema.ts:13:35: default of BooleanField `Book.save` must be true or false, not "no"',
      "app.schema.ts:15:7: table `author` of model `Book` is already used by model `Author`; set a different `table`",
      "app.schema.ts:15:24: ordering of model `Book` names `published`, which is not a field of `Book`; use one of id, isbn, price, save",
    ]);
  });
});
