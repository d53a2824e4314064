// docs/api.md §3, "The generated client".
import assert from "node:assert/strict";
// #region client
import { Author, Book, YaraOrm, inTransaction } from "./generated/index.js";

await YaraOrm.init("sqlite://:memory:"); // "sqlite://./app.db", "sqlite:///abs/app.db", "postgres://user@host:5432/db"
await YaraOrm.generateSchemas(); // CREATE TABLE / INDEX IF NOT EXISTS, join tables included
const ada = await Author.create({ name: "Ada" });
const hot = await Book.filter({ author__name: "Ada" }).orderBy("-id").limit(10);
await YaraOrm.close();
// #endregion

assert.equal(ada.name, "Ada");
assert.deepEqual(hot, []);
