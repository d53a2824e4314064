/**
 * Abstract models: the fields of a mixin (`const Stamped = abstract({...})`, spread into Folder
 * and Memo) are each model's own columns, written, read, filtered and ordered like any other.
 */
import { beforeEach, expect, it } from "vitest";
import { Folder, Memo } from "./generated/index.js";
import { forEachTarget } from "./harness.js";

forEachTarget(() => {
  beforeEach(async () => {
    await Memo.all().delete();
    await Folder.all().delete();
  });

  it("each model has the mixin's fields as its own columns", async () => {
    expect(Folder.meta.fields.map((f) => f.column)).toEqual([
      "id",
      "name",
      "created_at",
      "archived",
    ]);
    expect(Memo.meta.fields.map((f) => f.column)).toEqual([
      "id",
      "created_at",
      "archived",
      "text",
      "folder_id",
    ]);
    const before = Date.now();
    const inbox = await Folder.create({ name: "Inbox" });
    const old = await Folder.create({ name: "Old", archived: true });
    expect([inbox.archived, old.archived]).toEqual([false, true]);
    expect(inbox.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    const first = await Memo.create({ text: "first", folder: inbox });
    const second = await Memo.create({ text: "second", folder: old, archived: true });
    await Memo.filter({ id: second.id }).update({ createdAt: new Date("2030-01-01T00:00:00Z") });
    expect(await Memo.all().valuesList("text", { flat: true })).toEqual(["second", "first"]);
    expect(
      await Memo.filter({ archived: false, folder__archived: false }).valuesList("id", {
        flat: true,
      }),
    ).toEqual([first.id]);
    expect(await Folder.filter({ archived: true }).valuesList("name", { flat: true })).toEqual([
      "Old",
    ]);
  });
});
