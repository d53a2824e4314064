// docs/api.md §1, "Abstract models (mixins)", run on every database.
import assert from "node:assert/strict";
import { Author, Post, YaraOrm } from "./generated/index.js";
import { typeIs } from "../type-is.js";

await YaraOrm.init("sqlite://:memory:");
await YaraOrm.generateSchemas();

// #region mixins
const ada = await Author.create({ name: "Ada" }); // createdAt, updatedAt: set on insert
const post = await Post.create({ title: "Notes" });
const live = await Post.filter({ deleted: false }).valuesList("title", { flat: true });
// #endregion
typeIs<Date>()(ada.createdAt);
typeIs<Date>()(post.updatedAt);
typeIs<boolean>()(post.deleted);
assert.deepEqual(live, ["Notes"]);
assert.deepEqual(
  Post.meta.fields.map((f) => f.column),
  ["id", "created_at", "updated_at", "deleted", "title"],
);
await YaraOrm.close();
