import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Author, Book, Count, Exists, OuterRef, Subquery, Tag } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

forEachTarget((target: Target) => {
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");

  beforeEach(async () => {
    await resetData();
    const [ada, bob] = await Author.bulkCreate([
      { id: 1, name: "Ada" },
      { id: 2, name: "Bob" },
      { id: 3, name: "Zoë" },
    ]);
    const [dune, , notes] = await Book.bulkCreate([
      { id: 1, title: "Dune", price: "9.00", author: ada!, published: true },
      { id: 2, title: "Emma 😀", price: null, author: ada! },
      { id: 3, title: "Notes", price: "1.00", author: bob!, published: true },
    ]);
    const [sf] = await Tag.bulkCreate([{ name: "sf" }, { name: "" }]);
    await dune!.tags.add(sf!);
    await notes!.tags.add(sf!);
    takeStatements();
  });

  it("annotates a correlated Subquery (first row in its ordering, NULL when none), typed", async () => {
    const rows = await Author.annotate({
      latest: Subquery(
        Book.filter({ authorId: OuterRef("id") })
          .orderBy("-id")
          .valuesList("title", { flat: true }),
      ),
      cheapest: Subquery(
        Book.filter({ author: OuterRef("pk") })
          .orderBy("price")
          .values("price"),
      ),
    })
      .orderBy("id")
      .valuesList("name", "latest", "cheapest");
    expectTypeOf(rows).toEqualTypeOf<[string, string | null, string | null][]>();
    expect(rows).toEqual([
      ["Ada", "Emma 😀", "9.00"],
      ["Bob", "Notes", "1.00"],
      ["Zoë", null, null],
    ]);
    const { sql } = takeStatements()[0]!;
    // The nested query takes fresh aliases, so the outer "author" is never shadowed; LIMIT 1 implied.
    expect(sql).toContain(
      `(SELECT "t1"."title" FROM "books" AS "t1" WHERE "t1"."author_id" = "author"."id" ORDER BY "t1"."id" DESC LIMIT ${target.dialect === "postgres" ? "$1" : "1"})`,
    );
  });

  it("tests Exists, and filters on it through its annotation", async () => {
    const rows = await Author.annotate({
      drafts: Exists(Book.filter({ authorId: OuterRef("id"), published: false })),
    })
      .filter({ drafts: false })
      .orderBy("id")
      .valuesList("name", "drafts");
    expectTypeOf(rows).toEqualTypeOf<[string, boolean][]>();
    expect(rows).toEqual([
      ["Bob", false],
      ["Zoë", false],
    ]);
    // A query of the same model nested in itself: the inner rows get their own alias.
    const withSibling = await Book.annotate({
      sibling: Exists(
        Book.filter({ authorId: OuterRef("authorId") }).exclude({ id: OuterRef("id") }),
      ),
    })
      .orderBy("id")
      .valuesList("id", "sibling");
    expect(withSibling).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it("takes a query of one value as an in / not_in list", async () => {
    const byQuery = await Book.filter({
      authorId__in: Author.filter({ name__startswith: "B" }).valuesList("id", { flat: true }),
    }).valuesList("title", { flat: true });
    expect(byQuery).toEqual(["Notes"]);
    expect(takeStatements()[0]!.sql).toContain(
      `WHERE "books"."author_id" IN (SELECT "t1"."id" FROM "author" AS "t1" WHERE`,
    );
    // A query of instances stands for its primary key; a relation takes one too.
    const authors = await Author.filter({ id__in: Author.filter({ books__published: true }) })
      .orderBy("id")
      .valuesList("name", { flat: true });
    expect(authors).toEqual(["Ada", "Bob"]);
    expect(
      await Book.filter({ author__not_in: Author.filter({ name: "Ada" }) }).valuesList("title", {
        flat: true,
      }),
    ).toEqual(["Notes"]);
    // not_in keeps NULL columns and stays a complement when the list holds a NULL.
    const prices = Book.filter({ published: true }).values("price");
    const notIn = await Book.filter({ price__not_in: prices })
      .orderBy("id")
      .valuesList("id", { flat: true });
    const inList = await Book.filter({ price__in: prices })
      .orderBy("id")
      .valuesList("id", { flat: true });
    expect(notIn).toEqual([2]);
    expect(inList).toEqual([1, 3]);
    // Across a many-to-many relation, and an empty result.
    expect(
      await Book.filter({ tags__in: Tag.filter({ name: "sf" }) })
        .orderBy("id")
        .valuesList("id", { flat: true }),
    ).toEqual([1, 3]);
    expect(await Book.filter({ id__in: Book.filter({ title: "none" }) }).count()).toBe(0);
  });

  it("sets a field from a correlated Subquery in update()", async () => {
    await Author.all().update({
      email: Subquery(
        Book.filter({ authorId: OuterRef("id") })
          .orderBy("id")
          .valuesList("title", { flat: true }),
      ),
    });
    expect(await Author.all().orderBy("id").valuesList("email", { flat: true })).toEqual([
      "Dune",
      "Notes",
      null,
    ]);
    await Book.all().update({
      price: Subquery(
        Book.filter({ authorId: OuterRef("authorId") })
          .orderBy("price")
          .values("price"),
      ),
    });
    expect(await Book.all().orderBy("id").valuesList("price", { flat: true })).toEqual([
      "9.00",
      "9.00",
      "1.00",
    ]);
  });

  it("works with aggregates inside the nested query", async () => {
    const rows = await Author.annotate({
      tagged: Subquery(
        Book.filter({ authorId: OuterRef("id") })
          .annotate({ n: Count() })
          .valuesList("n", { flat: true }),
      ),
    })
      .orderBy("id")
      .valuesList("name", "tagged");
    expect(rows).toEqual([
      ["Ada", 2],
      ["Bob", 1],
      ["Zoë", 0],
    ]);
  });

  it("refuses what cannot work, clearly", async () => {
    const two = Author.annotate({
      x: Subquery(Book.all().values("id", "title") as never),
    });
    expect(String(await rejects(two))).toContain("must select exactly one value");
    expect(
      await rejects(Book.filter({ id__in: Book.all().valuesList("id", "title") as never })),
    ).toBeInstanceOf(ValidationError);
    const outside = await rejects(Book.filter({ authorId: OuterRef("id") }));
    expect(outside).toBeInstanceOf(ValidationError);
    expect(String(outside)).toContain("only meaningful in a query inside");
    expect(() => Subquery(42 as never)).toThrow(ValidationError);
    void (() => {
      // @ts-expect-error the values of the nested query must have the field's type
      Book.filter({ authorId__in: Author.all().valuesList("name", { flat: true }) });
    });
  });
});
