// The calls docs/api.md quotes inline in its prose. Each `// docs/api.md: \`…\`` line quotes a
// code span of that file verbatim (tests/docs/samples.test.ts checks it is there and that the
// statement below contains it); the statement runs it and the asserts check what the prose says.
import assert from "node:assert/strict";
import {
  Author,
  Book,
  Coalesce,
  Count,
  F,
  Q,
  Tag,
  Upper,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada", email: "ADA" });
await Author.create({ name: "Edsger" });
await Author.create({ name: "GRACE", email: "grace" });
const book = await Book.create({ title: "SQL Notes", price: "5.00", author: ada, published: true });
await Book.create({ title: "ÉCOLE", price: "9.99", author: ada });
await book.tags.add(await Tag.create({ name: "sf" }));

// §3 Instances
// docs/api.md: `await book.fetchRelated("author", "tags")`
await book.fetchRelated("author", "tags");
assert.equal(book.author.name, "Ada");
assert.deepEqual(
  book.tags.loaded.map((t) => t.name),
  ["sf"],
);
// docs/api.md: `await ada.fetchRelated("books__tags")`
await ada.fetchRelated("books__tags");
assert.equal(ada.books.loaded.length, 2);

// §3 QuerySet
// docs/api.md: `limit(0).first()`
assert.equal(await Book.all().limit(0).first(), null);
// docs/api.md: `limit(0).exists()`
assert.equal(await Book.all().limit(0).exists(), false);
// docs/api.md: `values("title", "author__name")`
const titles = await Book.all().orderBy("id").values("title", "author__name");
typeIs<{ title: string; author__name: string }[]>()(titles);
assert.deepEqual(titles, [
  { title: "SQL Notes", author__name: "Ada" },
  { title: "ÉCOLE", author__name: "Ada" },
]);
// docs/api.md: `"author"` loads `authorId` (in `only(...fields)`)
const [onlyAuthor] = await Book.all().orderBy("id").only("author");
assert.equal(onlyAuthor!.authorId, ada.id);

// §3 Lookups
// docs/api.md: `Author.filter({ books__title__contains: "SQL" })`
assert.deepEqual(
  (await Author.filter({ books__title__contains: "SQL" })).map((a) => a.name),
  ["Ada"],
);
// docs/api.md: `title__iexact: "école"`
assert.equal(await Book.filter({ title__iexact: "école" }).count(), 1);
// docs/api.md: `Author.filter({ books__isnull: true })` is the authors without books
assert.deepEqual((await Author.filter({ books__isnull: true })).map((a) => a.name).sort(), [
  "Edsger",
  "GRACE",
]);
// docs/api.md: `price__lt: "5.005"` compares as a number
assert.equal(await Book.filter({ price__lt: "5.005" }).count(), 1);
// docs/api.md: `price: "5.001"` matches nothing
assert.equal(await Book.filter({ price: "5.001" }).count(), 0);
// docs/api.md: `Q.or()` is dropped
assert.equal(await Book.filter(Q.and({ title: "SQL Notes" }, Q.or())).count(), 1);

// §3 Aggregation
// docs/api.md: `Count("books__authorId", { distinct: true })`
const [distinct] = await Author.filter({ id: ada.id }).annotate({
  n: Count("books__authorId", { distinct: true }),
});
assert.equal(distinct!.n, 1);
// docs/api.md: `Coalesce("email", "none")` → `string`
const coalesced = await Author.all()
  .annotate({ e: Coalesce("email", "none") })
  .orderBy("id")
  .values("name", "e");
typeIs<string>()(coalesced[0]!.e);
assert.deepEqual(
  coalesced.map((row) => row.e),
  ["ADA", "none", "grace"],
);
// docs/api.md: `filter({ name: Upper("email") })`
assert.equal(await Author.filter({ name: Upper("email") }).count(), 1);

// §3 Expressions
const id = book.id;
// docs/api.md: `Book.filter({ id }).update({ price: F("price").add(1) })`
assert.equal(await Book.filter({ id }).update({ price: F("price").add(1) }), 1);
assert.equal((await Book.get({ id })).price, "6.00");

// §3 Transactions
// docs/api.md: `inTransaction(() => Book.filter({ published: true }))`
const published = await inTransaction(() => Book.filter({ published: true }));
typeIs<Book[]>()(published);
assert.deepEqual(
  published.map((b) => b.title),
  ["SQL Notes"],
);

await YaraOrm.close();
