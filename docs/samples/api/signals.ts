// docs/api.md §3, "Signals and hooks": model signals and the query hook.
import assert from "node:assert/strict";
import { Author, Book, YaraOrm } from "./generated/index.js";

const traced: string[] = [];
// #region query-hook
await YaraOrm.init("sqlite://:memory:", {
  onQuery: ({ sql }) => {
    const started = performance.now(); // e.g. open a tracing span here
    return ({ rowCount, durationMs, error }) => {
      traced.push(`${sql.split(" ")[0]} ${rowCount} ${error ? "failed" : "ok"}`);
      void [started, durationMs];
    };
  },
});
// #endregion
await YaraOrm.generateSchemas();
const ada = await Author.create({ name: "Ada" });
assert.deepEqual(traced.at(-1), "INSERT 1 ok");

const audit: string[] = [];
// #region signals
const off = Book.on("postSave", async (book, { created }) => {
  audit.push(`${created ? "created" : "updated"} ${book.title}`); // inside the save's transaction
});
const offDelete = Book.on("preDelete", (book) => {
  if (book.published) throw new Error("published books stay"); // rolls the delete back
});
const offUpdate = Book.on("queryUpdate", ({ count }) => void audit.push(`${count} rows updated`));

const book = await Book.create({ title: "Notes", author: ada }); // "created Notes"
book.published = true;
await book.save();                                               // "updated Notes"
await book.delete().catch((e: Error) => e.message);              // "published books stay"
await Book.filter({ published: true }).update({ price: "5.00" }); // "1 rows updated"
off(); // each on() returns its unsubscribe
// #endregion
offDelete();
offUpdate();
assert.equal(Book.objects.hooks, undefined); // none left: save() and delete() pay one check

assert.deepEqual(audit, ["created Notes", "updated Notes", "1 rows updated"]);
assert.equal(await Book.all().count(), 1);
await YaraOrm.close();
