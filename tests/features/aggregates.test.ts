import { beforeEach, expect, expectTypeOf, it } from "vitest";
import {
  Author,
  Avg,
  Book,
  Coalesce,
  Count,
  Length,
  Lower,
  Max,
  Min,
  Q,
  Sum,
  Tag,
  Trim,
  Upper,
} from "./generated/index.js";
import { ValidationError } from "../../runtime/errors.js";
import {
  compared,
  forEachTarget,
  rejects,
  resetData,
  takeStatements,
  type Target,
} from "./harness.js";

forEachTarget((target: Target) => {
  let ada: Author;
  let grace: Author;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada", email: "ada@example.com" });
    grace = await Author.create({ name: "Grace" });
    await Author.create({ name: " Zed " });
    const [dune, emma, notes] = await Book.bulkCreate([
      { title: "Dune", price: "9.00", author: ada, published: true },
      { title: "Emma", price: "5.25", author: ada },
      { title: "Notes", price: null, author: grace, published: true },
    ]);
    const [sf, classic] = await Tag.bulkCreate([{ name: "sf" }, { name: "classic" }]);
    await dune!.tags.add(sf!, classic!);
    await emma!.tags.add(classic!);
    await notes!.tags.add(classic!);
    takeStatements();
  });

  /** SQLite aggregates a decimal (canonical text) exactly with yara_decimal_sum/min/max. */
  const decimal = (fn: string, expr: string): string =>
    target.dialect !== "sqlite" ? `${fn}(${expr})` : `yara_decimal_${fn.toLowerCase()}(${expr})`;
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
  const cmp = (n: number): string => compared(target, n);
  const AUTHOR = `"author"."id", "author"."name", "author"."email", "author"."created_at"`;

  it("annotates Count, Sum, Avg, Min and Max over a to-many relation, typed by the field", async () => {
    const rows = await Author.all()
      .annotate({
        n: Count("books"),
        total: Sum("books__price"),
        avg: Avg("books__price"),
        cheapest: Min("books__price"),
        last: Max("books__title"),
      })
      .orderBy("id");
    const [row] = rows;
    expectTypeOf(row!.n).toEqualTypeOf<number>();
    expectTypeOf(row!.total).toEqualTypeOf<string | null>();
    expectTypeOf(row!.avg).toEqualTypeOf<number | null>();
    expectTypeOf(row!.cheapest).toEqualTypeOf<string | null>();
    expectTypeOf(row!.last).toEqualTypeOf<string | null>();
    expectTypeOf(row!).toMatchTypeOf<Author>();
    const avg = {
      postgres: `CAST(AVG("t3"."price") AS DOUBLE PRECISION)`,
      sqlite: `yara_decimal_avg("t3"."price")`,
      mysql: `CAST(SUM("t3"."price") * 1.${"0".repeat(30)} / COUNT("t3"."price") AS DOUBLE)`,
    }[target.dialect];
    const sub = (alias: string, expr: string): string =>
      `(SELECT ${expr} FROM "books" AS "${alias}" WHERE "${alias}"."author_id" = "author"."id")`;
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT ${AUTHOR}, ${sub("t1", `COUNT("t1"."id")`)}, ${sub("t2", decimal("SUM", `"t2"."price"`))}, ` +
          `${sub("t3", avg)}, ${sub("t4", decimal("MIN", `"t4"."price"`))}, ${sub("t5", `MAX("t5"."title")`)} ` +
          `FROM "author" ORDER BY "author"."id" ASC`,
        params: [],
      },
    ]);
    expect(rows.map((r) => [r.name, r.n, r.total, r.avg, r.cheapest, r.last])).toEqual([
      ["Ada", 2, "14.25", 7.125, "5.25", "Emma"],
      ["Grace", 1, null, null, null, "Notes"],
      [" Zed ", 0, null, null, null, null],
    ]);
    // Each author once, whatever the number of books.
    expect(
      await Author.all()
        .annotate({ n: Count("books") })
        .count(),
    ).toBe(3);
  });

  it("filters and orders on annotations", async () => {
    const rows = await Author.all()
      .annotate({ n: Count("books"), total: Sum("books__price") })
      .filter({ n__gte: 1 })
      .orderBy("-total", "name");
    const count = `(SELECT COUNT("t1"."id") FROM "books" AS "t1" WHERE "t1"."author_id" = "author"."id")`;
    const total = `(SELECT ${decimal("SUM", `"t2"."price"`)} FROM "books" AS "t2" WHERE "t2"."author_id" = "author"."id")`;
    const statement = takeStatements()[0]!;
    expect(statement.params).toEqual([1]);
    expect(statement.sql).toContain(`FROM "author" WHERE ${count} >= ${cmp(1)} ORDER BY `);
    expect(statement.sql).toMatch(
      target.dialect === "postgres"
        ? new RegExp(`ORDER BY ${escape(total)} DESC, "author"."name" ASC$`)
        : target.dialect === "mysql"
          ? new RegExp(
              `ORDER BY ${escape(total)} IS NULL DESC, ${escape(total)} DESC, "author"."name" ASC$`,
            )
          : new RegExp(
              `ORDER BY CAST\\(${escape(total)} AS REAL\\) DESC NULLS FIRST, "author"."name" ASC$`,
            ),
    );
    // NULL sorts first descending, as on Postgres.
    expect(rows.map((r) => [r.name, r.n, r.total])).toEqual([
      ["Grace", 1, null],
      ["Ada", 2, "14.25"],
    ]);
    expect(
      (
        await Author.all()
          .annotate({ total: Sum("books__price") })
          .filter({ total__gt: "10" })
      ).map((a) => a.name),
    ).toEqual(["Ada"]);
    expect(
      await Author.all()
        .annotate({ n: Count("books") })
        .exclude({ n__in: [1, 2] })
        .valuesList("name", { flat: true }),
    ).toEqual([" Zed "]);
  });

  it("groups with groupBy and values, conditions on aggregates going to HAVING", async () => {
    const rows = await Book.all()
      .annotate({ n: Count(), total: Sum("price"), top: Max("price") })
      .groupBy("author__name")
      .filter({ n__gt: 1 })
      .orderBy("author__name")
      .values("author__name", "n", "total", "top");
    expectTypeOf(rows).toEqualTypeOf<
      { author__name: string; n: number; total: string | null; top: string | null }[]
    >();
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT "t1"."name", COUNT(*), ${decimal("SUM", `"books"."price"`)}, ${decimal("MAX", `"books"."price"`)} ` +
          `FROM "books" LEFT JOIN "author" AS "t1" ON "t1"."id" = "books"."author_id" GROUP BY "t1"."name" ` +
          `HAVING COUNT(*) > ${cmp(1)} ORDER BY ${target.dialect === "mysql" ? `"t1"."name" IS NULL ASC, ` : ""}"t1"."name" ASC${target.dialect === "sqlite" ? " NULLS LAST" : ""}`,
        params: [1],
      },
    ]);
    expect(rows).toEqual([{ author__name: "Ada", n: 2, total: "14.25", top: "9.00" }]);
    // Grouping by an own field, filtering rows (WHERE) before grouping.
    expect(
      await Book.filter({ published: true })
        .annotate({ n: Count(), avg: Avg("price") })
        .groupBy("authorId")
        .orderBy("authorId")
        .valuesList("authorId", "n", "avg"),
    ).toEqual([
      [ada.id, 1, 9],
      [grace.id, 1, null],
    ]);
  });

  it("refuses a grouped or aggregate query read as instances, on every database", async () => {
    // SQLite returned one arbitrary book per group, Postgres refused the SELECT.
    for (const grouped of [
      Book.annotate({ n: Count() }).groupBy("authorId"),
      Book.annotate({ n: Count() }),
    ]) {
      const error = await grouped.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(
        "Book: a grouped or aggregate query yields groups, not Book rows; read them with values() or valuesList() (or group by the primary key)",
      );
      expect(() => grouped.sql()).toThrow(ValidationError);
    }
    expect(takeStatements()).toEqual([]);
    // Grouped by the key, each group is one book.
    const byKey = await Book.annotate({ n: Count() }).groupBy("id").orderBy("id");
    expect(byKey.map((b) => [b.title, b.n])).toEqual([
      ["Dune", 1],
      ["Emma", 1],
      ["Notes", 1],
    ]);
  });

  it("refuses a condition testing an aggregate and an ungrouped field together", async () => {
    // SQLite tested an arbitrary book's title per group; Postgres and MariaDB refused the SQL
    // (MariaDB blaming a missing column, with a migration hint).
    const groups = Book.annotate({ n: Count() }).groupBy("author__name");
    for (const mixed of [
      groups.filter(Q.or({ n__gt: 1 }, { title: "Notes" })),
      groups.exclude(Q.and({ n: 1 }, Q.or({ published: true }, { n__gt: 5 }))),
      Book.annotate({ n: Count() }).filter(Q.or({ n__gt: 1 }, { title: "Notes" })),
    ]) {
      const error = await rejects(mixed.values("n"));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(
        /^Book: "(title|published)" is tested in one condition with an aggregate, but the rows are groups and "\1" is neither an aggregate nor grouped by/,
      );
    }
    expect(takeStatements()).toEqual([]);
    // What the groups are grouped by may be tested beside an aggregate, and a field on its own
    // filters the rows before grouping.
    expect(
      await groups
        .filter(Q.or({ n__gt: 1 }, { author__name: "Grace" }))
        .orderBy("author__name")
        .valuesList("author__name", "n"),
    ).toEqual([
      ["Ada", 2],
      ["Grace", 1],
    ]);
    expect(
      await groups
        .filter({ title: "Notes" })
        .filter(Q.or({ n: 1 }))
        .valuesList("author__name", "n"),
    ).toEqual([["Grace", 1]]);
  });

  it("counts distinct values across a many-to-many relation", async () => {
    const tags = await Tag.all()
      .annotate({ titles: Count("books"), authors: Count("books__authorId", { distinct: true }) })
      .orderBy("name")
      .values("name", "titles", "authors");
    expect(tags).toEqual([
      { name: "classic", titles: 3, authors: 2 },
      { name: "sf", titles: 1, authors: 1 },
    ]);
    const through = (t: string, b: string) =>
      `FROM "books_tag" AS "${t}" INNER JOIN "books" AS "${b}" ON "${b}"."id" = "${t}"."book_id" WHERE "${t}"."tag_id" = "tag"."id"`;
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT "tag"."name", (SELECT COUNT("t2"."id") ${through("t1", "t2")}), ` +
          `(SELECT COUNT(DISTINCT "t4"."author_id") ${through("t3", "t4")}) FROM "tag" ORDER BY "tag"."name" ASC`,
        params: [],
      },
    ]);
  });

  it("selects Lower, Upper, Length, Trim and Coalesce, typed", async () => {
    const rows = await Author.all()
      .annotate({
        lower: Lower("name"),
        upper: Upper("name"),
        length: Length("name"),
        trimmed: Trim("name"),
        contact: Coalesce("email", "none"),
      })
      .orderBy("id")
      .values("lower", "upper", "length", "trimmed", "contact");
    expectTypeOf(rows).toEqualTypeOf<
      { lower: string; upper: string; length: number; trimmed: string; contact: string }[]
    >();
    const lower = target.dialect === "sqlite" ? "yara_lower" : "LOWER";
    const upper = target.dialect === "sqlite" ? "yara_upper" : "UPPER";
    // MySQL's LENGTH counts bytes; CHAR_LENGTH characters, as Postgres' LENGTH.
    const length = target.dialect === "mysql" ? "CHAR_LENGTH" : "LENGTH";
    expect(takeStatements()).toEqual([
      {
        sql:
          `SELECT ${lower}("author"."name"), ${upper}("author"."name"), ${length}("author"."name"), TRIM("author"."name"), ` +
          `COALESCE("author"."email", ${p(1)}) FROM "author" ORDER BY "author"."id" ASC`,
        params: ["none"],
      },
    ]);
    expect(rows).toEqual([
      { lower: "ada", upper: "ADA", length: 3, trimmed: "Ada", contact: "ada@example.com" },
      { lower: "grace", upper: "GRACE", length: 5, trimmed: "Grace", contact: "none" },
      { lower: " zed ", upper: " ZED ", length: 5, trimmed: "Zed", contact: "none" },
    ]);
    // Functions compare in filters too.
    expect((await Author.filter({ name: Upper("name") })).length).toBe(0);
    expect(
      (
        await Author.all()
          .annotate({ trimmed: Trim("name") })
          .filter({ trimmed: "Zed" })
      ).map((a) => a.trimmed),
    ).toEqual(["Zed"]);
  });
});

/** `s` as a literal inside a RegExp. */
function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
