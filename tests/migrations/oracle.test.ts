/**
 * Every migration operation through the oracle (support/oracle.ts) on SQLite and Postgres:
 * migrating v1 → v2 gives the schema generateSchemas() gives v2, going down gives v1's, and the
 * rows written under v1 read back the same (join tables' rows too, when a rename renames them).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationTargets } from "../support/targets.js";
import { prepareCase, runOracle, type OracleCase, type PreparedCase } from "./support/oracle.js";

const AUTHOR = `Author: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 100 }) },`;
const authorRows = [`INSERT INTO "author" ("id", "name") VALUES (1, 'Ada'), (2, 'Grace')`];

const BOOK_FIELDS = `id: fields.IntField({ pk: true }),
        title: fields.CharField({ maxLength: 200, index: true }),
        price: fields.DecimalField({ maxDigits: 10, decimalPlaces: 2, null: true }),
        author: fields.ForeignKeyField("Author", { relatedName: "books", onDelete: "CASCADE" }),`;
const book = (extra = "", options = `{ table: "books" }`, fieldsText = BOOK_FIELDS): string =>
  `Book: model({ ${fieldsText} ${extra} }, ${options}),`;
const REVIEW = `Review: { id: fields.IntField({ pk: true }), book: fields.ForeignKeyField("Book", { onDelete: "CASCADE" }), stars: fields.IntField() },`;
const bookRows = [
  ...authorRows,
  `INSERT INTO "books" ("id", "title", "price", "author_id") VALUES (1, 'Notes', '19.99', 1), (2, 'Sketch', NULL, 1), (3, 'COBOL', '7.50', 2)`,
];
const readBooks = `SELECT "id", "title", "price", "author_id" FROM "books" ORDER BY "id"`;

const CASES: OracleCase[] = [
  {
    name: "createModel with a foreign key",
    v1: AUTHOR,
    v2: `${AUTHOR} ${book("", `{ table: "books", uniqueTogether: [["title", "author"]] }`)}`,
    seed: authorRows,
    read1: `SELECT "id", "name" FROM "author" ORDER BY "id"`,
    read2: `SELECT "id", "name" FROM "author" ORDER BY "id"`,
  },
  {
    name: "createModel of two models pointing at each other",
    v1: AUTHOR,
    v2: `${AUTHOR}
      Team: { id: fields.IntField({ pk: true }), lead: fields.ForeignKeyField("Player", { null: true, onDelete: "SET NULL", relatedName: "leads" }) },
      Player: { id: fields.IntField({ pk: true }), team: fields.ForeignKeyField("Team", { onDelete: "CASCADE" }) },`,
    seed: authorRows,
    read1: `SELECT "id", "name" FROM "author" ORDER BY "id"`,
    read2: `SELECT "id", "name" FROM "author" ORDER BY "id"`,
  },
  {
    name: "deleteModel with a foreign key pointing in",
    v1: `${AUTHOR} ${book()} ${REVIEW}`,
    v2: `${AUTHOR} ${book()}`,
    seed: [...bookRows, `INSERT INTO "review" ("id", "book_id", "stars") VALUES (1, 1, 5)`],
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "addField nullable, with a default, unique, indexed and an enum",
    v1: `${AUTHOR} ${book()}`,
    v2: `${AUTHOR} ${book(`subtitle: fields.CharField({ maxLength: 50, null: true, index: true }),
        published: fields.BooleanField({ default: false }),
        isbn: fields.CharField({ maxLength: 13, unique: true, null: true }),
        status: fields.CharEnumField({ values: ["draft", "out"], maxLength: 5, default: "draft" }),`)}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "addField: a foreign key to another table",
    v1: `${AUTHOR} ${book()} Shelf: { id: fields.IntField({ pk: true }), label: fields.TextField() },`,
    v2: `${AUTHOR} ${book(`shelf: fields.ForeignKeyField("Shelf", { null: true, onDelete: "SET NULL" }),`)} Shelf: { id: fields.IntField({ pk: true }), label: fields.TextField() },`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "addField with database defaults: now, a UUID and a literal",
    v1: `${AUTHOR} ${book()}`,
    v2: `${AUTHOR} ${book(`stampedAt: fields.DatetimeField({ dbDefault: "now" }),
        stampedOn: fields.DateField({ dbDefault: "now" }),
        ref: fields.UUIDField({ dbDefault: "uuid" }),
        copies: fields.IntField({ dbDefault: 3 }),`)}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    // The 0002 the oracle needs exists only if the autodetector saw the dbDefault changes.
    name: "alterField: a dbDefault set, changed and dropped",
    v1: `${AUTHOR} ${book(`copies: fields.IntField({ dbDefault: 1 }), at: fields.DatetimeField({ null: true }), ref: fields.UUIDField({ null: true, dbDefault: "uuid" }),`)}`,
    v2: `${AUTHOR} ${book(`copies: fields.IntField({ dbDefault: 2 }), at: fields.DatetimeField({ null: true, dbDefault: "now" }), ref: fields.UUIDField({ null: true }),`)}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "removeField",
    v1: `${AUTHOR} ${book(`note: fields.TextField({ null: true }), flag: fields.BooleanField({ default: true }),`)}`,
    v2: `${AUTHOR} ${book()}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "alterField: length, nullability, default, unique, index, type",
    v1: `${AUTHOR} ${book(`code: fields.CharField({ maxLength: 10, null: true }), rank: fields.IntField({ default: 1 }), tag: fields.CharField({ maxLength: 20, index: true, default: "x" }), status: fields.CharEnumField({ values: ["a", "b"], maxLength: 3 }),`)}`,
    v2: `${AUTHOR} ${book(`code: fields.CharField({ maxLength: 30, unique: true }), rank: fields.BigIntField({ null: true }), tag: fields.CharField({ maxLength: 20, default: "y" }), status: fields.CharEnumField({ values: ["a", "b", "c"], maxLength: 3 }),`)}`,
    seed: [
      ...authorRows,
      `INSERT INTO "books" ("id", "title", "price", "author_id", "code", "rank", "tag", "status") VALUES (1, 'Notes', '19.99', 1, 'N1', 3, 'x', 'a'), (2, 'Sketch', NULL, 2, 'S2', 4, 'z', 'b')`,
    ],
    read1: `SELECT "id", "title", "price", "author_id", "code", "rank", "tag", "status" FROM "books" ORDER BY "id"`,
    read2: `SELECT "id", "title", "price", "author_id", "code", "rank", "tag", "status" FROM "books" ORDER BY "id"`,
  },
  {
    name: "alterField: a foreign key's on-delete and target",
    v1: `${AUTHOR} ${book()} Editor: { id: fields.IntField({ pk: true }) },`,
    v2: `${AUTHOR} ${book("", `{ table: "books" }`, BOOK_FIELDS.replace(`onDelete: "CASCADE"`, `onDelete: "RESTRICT"`))} Editor: { id: fields.IntField({ pk: true }) },`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "renameField with its column (--rename)",
    v1: `${AUTHOR} ${book()}`,
    v2: `${AUTHOR} ${book("", `{ table: "books" }`, BOOK_FIELDS.replace("title:", "name:"))}`,
    renames: ["Book.title=name"],
    seed: bookRows,
    read1: readBooks,
    read2: `SELECT "id", "name" AS "title", "price", "author_id" FROM "books" ORDER BY "id"`,
  },
  {
    name: "renameField of a foreign key (relation and column)",
    v1: `${AUTHOR} ${book("", `{ table: "books", uniqueTogether: [["title", "author"]] }`)}`,
    v2: `${AUTHOR} ${book("", `{ table: "books", uniqueTogether: [["title", "writer"]] }`, BOOK_FIELDS.replace("author:", "writer:"))}`,
    renames: ["Book.author=writer"],
    seed: bookRows,
    read1: readBooks,
    read2: `SELECT "id", "title", "price", "writer_id" AS "author_id" FROM "books" ORDER BY "id"`,
  },
  {
    name: "renameModel with its table, foreign keys pointing in and out",
    v1: `${AUTHOR} ${book()} ${REVIEW}`,
    v2: `${AUTHOR} ${book().replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`)} ${REVIEW.replace(`"Book"`, `"Volume"`)}`,
    renames: ["Book=Volume"],
    seed: [
      ...bookRows,
      `INSERT INTO "review" ("id", "book_id", "stars") VALUES (1, 1, 5), (2, 3, 2)`,
    ],
    read1: `SELECT b."id", b."title", b."price", b."author_id", r."stars" FROM "books" b JOIN "review" r ON r."book_id" = b."id" ORDER BY r."id"`,
    read2: `SELECT b."id", b."title", b."price", b."author_id", r."stars" FROM "volumes" b JOIN "review" r ON r."book_id" = b."id" ORDER BY r."id"`,
  },
  {
    name: "alterModelTable (the table option)",
    v1: `${AUTHOR} ${book()}`,
    v2: `${AUTHOR} ${book("", `{ table: "library_books" }`)}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks.replace(`"books"`, `"library_books"`),
  },
  {
    name: "addIndex and unique-together",
    v1: `${AUTHOR} ${book()}`,
    v2: `${AUTHOR} ${book("", `{ table: "books", indexes: [["title", "price"]], uniqueTogether: [["title", "author"]] }`)}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "removeIndex and unique-together",
    v1: `${AUTHOR} ${book("", `{ table: "books", indexes: [["title", "price"]], uniqueTogether: [["title", "author"]] }`)}`,
    v2: `${AUTHOR} ${book()}`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "createJoinTable for a many-to-many",
    v1: `${AUTHOR} ${book()} Tag: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 20 }) },`,
    v2: `${AUTHOR} ${book(`tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`)} Tag: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 20 }) },`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
  {
    name: "dropJoinTable",
    v1: `${AUTHOR} ${book(`tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`)} Tag: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 20 }) },`,
    v2: `${AUTHOR} ${book()} Tag: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 20 }) },`,
    seed: bookRows,
    read1: readBooks,
    read2: readBooks,
  },
];

const TAG = `Tag: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 20 }) },`;
const TAGS = `tags: fields.ManyToManyField("Tag", { relatedName: "books" }),`;
const tagRows = [
  ...bookRows,
  `INSERT INTO "tag" ("id", "name") VALUES (1, 'new'), (2, 'old')`,
  `INSERT INTO "books_tag" ("book_id", "tag_id") VALUES (1, 1), (1, 2), (3, 2)`,
];
const readTags = `SELECT "book_id", "tag_id" FROM "books_tag" ORDER BY 1, 2`;
const PERSON = `Person: { id: fields.IntField({ pk: true }), friends: fields.ManyToManyField("Person", { relatedName: "friendOf" }) },`;

/** Join tables whose derived names change are renamed in place: their rows survive up and down. */
const JOIN_RENAMES: OracleCase[] = [
  {
    name: "renameModel owning a many-to-many: join table and its column renamed",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS).replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`)} ${TAG}`,
    renames: ["Book=Volume"],
    seed: tagRows,
    read1: readTags,
    read2: `SELECT "volume_id" AS "book_id", "tag_id" FROM "volumes_tag" ORDER BY 1, 2`,
  },
  {
    name: "renameModel owning a many-to-many: a view over the join table follows",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS).replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`)} ${TAG}`,
    renames: ["Book=Volume"],
    seed: [
      ...tagRows,
      `CREATE VIEW "tag_use" AS SELECT "tag_id", count(*) AS "n" FROM "books_tag" GROUP BY "tag_id"`,
    ],
    read1: `SELECT "tag_id", "n" FROM "tag_use" ORDER BY 1`,
    read2: `SELECT "tag_id", "n" FROM "tag_use" ORDER BY 1`,
  },
  {
    name: "renameModel keeping its table: only the join table's column renamed",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS).replace("Book:", "Volume:")} ${TAG}`,
    renames: ["Book=Volume"],
    seed: tagRows,
    read1: readTags,
    read2: `SELECT "volume_id" AS "book_id", "tag_id" FROM "books_tag" ORDER BY 1, 2`,
  },
  {
    name: "renameModel that a many-to-many points at",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS.replace(`"Tag"`, `"Label"`))} ${TAG.replace("Tag:", "Label:")}`,
    renames: ["Tag=Label"],
    seed: tagRows,
    read1: readTags,
    read2: `SELECT "book_id", "label_id" AS "tag_id" FROM "books_label" ORDER BY 1, 2`,
  },
  {
    name: "renameModel and its many-to-many relation (--rename Volume.tags=labels)",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS.replace("tags:", "labels:")).replace("Book:", "Volume:").replace(`table: "books"`, `table: "volumes"`)} ${TAG}`,
    renames: ["Book=Volume", "Volume.tags=labels"],
    seed: tagRows,
    read1: readTags,
    read2: `SELECT "volume_id" AS "book_id", "tag_id" FROM "volumes_tag" ORDER BY 1, 2`,
  },
  {
    name: "alterModelTable of a many-to-many's owner: the derived join table follows",
    v1: `${AUTHOR} ${book(TAGS)} ${TAG}`,
    v2: `${AUTHOR} ${book(TAGS, `{ table: "library_books" }`)} ${TAG}`,
    seed: tagRows,
    read1: readTags,
    read2: `SELECT "book_id", "tag_id" FROM "library_books_tag" ORDER BY 1, 2`,
  },
  {
    name: "renameModel of a self-referential many-to-many",
    v1: PERSON,
    v2: PERSON.replace("Person:", "Member:").replace(`"Person"`, `"Member"`),
    renames: ["Person=Member"],
    seed: [
      `INSERT INTO "person" ("id") VALUES (1), (2), (3)`,
      `INSERT INTO "person_person" ("from_person_id", "to_person_id") VALUES (1, 2), (2, 1), (3, 1)`,
    ],
    read1: `SELECT "from_person_id", "to_person_id" FROM "person_person" ORDER BY 1, 2`,
    read2: `SELECT "from_member_id" AS "from_person_id", "to_member_id" AS "to_person_id" FROM "member_member" ORDER BY 1, 2`,
  },
];
CASES.push(...JOIN_RENAMES);

const prepared = new Map<string, PreparedCase>();

beforeAll(async () => {
  for (const c of CASES) prepared.set(c.name, await prepareCase(c));
}, 120_000);
afterAll(() => {
  for (const p of prepared.values()) p.dispose();
});

for (const target of migrationTargets()) {
  describe(target.name, () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const run = await runOracle(target, c, prepared.get(c.name)!);
        expect(run.generatedV1).not.toEqual(run.generatedV2);
        expect(run.afterUp).toEqual(run.generatedV2);
        expect(run.afterDown).toEqual(run.generatedV1);
        if (c.read2 !== undefined) expect(run.rowsAfterUp).toEqual(run.rowsV1);
        if (c.read1 !== undefined) expect(run.rowsAfterDown).toEqual(run.rowsV1);
      });
    }
  });
}
