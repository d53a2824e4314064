// docs/api.md §3, "Transactions": isolation levels, access modes, retry, SQLite's behaviors.
import assert from "node:assert/strict";
import {
  Author,
  Book,
  NotSupportedError,
  SerializationError,
  TransactionConflictError,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
await Book.create({ title: "Notes", price: "10.00", author: ada });
const postgres = YaraOrm.driver.dialect.name === "postgres";

// #region isolation
// Postgres: one BEGIN ISOLATION LEVEL SERIALIZABLE; a conflict with a concurrent transaction
// runs the callback again, up to 3 more times, before its SerializationError reaches you.
const raise = (title: string) =>
  inTransaction(
    async () => {
      const book = await Book.get({ title });
      await Book.filter({ id: book.id }).update({ price: (Number(book.price) + 1).toFixed(2) });
    },
    { isolation: "serializable", retry: 3 },
  );

// A report that sees one snapshot and can never write.
const report = () =>
  inTransaction(() => Book.all().count(), { isolation: "repeatable read", readOnly: true });

// SQLite: when the write lock is taken ("immediate" is the default).
const tally = () => inTransaction(() => Book.all().count(), { behavior: "deferred" });
// #endregion

if (postgres || YaraOrm.driver.dialect.name === "mysql") {
  // MySQL: SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, then START TRANSACTION.
  await raise("Notes");
  assert.equal((await Book.get({ title: "Notes" })).price, "11.00");
  assert.equal(await report(), 1);
  await assert.rejects(tally(), NotSupportedError);
} else {
  assert.equal(await tally(), 1);
  await assert.rejects(raise("Notes"), NotSupportedError);
}
assert.ok(SerializationError.prototype instanceof TransactionConflictError);
await YaraOrm.close();
