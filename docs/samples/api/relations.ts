// docs/api.md §3, "Relations": the RelatedManager of a to-many relation.
import assert from "node:assert/strict";
import { Author, Book, Tag, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
const grace = await Author.create({ name: "Grace" });
const book = await Book.create({ title: "Notes", author: ada, published: true });
await Book.create({ title: "Sketch", author: ada });
const sf = await Tag.create({ name: "sf" });
const classic = await Tag.create({ name: "classic" });
const third = await Tag.create({ name: "history" });
assert.equal(third.id, 3); // the sample adds tag 3 by its key
const tag = await Tag.create({ name: "favourite" });

// #region manager
await ada.books.all();                        // Book[] (a QuerySet: chain filter, orderBy, values…)
await ada.books.filter({ published: true }).count();
await ada.books.count();                      // also exclude(), exists()
await grace.books.add(book);                  // UPDATE books SET author_id = grace.id WHERE id IN (…)
await book.tags.add(sf, classic, 3);          // instances or keys; adding a pair twice is harmless
await book.tags.remove(sf);                   // DELETE the join rows
await book.tags.clear();
await tag.books.add(book);                    // the reverse side of a many-to-many works the same
await book.fetchRelated("tags");              // or prefetchRelated("tags") on a query
book.tags.loaded;                             // Tag[] loaded by prefetchRelated / fetchRelated
// #endregion

typeIs<Book[]>()(await ada.books.all());
typeIs<Tag[]>()(book.tags.loaded);
assert.deepEqual(await ada.books.all().orderBy("title").values("title"), [{ title: "Sketch" }]);
assert.equal(await ada.books.exclude({ published: true }).count(), 1);
assert.equal(await grace.books.exists(), true);
assert.equal((await Book.get({ id: book.id })).authorId, grace.id); // moved by grace.books.add
assert.deepEqual(
  book.tags.loaded.map((t) => t.name),
  ["favourite"],
);
await book.tags.add(tag); // the pair again: harmless
assert.equal(await book.tags.count(), 1);
await YaraOrm.close();
