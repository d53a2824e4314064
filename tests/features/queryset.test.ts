import { beforeEach, expect, it } from "vitest";
import { Author, Book, F, inTransaction } from "./generated/index.js";
import { forEachTarget, resetData } from "./harness.js";

forEachTarget((target) => {
  let ada: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    const grace = await Author.create({ name: "Grace" });
    await Book.bulkCreate([
      { title: "b", price: "2.00", author: ada },
      { title: "a", price: "1.00", author: grace },
      { title: "c", price: "3.00", author: ada, published: true },
      { title: "d", price: null, author: grace },
    ]);
  });

  it("is lazy and immutable", async () => {
    const base = Book.all();
    const filtered = base.filter({ title: "a" });
    expect(filtered).not.toBe(base);
    expect(await base.count()).toBe(4);
    expect(await filtered.count()).toBe(1);
    const limited = base.limit(1);
    expect((await base).length).toBe(4);
    expect((await limited).length).toBe(1);
  });

  it("orders, limits and offsets", async () => {
    const titles = (books: Book[]) => books.map((b) => b.title);
    expect(titles(await Book.all())).toEqual(["d", "c", "a", "b"]); // model ordering -id
    expect(titles(await Book.all().orderBy("title"))).toEqual(["a", "b", "c", "d"]);
    expect(titles(await Book.all().orderBy("-title").limit(2))).toEqual(["d", "c"]);
    expect(titles(await Book.all().orderBy("title").offset(1).limit(2))).toEqual(["b", "c"]);
    expect(titles(await Book.all().orderBy("title").offset(3))).toEqual(["d"]);
    expect(titles(await Book.all().orderBy("author__name", "-title"))).toEqual([
      "c",
      "b",
      "d",
      "a",
    ]);
    expect(titles(await Book.filter({ price__not_isnull: true }).orderBy("-price"))).toEqual([
      "c",
      "b",
      "a",
    ]);
  });

  it("returns plain objects with values and tuples with valuesList", async () => {
    expect(await Book.all().orderBy("title").limit(2).values("title", "price")).toEqual([
      { title: "a", price: "1.00" },
      { title: "b", price: "2.00" },
    ]);
    expect(await Book.all().orderBy("title").limit(2).valuesList("title", "published")).toEqual([
      ["a", false],
      ["b", false],
    ]);
    expect(await Book.all().orderBy("title").values("title", "author__name")).toEqual([
      { title: "a", author__name: "Grace" },
      { title: "b", author__name: "Ada" },
      { title: "c", author__name: "Ada" },
      { title: "d", author__name: "Grace" },
    ]);
  });

  it("distinct removes duplicate rows", async () => {
    const ids = await Book.all()
      .orderBy("authorId")
      .distinct()
      .valuesList("authorId", { flat: true });
    expect(ids).toHaveLength(2);
  });

  it("only loads the named fields and the key", async () => {
    const [book] = await Book.filter({ title: "a" }).only("title");
    expect(book?.title).toBe("a");
    expect(typeof book?.id).toBe("number");
  });

  it("updates with F expressions", async () => {
    expect(await Book.filter({ author: ada }).update({ price: F("price").add(1) })).toBe(2);
    expect(
      await Book.filter({ author: ada }).orderBy("title").valuesList("price", { flat: true }),
    ).toEqual(["3.00", "4.00"]);
  });

  it("shows its SQL and parameters without running", () => {
    const { sql, params } = Book.filter({ title: "a", price__gt: "1" })
      .orderBy("-id")
      .limit(10)
      .sql();
    expect(params).toContain("a");
    expect(sql).toContain(target.dialect === "postgres" ? "$1" : "?");
    expect(sql).toMatch(/^SELECT /);
    expect(sql).not.toContain("*");
  });

  it("streams rows with for await", async () => {
    const seen: string[] = [];
    for await (const book of Book.all().orderBy("title")) seen.push(book.title);
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });

  it("selects rows for update inside a transaction", async () => {
    await inTransaction(async () => {
      const locked = await Book.filter({ title: "a" }).selectForUpdate();
      expect(locked).toHaveLength(1);
      if (target.dialect === "postgres") {
        expect(Book.filter({ title: "a" }).selectForUpdate().sql().sql).toMatch(/FOR UPDATE$/);
      }
    });
  });

  it("get and first on a query set", async () => {
    expect((await Book.filter({ title: "c" }).get()).published).toBe(true);
    expect(await Book.filter({ title: "zz" }).first()).toBeNull();
    expect(await Book.filter({ title: "zz" }).getOrNone()).toBeNull();
  });
});
