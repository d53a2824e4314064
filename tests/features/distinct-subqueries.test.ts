// A distinct query nested in another (`__in`, Subquery, Exists) selects its one value, never
// Book's `ordering` (-id) beside it; and count() of distinct, sliced or related rows reads them
// through a derived table MariaDB accepts (no two columns of one name there).
import { beforeEach, expect, it } from "vitest";
import { DatabaseError } from "../../runtime/errors.js";
import { Author, Book, Exists, Lower, OuterRef, Subquery } from "./generated/index.js";
import {
  compared,
  forEachTarget,
  rejects,
  resetData,
  takeStatements,
  type Target,
} from "./harness.js";

forEachTarget((target: Target) => {
  beforeEach(async () => {
    await resetData();
    const [ada, bob] = await Author.bulkCreate([
      { id: 1, name: "Ada" },
      { id: 2, name: "Bob" },
      { id: 3, name: "Zoë" },
    ]);
    await Book.bulkCreate([
      { id: 1, title: "Dune", price: "9.00", author: ada!, published: true },
      { id: 2, title: "Emma", price: null, author: ada! },
      { id: 3, title: "Notes", price: "1.00", author: bob!, published: true },
      { id: 4, title: "Sketch", price: "2.00", author: bob! },
    ]);
    takeStatements();
  });

  const names = async (where: Parameters<typeof Author.filter>[0]): Promise<string[]> =>
    await Author.filter(where).orderBy("id").valuesList("name", { flat: true });

  it("__in a distinct values() / valuesList() query: its one value, without Book's ordering", async () => {
    const authorIds = Book.filter({ published: true })
      .valuesList("authorId", { flat: true })
      .distinct();
    expect(await names({ id__in: authorIds })).toEqual(["Ada", "Bob"]);
    const { sql } = takeStatements()[0]!;
    expect(sql).toContain(
      `"author"."id" IN (SELECT DISTINCT "t1"."author_id" FROM "books" AS "t1" WHERE "t1"."published" = ${compared(target, 1)})`,
    );
    expect(
      await names({ id__in: Book.filter({ published: true }).values("authorId").distinct() }),
    ).toEqual(["Ada", "Bob"]);
    expect(await names({ id__not_in: authorIds })).toEqual(["Zoë"]);
    // An orderBy() on something not selected is left out as well: it cannot change the list.
    expect(
      await names({
        id__in: Book.all().orderBy("-title").valuesList("authorId", { flat: true }).distinct(),
      }),
    ).toEqual(["Ada", "Bob"]);
    // A query of instances stands for its key, distinct or not.
    expect(await names({ books__in: Book.filter({ published: true }).distinct() })).toEqual([
      "Ada",
      "Bob",
    ]);
  });

  it("__in a sliced distinct query: the rows it reads, in its ordering", async () => {
    const read = async (query: PromiseLike<number[]>): Promise<string[]> => {
      const ids = new Set(await query);
      return ["Ada", "Bob", "Zoë"].filter((_n, i) => ids.has(i + 1));
    };
    const cases = [
      // Ordered by its values, as when read.
      Book.all().valuesList("authorId", { flat: true }).distinct().limit(1),
      Book.all().orderBy("-authorId").valuesList("authorId", { flat: true }).distinct().limit(1),
      // Ordered by what it does not select: distinct over the value and the ordering (Django's
      // rows), read through a derived table of the value alone.
      Book.all().orderBy("-title").valuesList("authorId", { flat: true }).distinct().limit(2),
      Book.all().orderBy("title").valuesList("authorId", { flat: true }).distinct().offset(3),
      Book.all().orderBy("title").valuesList("authorId", { flat: true }).distinct().limit(1),
    ];
    const expected = [["Ada"], ["Bob"], ["Bob"], ["Bob"], ["Ada"]];
    for (const [i, query] of cases.entries()) {
      expect(await read(query)).toEqual(expected[i]);
      expect(await names({ id__in: query })).toEqual(expected[i]);
    }
    // A query of instances: its key, beside the ordering it selects.
    expect(await names({ books__in: Book.all().orderBy("title").distinct().limit(2) })).toEqual([
      "Ada",
    ]);
    expect(
      await names({
        id__in: Book.all().orderBy("title").values("authorId").distinct().limit(3),
      }),
    ).toEqual(["Ada", "Bob"]);
  });

  it("Subquery of a distinct query: the first value in its ordering", async () => {
    const rows = await Author.annotate({
      first: Subquery(
        Book.filter({ authorId: OuterRef("id") })
          .valuesList("title", { flat: true })
          .distinct(),
      ),
      latest: Subquery(
        Book.filter({ authorId: OuterRef("id") })
          .orderBy("-id")
          .values("title")
          .distinct(),
      ),
      cheapest: Subquery(
        Book.filter({ authorId: OuterRef("id"), price__isnull: false })
          .orderBy("price")
          .valuesList("title", { flat: true })
          .distinct(),
      ),
    })
      .orderBy("id")
      .valuesList("name", "first", "latest", "cheapest");
    expect(rows).toEqual([
      ["Ada", "Dune", "Emma", "Dune"],
      ["Bob", "Notes", "Sketch", "Notes"],
      ["Zoë", null, null, null],
    ]);
    // Of one row, DISTINCT changes nothing and is left out; the implied LIMIT 1 stays.
    const { sql } = takeStatements()[0]!;
    expect(sql).toContain(
      `(SELECT "t1"."title" FROM "books" AS "t1" WHERE "t1"."author_id" = "author"."id" ORDER BY "t1"."title" ASC LIMIT `,
    );
  });

  it("Exists of a distinct query, and past an offset", async () => {
    const rows = await Author.annotate({
      writes: Exists(
        Book.filter({ authorId: OuterRef("id") })
          .valuesList("authorId", { flat: true })
          .distinct(),
      ),
      // Two published authors: past the first, there is one.
      second: Exists(
        Book.filter({ published: true })
          .valuesList("authorId", { flat: true })
          .distinct()
          .offset(1),
      ),
      // Ada's books have one author: past the first, none.
      coauthor: Exists(Book.filter({ authorId: 1 }).values("authorId").distinct().offset(1)),
    })
      .orderBy("id")
      .valuesList("name", "writes", "second", "coauthor");
    expect(rows).toEqual([
      ["Ada", true, true, false],
      ["Bob", true, true, false],
      ["Zoë", false, true, false],
    ]);
    expect(takeStatements()[0]!.sql).toContain(
      `EXISTS (SELECT 1 FROM "books" AS "t1" WHERE "t1"."author_id" = "author"."id")`,
    );
    // And exists() of the query itself counts distinct rows past its offset too.
    expect(await Book.all().values("authorId").distinct().offset(1).exists()).toBe(true);
    expect(await Book.all().values("authorId").distinct().offset(2).exists()).toBe(false);
    expect(await Book.all().values("authorId").distinct().exists()).toBe(true);
  });

  if (target.dialect === "postgres")
    it("__in a distinct(fields) query: the row of each group its ordering picks", async () => {
      const priciest = Book.filter({ price__isnull: false }).distinct("authorId").orderBy("-price");
      const titles = await Book.filter({ id__in: priciest }).orderBy("id").valuesList("title", {
        flat: true,
      });
      expect(titles).toEqual(["Dune", "Sketch"]);
      const cheapest = Book.filter({ price__isnull: false }).distinct("authorId").orderBy("price");
      expect(
        await Book.filter({ id__in: cheapest }).orderBy("id").valuesList("title", { flat: true }),
      ).toEqual(["Dune", "Notes"]);
    });

  const titles = Book.filter({ authorId: OuterRef("id") })
    .valuesList("title", { flat: true })
    .distinct()
    .offset(1);
  if (target.dialect === "mysql") {
    it("a correlated distinct Exists past an offset is a derived table MariaDB cannot correlate", async () => {
      // docs/mysql.md: MariaDB's derived tables cannot read the enclosing query's columns.
      const error = await rejects(
        Author.annotate({ many: Exists(titles) }).valuesList("id", "many"),
      );
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as Error).message).toMatch(/^Unknown column 'author\.id'/);
    });
  } else {
    it("a correlated distinct Exists past an offset tests the distinct rows", async () => {
      const rows = await Author.annotate({ many: Exists(titles) })
        .orderBy("id")
        .valuesList("name", "many");
      expect(rows).toEqual([
        ["Ada", true],
        ["Bob", true],
        ["Zoë", false],
      ]);
    });
  }

  it("count() of distinct rows, with selectRelated, only(), annotate, values()", async () => {
    const queries = [
      Book.all().distinct(),
      Book.all().selectRelated("author").distinct(),
      Book.all().only("title").distinct(),
      Book.all()
        .annotate({ lower: Lower("title") })
        .distinct(),
      Book.all().orderBy("author__name").distinct(),
      Book.all().selectRelated("author").limit(3),
      Book.all().selectRelated("author").offset(1),
    ];
    for (const query of queries) {
      const rows = await query;
      expect(await query.count()).toBe(rows.length);
    }
    takeStatements();
    expect(await Book.all().distinct().count()).toBe(4);
    // The derived table's columns are named apart where two share a name ("books"."id" and the
    // ordering's "books"."id").
    expect(takeStatements()[0]!.sql).toBe(
      `SELECT COUNT(*) FROM (SELECT DISTINCT "books"."id" AS "yara_c0", "books"."title" AS "yara_c1", "books"."price" AS "yara_c2", "books"."published" AS "yara_c3", "books"."author_id" AS "yara_c4", "books"."id" AS "yara_c5" FROM "books") AS "sub"`,
    );
    expect(await Book.all().selectRelated("author").distinct().count()).toBe(4);
  });

  it("count() of distinct values() / valuesList(), two columns of one name or alike", async () => {
    const counts = await Promise.all([
      Book.all().values("authorId").distinct().count(),
      Book.all().valuesList("authorId", "author__id").distinct().count(),
      Book.all().valuesList("authorId", "author__name").distinct().count(),
      Book.all().orderBy("title").values("authorId").distinct().count(),
      Book.annotate({ a: Lower("title"), b: Lower("title") })
        .values("a", "b")
        .distinct()
        .count(),
      Book.all().values("published").distinct().limit(1).count(),
    ]);
    expect(counts).toEqual([2, 2, 2, 4, 4, 1]);
    const statements = takeStatements().map((s) => s.sql);
    // Nothing is renamed where no two columns could share a name.
    expect(statements).toContain(
      `SELECT COUNT(*) FROM (SELECT DISTINCT "books"."author_id" FROM "books") AS "sub"`,
    );
    expect(statements).toContain(
      `SELECT COUNT(*) FROM (SELECT DISTINCT "books"."author_id" AS "yara_c0", "books"."author_id" AS "yara_c1" FROM "books") AS "sub"`,
    );
  });
});
