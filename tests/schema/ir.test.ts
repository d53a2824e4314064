// The IR built from valid schemas: every default filled in, every name resolved.
import { describe, expect, test } from "vitest";
import { readSchema, type FieldIR, type ModelIR, type SchemaIR } from "../../schema/compile.js";
import { irOf, schemaSource } from "./support.js";

const at = (line: number, column: number) => ({ line, column });

/** A FieldIR with the defaults of a plain, non-key field. */
function field(spec: Partial<FieldIR> & Pick<FieldIR, "name" | "kind" | "loc">): FieldIR {
  return {
    column: spec.name,
    pk: false,
    nullable: false,
    unique: false,
    index: false,
    generated: false,
    autoNow: false,
    autoNowAdd: false,
    ...spec,
  };
}

const intPk = (line: number, column: number): FieldIR =>
  field({ name: "id", kind: "int", pk: true, generated: true, loc: at(line, column) });

function read(file: string): SchemaIR {
  const result = readSchema(file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.ir;
}

const model = (ir: SchemaIR, name: string): ModelIR | undefined =>
  ir.models.find((m) => m.name === name);

test("the api.md §1 schema", () => {
  const ir = read("tests/schema/fixtures/app.schema.ts");
  const through = { table: "books_tag", sourceColumn: "book_id", targetColumn: "tag_id" };
  expect(ir).toEqual({
    sourceFile: "tests/schema/fixtures/app.schema.ts",
    models: [
      {
        name: "Author",
        table: "author",
        pk: "id",
        fields: [
          intPk(6, 5),
          field({ name: "name", kind: "char", maxLength: 100, loc: at(7, 5) }),
          field({
            name: "email",
            kind: "char",
            maxLength: 200,
            unique: true,
            nullable: true,
            loc: at(8, 5),
          }),
          field({
            name: "createdAt",
            column: "created_at",
            kind: "datetime",
            autoNowAdd: true,
            loc: at(9, 5),
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
            loc: at(17, 50),
          },
        ],
        ordering: [],
        uniqueTogether: [],
        indexes: [],
        loc: at(5, 3),
      },
      {
        name: "Book",
        table: "books",
        pk: "id",
        fields: [
          intPk(13, 7),
          field({ name: "title", kind: "char", maxLength: 200, index: true, loc: at(14, 7) }),
          field({
            name: "price",
            kind: "decimal",
            maxDigits: 10,
            decimalPlaces: 2,
            nullable: true,
            loc: at(15, 7),
          }),
          field({ name: "published", kind: "boolean", default: false, loc: at(16, 7) }),
          field({
            name: "authorId",
            column: "author_id",
            kind: "int",
            index: true,
            relation: "author",
            loc: at(17, 7),
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
            loc: at(17, 7),
          },
          {
            name: "tags",
            kind: "manyToMany",
            target: "Tag",
            inverse: "books",
            nullable: false,
            through,
            loc: at(18, 7),
          },
        ],
        ordering: ["-id"],
        uniqueTogether: [["title", "authorId"]],
        indexes: [],
        loc: at(11, 3),
      },
      {
        name: "Tag",
        table: "tag",
        pk: "id",
        fields: [
          intPk(22, 10),
          field({ name: "name", kind: "char", maxLength: 50, unique: true, loc: at(22, 45) }),
        ],
        relations: [
          {
            name: "books",
            kind: "reverseManyToMany",
            target: "Book",
            inverse: "tags",
            nullable: false,
            through,
            loc: at(18, 45),
          },
        ],
        ordering: [],
        uniqueTogether: [],
        indexes: [],
        loc: at(22, 3),
      },
    ],
  });
});

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
    expect(model(ir, "Author")?.fields.map((f) => [f.name, f.pk, f.generated])).toEqual([
      ["id", true, true],
      ["name", false, false],
    ]);
    expect(model(ir, "Author")?.fields[0]).toEqual(intPk(3, 3));
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
    expect(model(ir, "HTTPRequest")?.fields.map((f) => f.column)).toEqual(["id", "parent_id"]);
  });

  test("reverse relations: camelCase model name, plural for to-many", () => {
    expect(
      model(ir, "Author")?.relations.map((r) => [
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
    expect(model(ir, "BookTag")?.relations.map((r) => [r.name, r.kind, r.inverse])).toEqual([
      ["books", "reverseManyToMany", "tags"],
    ]);
    expect(model(ir, "HTTPRequest")?.relations.map((r) => [r.name, r.kind])).toEqual([
      ["parent", "foreignKey"],
      ["children", "reverseForeignKey"],
    ]);
  });

  test("a one-to-one key is unique and nullable when asked", () => {
    expect(model(ir, "Profile")?.fields[1]).toEqual(
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
    expect(model(ir, "Profile")?.relations[0]).toMatchObject({
      kind: "oneToOne",
      onDelete: "SET NULL",
      nullable: true,
    });
  });

  test("join tables: `${sourceTable}_${targetTable}`, and from_/to_ columns when self-referential", () => {
    expect(model(ir, "Book")?.relations.find((r) => r.name === "tags")?.through).toEqual({
      table: "book_book_tag",
      sourceColumn: "book_id",
      targetColumn: "book_tag_id",
    });
    const friends = model(ir, "Person")?.relations;
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
    expect(model(ir, "Book")?.ordering).toEqual(["authorId", "-title"]);
    expect(model(ir, "Book")?.indexes).toEqual([["authorId", "title"]]);
  });
});

test("every field kind and option", () => {
  const ir = read("tests/schema/fixtures/every-field.schema.ts");
  const account = model(ir, "Account");
  expect(account?.fields).toEqual([
    field({
      name: "code",
      kind: "uuid",
      pk: true,
      default: "123e4567-e89b-12d3-a456-426614174000",
      loc: at(7, 7),
    }),
    field({
      name: "visits",
      kind: "int",
      default: 0,
      index: true,
      description: "page views",
      loc: at(8, 7),
    }),
    field({ name: "balance", column: "balance_cents", kind: "bigint", default: 10, loc: at(9, 7) }),
    field({ name: "rank", kind: "smallint", nullable: true, default: null, loc: at(10, 7) }),
    field({ name: "handle", kind: "char", maxLength: 30, unique: true, loc: at(11, 7) }),
    field({ name: "bio", kind: "text", nullable: true, loc: at(12, 7) }),
    field({ name: "active", kind: "boolean", default: true, loc: at(13, 7) }),
    field({ name: "score", kind: "float", default: -0.5, loc: at(14, 7) }),
    field({
      name: "credit",
      kind: "decimal",
      maxDigits: 12,
      decimalPlaces: 2,
      default: "0.00",
      loc: at(15, 7),
    }),
    field({
      name: "createdAt",
      column: "created_at",
      kind: "datetime",
      autoNowAdd: true,
      loc: at(16, 7),
    }),
    field({
      name: "updatedAt",
      column: "updated_at",
      kind: "datetime",
      autoNow: true,
      loc: at(17, 7),
    }),
    field({
      name: "trialEnds",
      column: "trial_ends",
      kind: "datetime",
      default: "2030-01-01T00:00:00Z",
      loc: at(18, 7),
    }),
    field({
      name: "birthday",
      kind: "date",
      nullable: true,
      default: "2000-02-29",
      loc: at(19, 7),
    }),
    field({ name: "wakeUp", column: "wake_up", kind: "time", default: "07:30:00", loc: at(20, 7) }),
    field({
      name: "settings",
      kind: "json",
      default: { theme: "dark", sizes: [1, 2] },
      loc: at(21, 7),
    }),
    field({ name: "avatar", kind: "binary", nullable: true, loc: at(22, 7) }),
    field({
      name: "state",
      kind: "charEnum",
      enumValues: ["new", "active", "closed"],
      maxLength: 6,
      default: "new",
      loc: at(23, 7),
    }),
    field({ name: "tier", kind: "intEnum", enumValues: [1, 2, 3], default: 1, loc: at(24, 7) }),
  ]);
  expect(account).toMatchObject({
    table: "accounts",
    pk: "code",
    ordering: ["-createdAt", "handle"],
    uniqueTogether: [["handle", "state"]],
    indexes: [["state", "tier"]],
    description: "A customer account",
  });
  expect(account?.relations.map((r) => [r.name, r.kind, r.target, r.inverse])).toEqual([
    ["invites", "reverseForeignKey", "Invite", "account"],
    ["invitation", "reverseOneToOne", "Invite", "guest"],
    ["groups", "reverseManyToMany", "Group", "members"],
    ["referrals", "reverseForeignKey", "Referral", "account"],
  ]);

  const invite = model(ir, "Invite");
  expect(invite?.fields.slice(1)).toEqual([
    field({
      name: "accountId",
      column: "acct",
      kind: "uuid",
      nullable: true,
      index: true,
      relation: "account",
      loc: at(35, 5),
    }),
    field({
      name: "guestId",
      column: "guest_id",
      kind: "uuid",
      unique: true,
      relation: "guest",
      loc: at(42, 5),
    }),
    field({ name: "label", kind: "char", maxLength: 20, loc: at(43, 5) }),
  ]);
  expect(invite?.relations.slice(0, 2)).toEqual([
    {
      name: "account",
      kind: "foreignKey",
      target: "Account",
      inverse: "invites",
      keyField: "accountId",
      onDelete: "SET NULL",
      nullable: true,
      description: "who invited",
      loc: at(35, 5),
    },
    {
      name: "guest",
      kind: "oneToOne",
      target: "Account",
      inverse: "invitation",
      keyField: "guestId",
      onDelete: "RESTRICT",
      nullable: false,
      loc: at(42, 5),
    },
  ]);

  const group = model(ir, "Group");
  expect(group?.fields).toEqual([
    field({ name: "id", kind: "char", maxLength: 8, pk: true, loc: at(46, 5) }),
  ]);
  expect(group?.relations[0]).toEqual({
    name: "members",
    kind: "manyToMany",
    target: "Account",
    inverse: "groups",
    nullable: false,
    through: { table: "group_members", sourceColumn: "group_id", targetColumn: "account_id" },
    description: "who belongs",
    loc: at(47, 5),
  });

  // A key takes the type of the target's primary key; a unique key needs no extra index.
  expect(model(ir, "Referral")?.fields.slice(1)).toEqual([
    field({
      name: "groupId",
      column: "group_id",
      kind: "char",
      maxLength: 8,
      unique: true,
      relation: "group",
      loc: at(54, 5),
    }),
    field({
      name: "accountId",
      column: "account_id",
      kind: "uuid",
      relation: "account",
      loc: at(55, 5),
    }),
  ]);
  expect(model(ir, "Referral")?.relations[0]).toMatchObject({ onDelete: "NO ACTION" });
});
