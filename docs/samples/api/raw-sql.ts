// docs/api.md §3, "Statements outside any model": YaraOrm.query / YaraOrm.execute.
import assert from "node:assert/strict";
import { Author, Book, YaraOrm, inTransaction } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Book.bulkCreate([
  { title: "Notes", price: "19.99", author: ada },
  { title: "Sketch", price: null, author: ada },
]);
const p = YaraOrm.driver.dialect.name === "postgres" ? "$1" : "?"; // placeholders as the database writes them

// #region raw-sql
const rows = await YaraOrm.query<{ title: string; n: number }>(
  `SELECT title, COUNT(*) AS n FROM books WHERE author_id = ${p} GROUP BY title ORDER BY title`,
  [ada.id],
); // [{ title: "Notes", n: 1 }, { title: "Sketch", n: 1 }]
const changed = await YaraOrm.execute(`UPDATE books SET published = ${p}`, [true]); // 2

await inTransaction(async () => {
  await YaraOrm.execute("DELETE FROM books"); // on the transaction's connection…
  throw new Error("changed my mind"); // …so the rollback undoes it
}).catch(() => undefined);
// #endregion

typeIs<{ title: string; n: number }[]>()(rows);
assert.deepEqual(rows, [
  { title: "Notes", n: 1 },
  { title: "Sketch", n: 1 },
]);
assert.equal(changed, 2);
assert.equal(await Book.filter({ published: true }).count(), 2);
await YaraOrm.close();
