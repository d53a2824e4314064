// docs/api.md §3, "QuerySet": distinct(...fields), DISTINCT ON (Postgres).
import assert from "node:assert/strict";
import { Author, Book, NotSupportedError, YaraOrm } from "./generated/index.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
const grace = await Author.create({ name: "Grace" });
await Book.bulkCreate([
  { title: "Notes", price: "19.99", author: ada },
  { title: "Sketch", price: "7.50", author: ada },
  { title: "COBOL", price: "30.00", author: grace },
]);

// #region distinct-on
// The cheapest book of each author: SELECT DISTINCT ON (author_id) … ORDER BY author_id, price
const cheapest = Book.all().distinct("authorId").orderBy("price");
// On Postgres: [Sketch, COBOL]. On SQLite, awaiting it is a NotSupportedError.
// #endregion

if (YaraOrm.driver.dialect.name === "postgres") {
  assert.deepEqual(
    (await cheapest).map((b) => b.title),
    ["Sketch", "COBOL"],
  );
} else {
  await assert.rejects(Promise.resolve(cheapest), NotSupportedError);
}
await YaraOrm.close();
