/**
 * `unknownColumnOfSchema` (runtime/driver/missing-schema.ts): whether a column MariaDB reports
 * unknown could be one the database lacks — a column the registered models give a table they
 * know.
 */
import { describe, expect, it } from "vitest";
import { unknownColumnOfSchema } from "../../../runtime/driver/missing-schema.js";
// Registers the feature schema's models: tables "author", "books", "item", join "books_tag"…
import "../../features/generated/index.js";

describe("unknownColumnOfSchema", () => {
  it.each([
    ["a model's column of its table", "author.name", true],
    ["named with its database", "test.author.name", true],
    ["a join table's column", "books_tag.tag_id", true],
    ["a derived table's column", "t.b", false],
    ["a table no model has", "other.name", false],
    ["a column no model gives the table", "author.nope", false],
    ["a bare column of a model", "body", true],
    ["a bare alias", "nn", false],
  ] as const)("%s", (_what, name, expected) => {
    expect(unknownColumnOfSchema(name)).toBe(expected);
  });
});
