// docs/api.md §3, "Aggregation": aggregates over a relation, and grouped aggregates.
import assert from "node:assert/strict";
import { Author, Avg, Book, Count, Max, Sum, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

const statements: string[] = [];
await YaraOrm.init("sqlite://:memory:", { log: (event) => statements.push(event.sql) });
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
const grace = await Author.create({ name: "Grace" });
await Author.create({ name: "Edsger" }); // no books: filtered out by n__gte
await Book.bulkCreate([
  { title: "Notes", price: "19.99", author: ada },
  { title: "Sketch", price: "7.50", author: ada },
  { title: "COBOL", price: "30.00", author: grace },
  { title: "Compilers", price: null, author: grace },
]);

// #region aggregation
const authors = await Author.all()
  .annotate({ n: Count("books"), total: Sum("books__price"), avg: Avg("books__price") })
  .filter({ n__gte: 1 })
  .orderBy("-total");
authors[0]!.n;      // number
authors[0]!.total;  // string | null: a sum of decimals stays an exact decimal string
authors[0]!.avg;    // number | null

const groups = await Book.all()
  .annotate({ n: Count(), top: Max("price") })
  .groupBy("author__name")
  .filter({ n__gt: 1 })                       // HAVING COUNT(*) > $1
  .values("author__name", "n", "top");        // { author__name: string; n: number; top: string | null }[]
// #endregion

typeIs<number>()(authors[0]!.n);
typeIs<string | null>()(authors[0]!.total);
typeIs<number | null>()(authors[0]!.avg);
assert.deepEqual(
  authors.map((a) => [a.name, a.n, a.total, a.avg]),
  [
    ["Grace", 2, "30.00", 30],
    ["Ada", 2, "27.49", 13.745],
  ],
);

const having = {
  postgres: "HAVING COUNT(*) > $1",
  sqlite: "HAVING COUNT(*) > +?",
  mysql: "HAVING COUNT(*) > ?",
}[YaraOrm.driver.dialect.name];
assert.ok(
  statements.some((sql) => sql.includes(having)),
  `no statement has ${having}:\n${statements.join("\n")}`,
);
typeIs<{ author__name: string; n: number; top: string | null }[]>()(groups);
const sorted = [...groups].sort((a, b) => a.author__name.localeCompare(b.author__name));
assert.deepEqual(sorted, [
  { author__name: "Ada", n: 2, top: "19.99" },
  { author__name: "Grace", n: 2, top: "30.00" },
]);
await YaraOrm.close();
