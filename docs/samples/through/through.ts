// docs/api.md §1, "Many-to-many through a model", run on every database.
import assert from "node:assert/strict";
import { Book, BookTag, Tag, ValidationError, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const dune = await Book.create({ title: "Dune" });
const sf = await Tag.create({ name: "sf" });
const classic = await Tag.create({ name: "classic" });

// #region through
await dune.tags.add(sf, classic, { throughDefaults: { note: "from the list" } });
const tags = await dune.tags.filter({ name__startswith: "s" }); // joins through book_tag
const books = await Book.filter({ tags__name: "classic" });
const rows = await BookTag.filter({ book: dune }).orderBy("addedAt"); // the join rows
await BookTag.filter({ book: dune, tag: sf }).update({ note: "a favourite" });
await dune.tags.remove(classic); // DELETE the BookTag row
// #endregion
typeIs<Tag[]>()(tags);
assert.deepEqual(
  tags.map((t) => t.name),
  ["sf"],
);
assert.deepEqual(
  books.map((b) => b.title),
  ["Dune"],
);
typeIs<BookTag[]>()(rows);
assert.deepEqual(rows.map((r) => r.note), ["from the list", "from the list"]);
assert.deepEqual(await BookTag.all().valuesList("note", { flat: true }), ["a favourite"]);
await assert.rejects(dune.tags.add(classic as never), ValidationError);
await YaraOrm.close();
