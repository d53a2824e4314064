/**
 * `pull` and `through`: a join table is written as `through: "<table>"`, which names a through
 * model when it starts with a capital letter; such a table is listed as not pulled instead of
 * becoming a schema that names a model nobody declared.
 */
import { expect, it } from "vitest";
import type { DbTable } from "../../generator/pull/database-schema.js";
import { schemaSource } from "../../generator/pull/write-schema.js";

const column = (name: string, auto = false) => ({
  name,
  kind: "int" as const,
  notNull: true,
  auto,
});
const table = (name: string): DbTable => ({
  name,
  columns: [column("id", true)],
  primaryKey: ["id"],
  uniques: [],
  foreignKeys: [],
  indexes: [],
});
const joinTable = (name: string): DbTable => ({
  name,
  columns: [column("book_id"), column("tag_id")],
  primaryKey: ["book_id", "tag_id"],
  uniques: [],
  indexes: [],
  foreignKeys: [
    { column: "book_id", table: "book", onDelete: "CASCADE" },
    { column: "tag_id", table: "tag", onDelete: "CASCADE" },
  ],
});

it("a lowercase join table is pulled as the relation's through table", () => {
  const source = schemaSource([table("book"), table("tag"), joinTable("book_tags")], "db");
  expect(source).toContain(`tags: fields.ManyToManyField("Tag", { through: "book_tags" }),`);
  expect(source).not.toContain("Not pulled");
});

it("a join table named with a capital letter is listed as not pulled", () => {
  const source = schemaSource([table("book"), table("tag"), joinTable("BookTags")], "db");
  expect(source).toContain(
    "// Not pulled: BookTags: a join table whose name starts with a capital letter (`through` so written names a through model).",
  );
  expect(source).not.toContain("ManyToManyField");
});
