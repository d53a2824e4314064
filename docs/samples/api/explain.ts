// docs/api.md §3, "QuerySet": explain().
import assert from "node:assert/strict";
import { Author, Book, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Book.create({ title: "Notes", author: ada });

// #region explain
const plan = await Book.filter({ title: "Notes" }).explain();
// Postgres: EXPLAIN's lines as it writes them ("Seq Scan on books  (cost=…)\n  Filter: …")
// SQLite:   EXPLAIN QUERY PLAN drawn as the sqlite3 shell does
//           ("`--SEARCH books USING INDEX books_title_idx (title=?)")
// MySQL:    EXPLAIN FORMAT=JSON, MariaDB's plan as one JSON document
// #endregion

typeIs<string>()(plan);
const expected = {
  postgres: / on books\b/,
  sqlite: /^(\||`)--(SEARCH|SCAN) books\b/,
  mysql: /"table_name": "books"/,
}[YaraOrm.driver.dialect.name];
assert.match(plan, expected);
await YaraOrm.close();
