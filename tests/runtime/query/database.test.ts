/**
 * The query layer against real databases (every target of tests/support/targets.ts): the SQL
 * the unit tests pin down must also mean what api.md says.
 */
import { beforeAll, describe, expect, test } from "vitest";
import {
  Count,
  F,
  inTransaction,
  Max,
  Q,
  Sum,
  Upper,
  ValidationError,
  YaraOrm,
} from "../../../runtime/index.js";
import { targets, useDatabase } from "../../support/targets.js";
import { Author, Book, Category, Item, Tag } from "./fixtures.js";

for (const target of targets()) {
  describe(target.name, () => {
    useDatabase(target);
    const ph = (n: number) => (target.dialect === "postgres" ? `$${n}` : "?");
    let ada: Author;
    let bob: Author;

    beforeAll(async () => {
      ada = await Author.objects.create({ name: "Ada" });
      bob = await Author.objects.create({ name: "Bob", email: "bob@example.com" });
      await Book.objects.bulkCreate([
        { title: "Dune", price: "9.50", author: ada },
        { title: "dune messiah", price: "10.00", author: ada, published: true },
        { title: "50% off_sale\\", price: null, author: bob },
        { title: "Emma", price: 100, author: bob, published: true },
      ]);
      const [sf, classic] = await Tag.objects.bulkCreate([{ name: "sf" }, { name: "classic" }]);
      const books = await Book.objects.all().orderBy("id");
      const link = `INSERT INTO "book_tags" ("book_id", "tag_id") VALUES (${ph(1)}, ${ph(2)})`;
      await YaraOrm.driver.execute(link, [books[0]!.id, sf!.id]);
      await YaraOrm.driver.execute(link, [books[1]!.id, sf!.id]);
      await YaraOrm.driver.execute(link, [books[1]!.id, classic!.id]);
    });

    const titles = async (where: object) =>
      (await Book.objects
        .filter(where as Record<string, unknown>)
        .orderBy("id")
        .valuesList("title", { flat: true })) as string[];

    test("create returns the RETURNING row with defaults and autoNowAdd", () => {
      expect(ada.id).toBeGreaterThan(0);
      expect(ada.email).toBeNull();
      expect(ada.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(ada.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    test("case-sensitive and insensitive text lookups; wildcards match literally", async () => {
      expect(await titles({ title__contains: "une" })).toEqual(["Dune", "dune messiah"]);
      expect(await titles({ title__startswith: "Dune" })).toEqual(["Dune"]);
      expect(await titles({ title__istartswith: "DUNE" })).toEqual(["Dune", "dune messiah"]);
      expect(await titles({ title__exact: "dune" })).toEqual([]);
      expect(await titles({ title__iexact: "dune" })).toEqual(["Dune"]);
      expect(await titles({ title__endswith: "SIAH" })).toEqual([]);
      expect(await titles({ title__iendswith: "SIAH" })).toEqual(["dune messiah"]);
      expect(await titles({ title__contains: "%" })).toEqual(["50% off_sale\\"]);
      expect(await titles({ title__icontains: "0% OFF_" })).toEqual(["50% off_sale\\"]);
      expect(await titles({ title__icontains: "_" })).toEqual(["50% off_sale\\"]);
      expect(await titles({ title__endswith: "\\" })).toEqual(["50% off_sale\\"]);
      expect(await titles({ title__contains: "" })).toHaveLength(4);
    });

    test("not / not_in / exclude keep NULL rows", async () => {
      expect(await titles({ price__not: "9.5" })).toEqual([
        "dune messiah",
        "50% off_sale\\",
        "Emma",
      ]);
      expect(await titles({ price__not_in: ["9.50", "10"] })).toEqual(["50% off_sale\\", "Emma"]);
      expect(
        await Book.objects
          .exclude({ price: "100" })
          .orderBy("id")
          .valuesList("title", { flat: true }),
      ).toEqual(["Dune", "dune messiah", "50% off_sale\\"]);
      expect(await titles({ price__isnull: true })).toEqual(["50% off_sale\\"]);
    });

    test("decimals compare and sort as numbers", async () => {
      expect(await titles({ price__gt: 9.6 })).toEqual(["dune messiah", "Emma"]);
      expect(await titles({ price__range: ["9", "10"] })).toEqual(["Dune", "dune messiah"]);
      const sorted = await Book.objects
        .filter({ price__isnull: false })
        .orderBy("-price")
        .valuesList("price", { flat: true });
      expect(sorted).toEqual(["100.00", "10.00", "9.50"]);
    });

    test("relations: joins, EXISTS once per row, self-joins", async () => {
      expect(await titles({ author__name: "Ada" })).toEqual(["Dune", "dune messiah"]);
      expect(await titles({ author: bob })).toEqual(["50% off_sale\\", "Emma"]);
      expect(await titles({ tags__name__in: ["sf", "classic"] })).toEqual(["Dune", "dune messiah"]);
      expect(
        await Author.objects.filter({ books__tags__name: "sf" }).valuesList("name", { flat: true }),
      ).toEqual(["Ada"]);
      expect(await Author.objects.filter({ books__title__icontains: "e" }).count()).toBe(2);
      expect(
        await Tag.objects
          .filter({ books__author__name: "Ada" })
          .orderBy("name")
          .valuesList("name", { flat: true }),
      ).toEqual(["classic", "sf"]);
      const root = await Category.objects.create({ name: "root" });
      const mid = await Category.objects.create({ name: "mid", parent: root });
      await Category.objects.create({ name: "leaf", parentId: mid.id });
      expect(
        await Category.objects
          .filter({ parent__parent__name: "root" })
          .valuesList("name", { flat: true }),
      ).toEqual(["leaf"]);
      expect(
        await Category.objects
          .filter({ children__name: "leaf" })
          .valuesList("name", { flat: true }),
      ).toEqual(["mid"]);
      expect(
        await Category.objects.filter({ parent__isnull: true }).valuesList("name", { flat: true }),
      ).toEqual(["root"]);
    });

    test("Q trees", async () => {
      expect(
        await titles(Q.or({ title: "Emma" }, Q({ author__name: "Ada" }).and({ published: true }))),
      ).toEqual(["dune messiah", "Emma"]);
      expect(await titles(Q({ title__icontains: "dune" }).not())).toEqual([
        "50% off_sale\\",
        "Emma",
      ]);
    });

    test("year/month/day at UTC", async () => {
      const year = new Date().getUTCFullYear();
      expect(await Author.objects.filter({ createdAt__year: year }).count()).toBe(2);
      expect(await Author.objects.filter({ createdAt__year__lt: year }).count()).toBe(0);
    });

    test("in with 100 000 ids is one parameter", async () => {
      const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);
      expect(await Book.objects.filter({ id__in: ids }).count()).toBe(4);
      const map = await Book.objects.inBulk(ids);
      expect(map.size).toBe(4);
    });

    test("values, only, count, exists, first, get", async () => {
      expect(
        await Book.objects.filter({ title: "Dune" }).values("title", "price", "author__name"),
      ).toEqual([{ title: "Dune", price: "9.50", author__name: "Ada" }]);
      const [partial] = await Book.objects.filter({ title: "Emma" }).only("title");
      expect([partial?.title, partial?.price]).toEqual(["Emma", undefined]);
      expect(await Book.objects.filter({ published: true }).exists()).toBe(true);
      expect(await Book.objects.all().limit(2).count()).toBe(2);
      expect((await Book.objects.first())?.title).toBe("Emma");
      expect((await Book.objects.get({ title: "Emma" })).price).toBe("100.00");
      await expect(Book.objects.get({ author: ada })).rejects.toThrow("more than one");
    });

    test("update with F, delete, streaming", async () => {
      const n = await Book.objects
        .filter({ author__name: "Ada" })
        .update({ price: F("price").add("0.25") });
      expect(n).toBe(2);
      expect(
        await Book.objects
          .filter({ author: ada })
          .orderBy("id")
          .valuesList("price", { flat: true }),
      ).toEqual(["9.75", "10.25"]);
      const cats = await Category.objects.bulkCreate(
        Array.from({ length: 2500 }, (_, i) => ({ name: `c${i}` })),
      );
      expect(cats).toHaveLength(2500);
      let seen = 0;
      for await (const c of Category.objects.filter({ name__startswith: "c" })) {
        expect(c).toBeInstanceOf(Category);
        seen++;
      }
      expect(seen).toBe(2500);
      expect(await Category.objects.filter({ name__startswith: "c" }).delete()).toBe(2500);
    });

    test("getOrCreate / updateOrCreate / save / refreshFromDb / fetchRelated", async () => {
      const [t1, created1] = await Tag.objects.getOrCreate({ name: "new" });
      const [t2, created2] = await Tag.objects.getOrCreate({ name: "new" });
      expect([created1, created2, t1.id === t2.id]).toEqual([true, false, true]);
      const [b, created] = await Book.objects.updateOrCreate(
        { title: "Dune" },
        { published: true },
      );
      expect([b.published, created]).toEqual([true, false]);
      b.title = "Dune (2nd)";
      await b.save();
      const again = await Book.objects.get({ id: b.id });
      expect(again.title).toBe("Dune (2nd)");
      await again.fetchRelated("author");
      expect(again.author.name).toBe("Ada");
      const fresh = new Tag(undefined as never, "made by save");
      await fresh.save();
      expect(fresh.id).toBeGreaterThan(0);
      await fresh.delete();
      expect(await Tag.objects.filter({ name: "made by save" }).exists()).toBe(false);
    });

    test("selectRelated loads to-one relations in the same query", async () => {
      const books = await Book.objects
        .filter({ title__in: ["Emma", "dune messiah"] })
        .selectRelated("author")
        .orderBy("-title");
      expect(books.map((b) => [b.title, b.author.name])).toEqual([
        ["dune messiah", "Ada"],
        ["Emma", "Bob"],
      ]);
      const leaf = await Category.objects
        .filter({ name: "leaf" })
        .selectRelated("parent__parent")
        .get();
      const parent = (leaf as unknown as { _loaded<T>(r: string): T })._loaded.call(
        leaf,
        "parent",
      ) as Category;
      expect(parent.name).toBe("mid");
      const root = await Category.objects.filter({ name: "root" }).selectRelated("parent").get();
      expect(
        (root as unknown as { _loaded<T>(r: string): T })._loaded.call(root, "parent"),
      ).toBeNull();
    });

    test("prefetchRelated: to-one, reverse FK and many-to-many", async () => {
      const loaded = (m: object, r: string) => (m as { _loaded(r: string): unknown })._loaded(r);
      const authors = await Author.objects
        .filter({ name__in: ["Ada", "Bob"] })
        .orderBy("name")
        .prefetchRelated("books");
      expect(authors.map((a) => (loaded(a, "books") as Book[]).length)).toEqual([2, 2]);
      const books = await Book.objects.all().orderBy("id").prefetchRelated("tags", "author");
      expect(books.map((b) => (loaded(b, "tags") as Tag[]).length)).toEqual([1, 2, 0, 0]);
      expect(books.map((b) => b.author.name)).toEqual(["Ada", "Ada", "Bob", "Bob"]);
      const [sf] = await Tag.objects
        .filter({ books__author: ada })
        .orderBy("id")
        .prefetchRelated("books");
      expect((loaded(sf!, "books") as Book[]).length).toBe(2);
    });

    test("annotate: aggregates over relations, groupBy, functions", async () => {
      const authors = await Author.objects
        .filter({ name__in: ["Ada", "Bob"] })
        .annotate({
          n: Count("books"),
          top: Max("books__price"),
          total: Sum("books__price"),
          shout: Upper("name"),
        })
        .orderBy("name");
      expect(authors.map((a) => [a.name, a.n, a.shout])).toEqual([
        ["Ada", 2, "ADA"],
        ["Bob", 2, "BOB"],
      ]);
      expect(typeof authors[0]!.top).toBe("string");
      expect(authors[1]!.total).toBe("100.00");
      const grouped = await Book.objects
        .all()
        .annotate({ n: Count() })
        .groupBy("authorId")
        .orderBy("authorId")
        .valuesList("authorId", "n");
      expect(grouped).toEqual([
        [ada.id, 2],
        [bob.id, 2],
      ]);
      const tagged = await Book.objects
        .all()
        .annotate({ tagCount: Count("tags") })
        .orderBy("-tagCount", "id")
        .valuesList("tagCount", { flat: true });
      expect(tagged).toEqual([2, 1, 0, 0]);
    });

    test("upsert", async () => {
      await Tag.objects
        .bulkCreate([{ name: "sf" }], { onConflict: { ignore: true } })
        .catch(() => undefined);
      const [sf] = await Tag.objects.filter({ name: "sf" });
      const rows = await Tag.objects.bulkCreate(
        [{ id: sf!.id, name: "science fiction" } as never],
        { onConflict: { update: ["name"] } },
      );
      expect(rows[0]?.name).toBe("science fiction");
      expect(await Tag.objects.filter({ id: sf!.id }).valuesList("name", { flat: true })).toEqual([
        "science fiction",
      ]);
    });

    test("selectForUpdate inside a transaction", async () => {
      const locked = await inTransaction(async () =>
        Book.objects.filter({ author__name: "Bob" }).selectForUpdate({ skipLocked: true }),
      );
      expect(locked).toHaveLength(2);
    });

    test("every field kind round-trips", async () => {
      const input = {
        uid: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE",
        big: 2n ** 62n + 1n,
        small: -5,
        ratio: 1.25,
        amount: "3.5",
        flag: true,
        at: new Date(Date.UTC(2024, 1, 3, 4, 5, 6, 789)),
        day: "2024-05-06",
        clock: "01:02:03",
        data: { a: [1, "x", null] },
        blob: new Uint8Array([0, 1, 255]),
        color: "green",
        level: 2,
      };
      await Item.objects.create(input);
      const [row] = await Item.objects
        .all()
        .values(
          "uid",
          "big",
          "small",
          "ratio",
          "amount",
          "flag",
          "at",
          "day",
          "clock",
          "data",
          "blob",
          "color",
          "level",
        );
      expect(row).toEqual({ ...input, uid: input.uid.toLowerCase(), amount: "3.50" });
      expect(
        await Item.objects
          .filter({ big: 2n ** 62n + 1n, at__year: 2024, day__month: 5, amount__gte: 3 })
          .count(),
      ).toBe(1);
      if (target.dialect === "postgres") {
        await expect(Book.objects.filter({ title: "a\0" }).count()).rejects.toThrow(
          ValidationError,
        );
      } else {
        expect(await Book.objects.filter({ title: "a\0" }).count()).toBe(0);
      }
    });
  });
}
