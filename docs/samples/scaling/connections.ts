// docs/scaling.md, "Named connections", run on every database.
import assert from "node:assert/strict";
import { Author, PageView, YaraOrm, inTransaction } from "./generated/index.js";

// #region connections
await YaraOrm.init({
  connections: {
    default: "postgres://app@db-main:5432/shop",
    analytics: { url: "postgres://app@db-analytics:5432/events", pool: { max: 4 } },
  },
});
await YaraOrm.generateSchemas(); // Author, Book: the models on "default" (and on none)
await YaraOrm.generateSchemas({ using: "analytics" }); // PageView
// #endregion

// #region using
await PageView.create({ path: "/" }); // its schema says "analytics"
const views = await PageView.filter({ path: "/" }).count();
const ann = await Author.create({ name: "Ann" }); // "default"
const copies = await Author.using("analytics").all().count(); // any model, on a named connection
await Author.objects.using("analytics").create({ name: "Ann (copy)" });
await inTransaction(
  async () => {
    await PageView.create({ path: "/about" });
    await PageView.create({ path: "/contact" });
  },
  { using: "analytics" },
);
// #endregion
// #region instances
const copy = await Author.using("analytics").get({ name: "Ann (copy)" });
copy.name = "Ann (archived)";
await copy.save(); // written to "analytics", where it was read
const draft = Author.build({ name: "Bea" });
await draft.save({ using: "analytics" }); // Django's save(using=…); draft now belongs there
// #endregion
assert.equal(await Author.using("analytics").filter({ name: "Ann (archived)" }).count(), 1);
assert.equal(await Author.using("analytics").filter({ name: "Bea" }).count(), 1);
assert.equal(views, 1);
assert.equal(typeof ann.id, "number");
assert.equal(typeof copies, "number");
assert.equal(await PageView.all().count(), 3);
await YaraOrm.close();
