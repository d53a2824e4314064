// docs/api.md §3, "Relations": Prefetch() with a query set and toAttr.
import assert from "node:assert/strict";
import { Author, Book, Prefetch, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Book.bulkCreate([
  { title: "Notes", price: "19.99", author: ada, published: true },
  { title: "Sketch", price: "7.50", author: ada },
  { title: "Atlas", price: "30.00", author: ada, published: true },
]);

// #region prefetch
const authors = await Author.all().prefetchRelated(
  Prefetch("books", { queryset: Book.filter({ published: true }).orderBy("title") }),
  Prefetch("books", { queryset: Book.all().orderBy("-price"), toAttr: "byPrice" }),
);
authors[0]!.books.loaded;   // [Atlas, Notes]: the published books, by title
authors[0]!.byPrice;        // Book[] [Atlas, Notes, Sketch]
// #endregion

typeIs<Book[]>()(authors[0]!.byPrice);
assert.deepEqual(
  authors[0]!.books.loaded.map((b) => b.title),
  ["Atlas", "Notes"],
);
assert.deepEqual(
  authors[0]!.byPrice.map((b) => b.title),
  ["Atlas", "Notes", "Sketch"],
);
await YaraOrm.close();
