// docs/scaling.md, "Read replicas", run on every database (the replicas are the same database
// in the test, a replica that never lags).
import assert from "node:assert/strict";
import { Author, Book, ReadReplicaRouter, YaraOrm, inTransaction } from "./generated/index.js";

// #region replicas
const router = new ReadReplicaRouter({
  primary: "default",
  replicas: ["replica1", "replica2"],
  whenReplicasDown: "primary", // or "fail"
  retryAfterMs: 1_000, // a replica that failed is tried again after 1 s, 2 s, 4 s … 30 s
  readTimeoutMs: 2_000, // a replica read not answered in 2 s goes to the next server
  readYourWritesMs: 500, // after a write, its scope reads from the primary for 500 ms
});
await YaraOrm.init({
  connections: {
    default: "postgres://app@db-primary:5432/shop",
    // optional: a replica down while the app starts does not fail the init (below)
    replica1: { url: "postgres://app@db-replica-1:5432/shop", optional: true },
    replica2: { url: "postgres://app@db-replica-2:5432/shop", optional: true },
  },
  routers: [router],
});
// #endregion
await YaraOrm.generateSchemas();

// #region routing
const ann = await Author.create({ name: "Ann" }); // primary
const authors = await Author.all(); // replica1, then replica2 on the next read, …
const locked = await inTransaction(
  () => Author.filter({ id: ann.id }).selectForUpdate().get(), // primary: in a transaction
);
// #endregion
assert.equal(authors.length, 1);
assert.equal(locked.name, "Ann");

// #region scope
// One scope per request (a middleware): its reads see its own writes.
await router.scope(async () => {
  const book = await Book.create({ title: "Dune", authorId: ann.id }); // primary
  const same = await Book.get({ id: book.id }); // primary: 500 ms after this scope's write
  assert.equal(same.title, "Dune");
});
// #endregion
await YaraOrm.close();
