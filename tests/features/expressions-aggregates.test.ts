import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import {
  ArrayAgg,
  Author,
  Book,
  Count,
  Max,
  Q,
  Review,
  StringAgg,
  Sum,
  Tag,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

forEachTarget((target) => {
  beforeEach(async () => {
    await resetData();
    const [ada, bob] = await Author.bulkCreate([
      { id: 1, name: "Ada" },
      { id: 2, name: "Bob" },
      { id: 3, name: "Zoë" },
    ]);
    const [dune, emma, notes] = await Book.bulkCreate([
      { id: 1, title: "Dune", price: "9.00", author: ada!, published: true },
      { id: 2, title: "Émile 😀", price: null, author: ada! },
      { id: 3, title: "", price: "1.00", author: bob!, published: true },
    ]);
    const [sf, classic, empty] = await Tag.bulkCreate([
      { id: 1, name: "sf" },
      { id: 2, name: "classic" },
      { id: 3, name: "" },
    ]);
    await dune!.tags.add(sf!, classic!);
    await emma!.tags.add(classic!);
    await notes!.tags.add(empty!);
    await Review.bulkCreate([
      { book: dune!, stars: 5 },
      { book: dune!, stars: -1 },
      { book: emma!, stars: 3 },
    ]);
    takeStatements();
  });

  it("counts with a Q filter: COUNT(…) FILTER (WHERE …) on both databases", async () => {
    const rows = await Author.annotate({
      published: Count("books", {
        filter: Q.or({ books__published: true }, { books__price__isnull: true }),
      }),
      drafts: Count("books", { filter: Q({ books__published: false }).not() }),
    })
      .orderBy("id")
      .valuesList("name", "published", "drafts");
    expect(rows).toEqual([
      ["Ada", 2, 1],
      ["Bob", 1, 1],
      ["Zoë", 0, 0],
    ]);
  });

  it("aggregates across two to-many relations as Django's joins do, distinct on request", async () => {
    const rows = await Author.annotate({
      tagged: Count("books__tags"),
      tags: Count("books__tags", { distinct: true }),
      stars: Sum("books__reviews__stars"),
      best: Max("books__reviews__stars"),
      published: Sum("books__reviews__stars", { filter: { books__published: true } }),
    })
      .orderBy("id")
      .valuesList("name", "tagged", "tags", "stars", "best", "published");
    expect(rows).toEqual([
      ["Ada", 3, 2, 7, 5, 4],
      ["Bob", 1, 1, null, null, null],
      ["Zoë", 0, 0, null, null, null],
    ]);
    // A filter through the further to-many relation would mean "rows with such a related row": refused.
    const through = Author.annotate({
      x: Sum("books__reviews__stars", { filter: { books__reviews__stars__gt: 0 } }),
    });
    expect(String(await rejects(through))).toContain(
      "may not go through a further to-many relation",
    );
    // Each annotation is its own subquery: rows are never multiplied.
    expect(await Author.annotate({ tagged: Count("books__tags") }).count()).toBe(3);
    // From the other side, through a many-to-many first.
    const tags = await Tag.annotate({
      reviews: Count("books__reviews"),
      authors: Count("books__author", { distinct: true }),
    })
      .orderBy("id")
      .valuesList("name", "reviews", "authors");
    expect(tags).toEqual([
      ["sf", 2, 1],
      ["classic", 3, 1],
      ["", 0, 1],
    ]);
  });

  it("joins text with StringAgg and lists values with ArrayAgg, in ascending order", async () => {
    const rows = await Author.annotate({
      titles: StringAgg("books__title", " | "),
      tags: ArrayAgg<string>("books__tags__name"),
      published: StringAgg("books__title", ",", { filter: { books__published: true } }),
      ids: ArrayAgg<number>("books__id", { distinct: true }),
    })
      .orderBy("id")
      .valuesList("name", "titles", "tags", "published", "ids");
    expectTypeOf(rows).toEqualTypeOf<
      [string, string | null, string[], string | null, number[]][]
    >();
    expect(rows).toEqual([
      ["Ada", "Dune | Émile 😀", ["classic", "classic", "sf"], "Dune", [1, 2]],
      ["Bob", "", [""], "", [3]],
      ["Zoë", null, [], null, []],
    ]);
    // Over the query's own rows, grouped.
    const grouped = await Book.annotate({ titles: StringAgg("title", "/"), ids: ArrayAgg("id") })
      .groupBy("authorId")
      .orderBy("authorId")
      .valuesList("authorId", "titles", "ids");
    expect(grouped).toEqual([
      [1, "Dune/Émile 😀", [1, 2]],
      [2, "", [3]],
    ]);
    // MySQL's GROUP_CONCAT takes its SEPARATOR as a literal only (quoted, never spliced raw).
    if (target.dialect === "mysql") expect(takeStatements()[1]!.sql).toContain(`SEPARATOR '/'`);
    else expect(takeStatements()[1]!.params).toContain("/");
  });

  it("refuses kinds that would read back differently, and unknown options", async () => {
    expect(await rejects(Author.annotate({ x: ArrayAgg("books__price") }))).toBeInstanceOf(
      ValidationError,
    );
    expect(await rejects(Author.annotate({ x: ArrayAgg("books__published") }))).toBeInstanceOf(
      ValidationError,
    );
    expect(await rejects(Author.annotate({ x: StringAgg("books__id", ",") }))).toBeInstanceOf(
      ValidationError,
    );
    expect(() => StringAgg("title", ",", { distinct: true } as never)).toThrow(ValidationError);
    expect(() => ArrayAgg("title", { ordr: 1 } as never)).toThrow(ValidationError);
  });
});
