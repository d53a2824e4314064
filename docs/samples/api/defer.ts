// docs/api.md §3, "QuerySet": defer().
import assert from "node:assert/strict";
import { Author, Book, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Book.create({ title: "Notes", price: "19.99", author: ada });

// #region defer
const [book] = await Book.all().defer("title", "price"); // SELECT id, published, author_id …
book!.published;            // boolean
// book!.title;             // compile error: Property 'title' does not exist
await book!.refreshFromDb(["title"]); // loads it (the type still leaves it out: query for it)
// #endregion

typeIs<boolean>()(book!.published);
// @ts-expect-error: the deferred field is not on the type
void book!.title;
assert.equal((book as unknown as Book).title, "Notes");
assert.equal((book as unknown as Book).price, undefined);
await YaraOrm.close();
