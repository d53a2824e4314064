// docs/api.md §3, "Instances": unsaved instances, copies, in-memory changes and relation writes.
import assert from "node:assert/strict";
import { Author, Book, Tag, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
const grace = await Author.create({ name: "Grace" });

// #region build
const draft = Book.build({ title: "Notes", author: ada }); // typed as create(); no SQL yet
draft.published;                     // false: defaults are filled in
await draft.save();                  // INSERT … RETURNING: draft.id is set

const copy = draft.clone();          // unsaved, without the key
copy.updateFromDict({ title: "Notes, 2nd ed.", price: "12.50" }); // checked as update() data
await copy.save();                   // a second row

await Book.filter({ id: draft.id }).update({ price: "9.00" });
await draft.refreshFromDb(["price"]); // reloads just that field
// #endregion

typeIs<Book>()(draft);
typeIs<Book>()(copy);
assert.equal(draft.published, false);
assert.equal(typeof draft.id, "number");
assert.notEqual(copy.id, draft.id);
assert.deepEqual(await Book.all().orderBy("id").valuesList("title", "price"), [
  ["Notes", "9.00"],
  ["Notes, 2nd ed.", "12.50"],
]);
assert.equal(draft.price, "9.00");

// #region relation-writes
draft.author = grace;                                // sets draft.authorId too
await draft.save();                                  // UPDATE books SET author_id = …
const sketch = await ada.books.create({ title: "Sketch" }); // the author is filled in
const [sf, created] = await sketch.tags.getOrCreate({ name: "sf" }); // [Tag, true], and paired
// #endregion

assert.equal((await Book.get({ id: draft.id })).authorId, grace.id);
assert.equal(sketch.authorId, ada.id);
typeIs<Tag>()(sf);
assert.equal(created, true);
assert.deepEqual(await sketch.tags.all().valuesList("name", { flat: true }), ["sf"]);

// #region bulk-update
const books = await Book.all().orderBy("id");
for (const book of books) book.published = true;
const changed = await Book.bulkUpdate(books, ["published"], { batchSize: 500 });
// one statement per batch, the table joined with the rows by key:
// WITH "yara_rows" ("yara_key", "yara_v0") AS (VALUES (CAST($1 AS INTEGER), CAST($2 AS BOOLEAN)), ($3, $4), …)
// UPDATE books SET published = "yara_rows"."yara_v0" FROM "yara_rows" WHERE books.id = "yara_rows"."yara_key"
// #endregion

assert.equal(changed, 3);
assert.equal(await Book.filter({ published: false }).count(), 0);

// #region pick-rows
await Book.last();                    // reverses the ordering (Book's is -id): the first book
await Book.earliest("title");         // "Notes"; DoesNotExist when there are no rows
await Book.latest("title", "-id");   // "Sketch": orders by -title, then id
const byEmail = await Author.inBulk(["ada@x.org"], { field: "email" }); // Map<string, Author>
// #endregion

assert.equal((await Book.last())!.id, draft.id);
assert.equal((await Book.earliest("title")).title, "Notes");
assert.equal((await Book.latest("title", "-id")).title, "Sketch");
typeIs<Map<string, Author>>()(byEmail);
assert.equal(byEmail.size, 0);

// #region fetch-for-list
const list = await Book.all().orderBy("title");
await Book.fetchForList(list, "author", "tags"); // one query per level for the whole list
list[0]!.author.name;                            // "Grace"
// #endregion

assert.equal(list[0]!.author.name, "Grace");
assert.deepEqual(
  list.map((b) => b.tags.loaded.length),
  [0, 0, 1],
);
await YaraOrm.close();
