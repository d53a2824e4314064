// docs/api.md §3, "QuerySet": values() across to-many relations.
import assert from "node:assert/strict";
import { Author, Book, Tag, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Author.create({ name: "Edsger" });
const notes = await Book.create({ title: "Notes", author: ada });
await Book.create({ title: "Sketch", author: ada });
await notes.tags.add(await Tag.create({ name: "sf" }));

// #region values-to-many
const rows = await Author.all().values("name", "books__title").orderBy("name", "books__title");
// [{ name: "Ada", books__title: "Notes" }, { name: "Ada", books__title: "Sketch" },
//  { name: "Edsger", books__title: null }]     typed { name: string; books__title: string | null }[]
const tags = await Book.all().valuesList("title", "tags__name").orderBy("title");
// [["Notes", "sf"], ["Sketch", null]]
// #endregion

typeIs<{ name: string; books__title: string | null }[]>()(rows);
assert.deepEqual(rows, [
  { name: "Ada", books__title: "Notes" },
  { name: "Ada", books__title: "Sketch" },
  { name: "Edsger", books__title: null },
]);
typeIs<[string, string | null][]>()(tags);
assert.deepEqual(tags, [
  ["Notes", "sf"],
  ["Sketch", null],
]);
await YaraOrm.close();
