/**
 * runtime/driver/missing-schema.ts: whether a column a database reports unknown could be one it
 * lacks — a column the registered models give the table named, or any table when the name is an
 * alias's or bare — whether a table it reports unknown is one of the models', and how each
 * database's message names them.
 */
import { describe, expect, it } from "vitest";
import {
  pgMissingObject,
  sqliteMissingObject,
  unknownColumnOfSchema,
  unknownTableOfSchema,
} from "../../../runtime/driver/missing-schema.js";
// Registers the feature schema's models: tables "author", "books", "item", join "books_tag"…
import "../../features/generated/index.js";

describe("unknownColumnOfSchema", () => {
  it.each([
    ["a model's column of its table", "author.name", true],
    ["named with its database", "test.author.name", true],
    ["a join table's column", "books_tag.tag_id", true],
    ["a model's column through an alias", "t1.name", true],
    ["a derived table's column", "t.b", false],
    ["a column no model gives the table", "author.nope", false],
    ["a column of another table than the one named", "author.body", false],
    ["a bare column of a model", "body", true],
    ["a bare alias", "nn", false],
  ] as const)("%s", (_what, name, expected) => {
    expect(unknownColumnOfSchema(name)).toBe(expected);
  });
});

describe("unknownTableOfSchema", () => {
  it.each([
    ["a model's table", "author", true],
    ["in another case", "Author", true],
    ["named with its schema or database", "test.books", true],
    ["a join table", "books_tag", true],
    ["a table no model has", "bokks", false],
  ] as const)("%s", (_what, name, expected) => {
    expect(unknownTableOfSchema(name)).toBe(expected);
  });
});

describe("the column a message names", () => {
  it.each([
    ["column t1.body does not exist", "column"],
    ['column "body" of relation "item" does not exist', "column"],
    ['column "body" does not exist', "column"],
    ["column t.b does not exist", undefined],
    ['column "nn" does not exist', undefined],
    ['column "nope" of relation "author" does not exist', undefined],
  ] as const)("Postgres: %s", (message, expected) => {
    expect(pgMissingObject("42703", message)).toBe(expected);
  });

  it("Postgres: a missing table, and a message of another form", () => {
    expect(pgMissingObject("42P01", 'relation "books" does not exist')).toBe("table");
    expect(pgMissingObject("42P01", 'relation "public.books_tag" does not exist')).toBe("table");
    expect(pgMissingObject("42P01", 'relation "bokks" does not exist')).toBeUndefined();
    expect(pgMissingObject("42P01", "another form")).toBe("table");
    expect(pgMissingObject("42703", "something else")).toBe("column");
    expect(pgMissingObject("23505", "duplicate key")).toBeUndefined();
  });

  it.each([
    ["no such column: t1.body", "column"],
    ['no such column: "body" - should this be a string literal in single-quotes?', "column"],
    ["table item has no column named body", "column"],
    ["no such column: t.b", undefined],
    ["table author has no column named nope", undefined],
    ["no such table: author", "table"],
    ["no such table: main.books", "table"],
    ["no such table: nowhere", undefined],
  ] as const)("SQLite: %s", (message, expected) => {
    expect(sqliteMissingObject(message)).toBe(expected);
  });
});
