// Edge cases of text and JSON lookups, which must behave the same on every database: `%`, `_`
// and `\` match literally, long search values, characters beyond UTF-16 units, case folding,
// and JSON fields filtered by NULL only.
import { beforeEach, expect, it } from "vitest";
import { Author, Book, Item, ValidationError } from "./generated/index.js";
import { forEachTarget, rejects, resetData } from "./harness.js";

forEachTarget(() => {
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
  });

  it("matches %, _ and \\ literally in every text lookup", async () => {
    await Book.create({ title: "50%_off\\now", author: ada });
    await Book.create({ title: "50xxoffanow", author: ada });
    for (const where of [
      { title__contains: "%_" },
      { title__icontains: "%_OFF\\" },
      { title__startswith: "50%" },
      { title__istartswith: "50%_" },
      { title__endswith: "\\now" },
      { title__iendswith: "\\NOW" },
      { title__iexact: "50%_OFF\\NOW" },
    ])
      expect(await Book.filter(where).count()).toBe(1);
  });

  it("searches with values past SQLite's 50 000-byte LIKE pattern limit", async () => {
    await Book.create({ title: "x", author: ada });
    const long = "x".repeat(60_000);
    for (const where of [
      { title__icontains: long },
      { title__istartswith: long },
      { title__iendswith: long },
      { title__iexact: long },
    ])
      expect(await Book.filter(where).count()).toBe(0);
  });

  it("startswith and endswith count characters, not UTF-16 units", async () => {
    await Book.create({ title: "😀 smile 😀", author: ada });
    await Book.create({ title: "é", author: ada });
    expect(await Book.filter({ title__startswith: "😀" }).count()).toBe(1);
    expect(await Book.filter({ title__endswith: "e 😀" }).count()).toBe(1);
    expect(await Book.filter({ title__endswith: "😀😀" }).count()).toBe(0);
    expect(await Book.filter({ title__endswith: "xé" }).count()).toBe(0);
    expect(await Book.filter({ title__contains: "😀 s" }).count()).toBe(1);
    expect(await Book.filter({ title__istartswith: "😀 SMILE" }).count()).toBe(1);
  });

  it("JSON fields: equality on a JSON value is refused clearly, isnull works", async () => {
    await Item.create({ name: "j", data: { a: 1, b: 2 } });
    await Item.create({ name: "n" });
    const e = await rejects(Item.filter({ data: { b: 2, a: 1 } }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(await Item.filter({ data__isnull: true }).count()).toBe(1);
    expect(await Item.filter({ data: null }).count()).toBe(1);
  });
});

forEachTarget(() => {
  beforeEach(resetData);

  it("i-lookups fold the case of every letter, not just ASCII, on every database", async () => {
    await Book.create({ title: "ÉCOLE Straße", author: await Author.create({ name: "A" }) });
    expect(await Book.filter({ title__icontains: "cole s" }).count()).toBe(1);
    expect(await Book.filter({ title__iexact: "école straße" }).count()).toBe(1);
    expect(await Book.filter({ title__iexact: "ÉCOLE STRAßE" }).count()).toBe(1);
    expect(await Book.filter({ title__istartswith: "écol" }).count()).toBe(1);
    expect(await Book.filter({ title__iendswith: "STRAßE" }).count()).toBe(1);
    expect(await Book.filter({ title__contains: "école" }).count()).toBe(0);
  });
});
