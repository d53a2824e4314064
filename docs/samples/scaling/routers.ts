// docs/scaling.md, "Routers", run on every database.
import assert from "node:assert/strict";
import { Author, YaraOrm, type Router } from "./generated/index.js";

// #region router
/** Reports read from the "reporting" connection; everything else as usual. */
const reporting: Router = {
  dbForRead: (model, hints) =>
    model.name === "Author" && !hints.inTransaction ? "reporting" : undefined,
  dbForWrite: () => undefined, // no opinion: the model's connection, else "default"
};
await YaraOrm.init({
  connections: {
    default: "postgres://app@db-main:5432/shop",
    reporting: "postgres://app@db-reporting:5432/shop",
  },
  routers: [reporting],
});
// #endregion
await YaraOrm.generateSchemas();
await Author.create({ name: "Ann" });
assert.equal(await Author.all().count(), 1);
await YaraOrm.close();
