import { beforeEach, expect, it } from "vitest";
import { Author, Book, Item, ValidationError } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget((target) => {
  beforeEach(resetData);

  const injections = [
    "'; DROP TABLE author; --",
    '" OR 1=1 --',
    "x') OR ('1'='1",
    "$1",
    "?",
    "\\'; SELECT 1; --",
  ];

  it("stores and matches injection strings as plain values", async () => {
    for (const name of injections) await Author.create({ name });
    for (const name of injections) {
      expect(await Author.filter({ name }).count()).toBe(1);
      expect(await Author.filter({ name__contains: name }).count()).toBe(1);
    }
    expect(await Author.all().count()).toBe(injections.length);
  });

  it("rejects injection strings used as keys", async () => {
    for (const key of injections) {
      await expect(Author.filter({ [key]: 1 } as never)).rejects.toThrow();
      await expect(Author.all().orderBy(key as never)).rejects.toThrow();
    }
    expect(await Author.all().count()).toBe(0);
  });

  it("handles NUL bytes: SQLite and MySQL store them, Postgres refuses them clearly", async () => {
    const name = "nul\u0000inside";
    if (target.dialect !== "postgres") {
      const a = await Author.create({ name });
      expect((await Author.get({ id: a.id })).name).toBe(name);
      expect(await Author.filter({ name__contains: "\u0000in" }).count()).toBe(1);
    } else {
      await expect(Author.create({ name })).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it("refuses integers past 2^53 for number fields and keeps bigints exact", async () => {
    await expect(Item.create({ name: "x", small: 2 ** 53 + 2 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(Author.filter({ id: 2 ** 53 + 2 })).rejects.toBeInstanceOf(ValidationError);
    const max = 9_223_372_036_854_775_807n;
    const item = await Item.create({ name: "max", big: max });
    expect((await Item.get({ id: item.id })).big).toBe(max);
    expect(await Item.filter({ big: max }).count()).toBe(1);
    await expect(Item.create({ name: "over", big: max + 1n })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("binds a 100 000-element in list as one parameter", async () => {
    const ada = await Author.create({ name: "Ada" });
    const books = await Book.bulkCreate([
      { title: "a", author: ada },
      { title: "b", author: ada },
    ]);
    const ids = Array.from({ length: 100_000 }, (_, i) => i + 1_000_000);
    ids[50_000] = books[1]!.id;
    const qs = Book.filter({ id__in: ids });
    expect(qs.sql().params).toHaveLength(1);
    const found = await qs;
    expect(found.map((b) => b.title)).toEqual(["b"]);
    expect(await Book.filter({ id__not_in: ids }).count()).toBe(1);
  });

  it("rejects NaN and infinities for integer and decimal fields", async () => {
    await expect(Item.create({ name: "x", small: Number.NaN })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(
      Item.create({ name: "x", amount: Number.POSITIVE_INFINITY }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
