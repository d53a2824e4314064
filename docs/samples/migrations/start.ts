// docs/migrations.md, "From code": an app migrating its database on start. The folder is
// ./migrations beside this file (0001 creates Book, 0002 adds its slug, filling "" for rows
// that exist).
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Book, YaraOrm } from "./generated/index.js";

const url = "sqlite://:memory:";
const cwd = process.cwd();
process.chdir(dirname(fileURLToPath(import.meta.url)));

// #region start
await YaraOrm.init(url);
await YaraOrm.migrate({ dir: "./migrations" }); // or { dir, target: "0003" }, or { dir, target: "0001", direction: "down" }
// #endregion

const book = await Book.create({ title: "Notes", slug: "notes" });
assert.equal((await Book.get({ id: book.id })).slug, "notes");
// Applied once: a second run has nothing to do.
assert.deepEqual((await YaraOrm.migrate({ dir: "./migrations" })).done, []);
// Down to 0001 drops the slug column; up again fills it with "" for the row that is there.
await YaraOrm.migrate({ dir: "./migrations", target: "0001", direction: "down" });
assert.deepEqual((await YaraOrm.migrate({ dir: "./migrations" })).done, ["0002_add_slug"]);
assert.equal((await Book.get({ id: book.id })).slug, "");
process.chdir(cwd);
await YaraOrm.close();
