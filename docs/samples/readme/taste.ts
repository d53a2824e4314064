// README.md, "A taste": the client generated from ./app.schema.ts in use.
import assert from "node:assert/strict";
// #region taste
import { Author, Book, YaraOrm, inTransaction } from "./generated/index.js";

await YaraOrm.init("sqlite://./app.db"); // or "postgres://user@host:5432/db"
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await inTransaction(async () => {
  await Book.create({ title: "Notes", price: "19.99", author: ada });
});
const books = await Book.filter({ author__name: "Ada", price__lt: "20" }).orderBy("-id").limit(10);
// #endregion

assert.deepEqual(
  books.map((b) => [b.title, b.price, b.authorId]),
  [["Notes", "19.99", ada.id]],
);
await YaraOrm.close();
