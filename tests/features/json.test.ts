/**
 * Instances serialise with JSON.stringify (a bigint field used to make it throw): fields and
 * annotations as plain JSON, bigints as decimal strings, decimals as they are (strings), dates
 * as ISO-8601 text, binary as base64; loaded relations and only()-skipped fields are left out.
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Book, Count, Item } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget(() => {
  beforeEach(resetData);

  it("writes every field kind as plain JSON, and reads back the same shape", async () => {
    const created = await Item.create({
      name: "a",
      big: 9007199254740993n,
      amount: "12.5",
      at: new Date("2024-05-06T07:08:09.010Z"),
      day: "2024-05-06",
      clock: "10:30:00",
      uid: "6f1c2a7e-3b1f-4c8e-9a61-1c2d3e4f5a6b",
      data: { tags: ["x"], n: 1 },
      blob: new Uint8Array([0, 1, 254, 255]),
      level: 2,
    });
    const loaded = await Item.get({ id: created.id });
    const json = JSON.parse(JSON.stringify(loaded)) as Record<string, unknown>;
    expect(json).toEqual({
      id: created.id,
      name: "a",
      big: "9007199254740993",
      small: 0,
      body: null,
      flag: false,
      ratio: null,
      amount: "12.5000000000",
      at: "2024-05-06T07:08:09.010Z",
      day: "2024-05-06",
      clock: "10:30:00",
      uid: "6f1c2a7e-3b1f-4c8e-9a61-1c2d3e4f5a6b",
      data: { tags: ["x"], n: 1 },
      blob: "AAH+/w==",
      status: "draft",
      level: 2,
      updatedAt: loaded.updatedAt.toISOString(),
    });
    expect(JSON.stringify([created])).toBe(JSON.stringify([loaded]));
  });

  it("includes annotations, and leaves out loaded relations and fields only() skipped", async () => {
    const ada = await Author.create({ name: "Ada" });
    await Item.create({ name: "x", big: 5n });
    await Book.create({ title: "Dune", author: ada });
    const [book] = await Book.all().selectRelated("author").prefetchRelated("tags");
    expect(Object.keys(JSON.parse(JSON.stringify(book)) as object)).toEqual([
      "id",
      "title",
      "price",
      "published",
      "authorId",
    ]);
    const [author] = await Author.all().annotate({ n: Count("books") });
    expect(JSON.parse(JSON.stringify(author))).toMatchObject({ name: "Ada", n: 1 });
    const [partial] = await Item.all().only("big");
    expect(JSON.parse(JSON.stringify(partial))).toEqual({ id: partial!.id, big: "5" });
  });
});
