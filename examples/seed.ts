// The seed example: create authors and books, query them, and run a transaction.
// Runs on the embedded SQLite default; pass a URL to use Postgres:
//   npm run example -- postgres://root@127.0.0.1:5432/test
import { fileURLToPath } from "node:url";
import {
  Author,
  Book,
  Count,
  F,
  IntegrityError,
  Q,
  Sum,
  Tag,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";

const url = process.argv[2] ?? "sqlite://:memory:";
await YaraOrm.init(url);
// The tables come from the migrations folder (yara-gen migrations make app.schema.ts --dir migrations).
await YaraOrm.migrate({ dir: fileURLToPath(new URL("./migrations", import.meta.url)) });

const ada = await Author.create({ name: "Ada", email: "ada@example.com" });
const grace = await Author.create({ name: "Grace" });
console.log(`created ${ada.name} (#${ada.id}) at ${ada.createdAt.toISOString()}`);

await Book.bulkCreate([
  { title: "Notes on the Analytical Engine", price: "19.99", author: ada, published: true },
  { title: "Sketch of the Engine", price: "7.50", authorId: ada.id },
  { title: "COBOL for Beginners", price: null, author: grace },
]);

// The query from api.md §3: a filter through a relation, newest first.
const hot = await Book.filter({ author__name: "Ada" }).orderBy("-id").limit(10);
for (const book of hot) console.log(`  ${book.title}  ${book.price ?? "n/a"}`);

const cheapOrUnpublished = await Book.filter(Q.or(Q({ price__lt: "10" }), Q({ published: false })))
  .orderBy("title")
  .valuesList("title", { flat: true });
console.log("cheap or unpublished:", cheapOrUnpublished);

await Book.filter({ author: ada }).update({ price: F("price").add(1) });
console.log(
  "Ada's books after a price rise:",
  await Book.filter({ author: ada }).values("title", "price"),
);

// Relations: a many-to-many manager, a JOIN for the author, one extra query per prefetch level.
const [engine] = await Book.filter({ title__contains: "Engine" }).selectRelated("author");
const history = await Tag.create({ name: "history" });
await engine!.tags.add(history);
console.log(`${engine!.title} by ${engine!.author.name}, tagged ${await engine!.tags.count()}`);
for (const author of await Author.all().orderBy("name").prefetchRelated("books__tags")) {
  const tags = author.books.loaded.flatMap((b) => b.tags.loaded.map((t) => t.name));
  console.log(`  ${author.name}: ${author.books.loaded.length} book(s), tags [${tags.join(", ")}]`);
}

// Aggregates over a relation, typed: n is a number, total a decimal string or null.
for (const row of await Author.all()
  .annotate({ n: Count("books"), total: Sum("books__price") })
  .filter({ n__gte: 1 })
  .orderBy("-n")
  .values("name", "n", "total"))
  console.log(`  ${row.name}: ${row.n} book(s), ${row.total ?? "n/a"} in total`);

// A transaction: both books are written, or neither is.
try {
  await inTransaction(async () => {
    await Book.create({ title: "Atomic", author: grace });
    await Book.create({ title: "Atomic", author: grace }); // violates unique (title, author)
  });
} catch (error) {
  if (!(error instanceof IntegrityError)) throw error;
  console.log(`rolled back: ${error.kind} constraint ${error.constraint ?? "(unnamed)"}`);
}
console.log(`Grace has ${await Book.filter({ author: grace }).count()} book(s)`);

await YaraOrm.close();
