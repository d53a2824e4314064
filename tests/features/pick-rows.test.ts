/**
 * `last()`, `earliest(...fields)`, `latest(...fields)` with Django's semantics, and
 * `inBulk(values, { field })` keyed by a unique field, on every database and driver.
 */
import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { Author, Book, Profile, Tag } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

const failure = async (p: PromiseLike<unknown>): Promise<string> => {
  const e = (await rejects(p)) as Error | undefined;
  return e === undefined ? "resolved" : `${e.name}: ${e.message}`;
};

forEachTarget((target: Target) => {
  const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
  let ada: Author;
  let grace: Author;
  let a: Book;
  let b: Book;
  let c: Book;

  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada", email: "ada@x.org" });
    grace = await Author.create({ name: "Grace", email: "grace@x.org" });
    a = await Book.create({ title: "B-first", price: "3.00", author: ada });
    b = await Book.create({ title: "A-second", price: "1.00", author: grace });
    c = await Book.create({ title: "C-third", price: null, author: ada });
    takeStatements();
  });

  // Book's model ordering is ["-id"]; Tag has none.
  it.each([
    ["the model ordering reversed", () => Book.last(), () => a, /ORDER BY "books"."id" ASC/],
    [
      "an explicit ordering reversed",
      () => Book.all().orderBy("title").last(),
      () => c,
      /ORDER BY "books"."title" DESC/,
    ],
    [
      "a descending ordering reversed (NULL first descending, so last ascending)",
      () => Book.orderBy("-price").last(),
      () => b,
      /ORDER BY (CAST\()?"books"."price"( AS REAL\))? ASC/,
    ],
    [
      "within a filter",
      () => Book.filter({ authorId: 0 }).last(),
      () => null,
      /ORDER BY "books"."id" ASC/,
    ],
  ])("last(): %s", async (_what, last, expected, order) => {
    const got = await last();
    expect(got?.id ?? null).toBe(expected()?.id ?? null);
    // MySQL spells NULL's place out before the value: `x IS NULL ASC, x ASC`.
    const sql = takeStatements()[0]!.sql.replace(/("books"\."\w+") IS NULL (ASC|DESC), /g, "");
    expect(sql).toMatch(order);
  });

  it("last() without any ordering orders by the key descending; a sliced query is refused", async () => {
    const t1 = await Tag.create({ name: "x" });
    const t2 = await Tag.create({ name: "y" });
    takeStatements();
    expect((await Tag.last())?.id).toBe(t2.id);
    expect(takeStatements()[0]!.sql).toMatch(/ORDER BY "tag"."id" DESC( NULLS FIRST)? LIMIT/);
    expect((await Tag.all().orderBy("-name").last())?.id).toBe(t1.id);
    expect(await failure(Book.all().limit(2).last())).toMatch(
      /^ValidationError: Book: last\(\) cannot follow limit\(\) or offset\(\)/,
    );
    expectTypeOf(Book.last()).toEqualTypeOf<Promise<Book | null>>();
  });

  it.each([
    ["earliest by title", () => Book.earliest("title"), () => b],
    ["latest by title", () => Book.latest("title"), () => c],
    ["earliest by a descending field", () => Book.earliest("-price"), () => c],
    [
      "latest by price (NULL first descending, as ordering puts it)",
      () => Book.latest("price"),
      () => c,
    ],
    ["earliest by two fields", () => Book.earliest("authorId", "title"), () => a],
    ["latest through a relation", () => Book.latest("author__name", "-title"), () => b],
    ["earliest of a filtered query", () => Book.filter({ author: ada }).earliest("price"), () => a],
  ])("%s", async (_what, pick, expected) => {
    expect((await pick()).id).toBe(expected().id);
  });

  it("earliest()/latest() reject with DoesNotExist on no rows and refuse bad arguments", async () => {
    expect(await failure(Book.filter({ authorId: 0 }).latest("title"))).toMatch(/^DoesNotExist/);
    // @ts-expect-error not a field
    expect(await failure(Book.earliest("titel"))).toMatch(/^FieldError: .*titel/);
    expect(await failure(Book.all().latest())).toMatch(
      /^ValidationError: Book: latest\(\) needs at least one field/,
    );
    expect(await failure(Book.all().offset(1).earliest("id"))).toMatch(
      /cannot follow limit\(\) or offset\(\)/,
    );
    expectTypeOf(Book.latest("title")).toEqualTypeOf<Promise<Book>>();
  });

  it("inBulk keys by the primary key, or by a unique field", async () => {
    const byId = await Book.inBulk([a.id, c.id, 999]);
    expectTypeOf(byId).toEqualTypeOf<Map<number, Book>>();
    expect([...byId.keys()].sort()).toEqual([a.id, c.id].sort());
    takeStatements();
    const byEmail = await Author.inBulk(["ada@x.org", "nobody@x.org"], { field: "email" });
    expectTypeOf(byEmail).toEqualTypeOf<Map<string, Author>>();
    expect([...byEmail.entries()].map(([k, v]) => [k, v.id])).toEqual([["ada@x.org", ada.id]]);
    const [sent] = takeStatements();
    expect(sent!.params).toHaveLength(1); // the whole list is one parameter
    const profile = await Profile.create({ author: grace });
    const byAuthor = await Profile.inBulk([grace.id], { field: "authorId" });
    expect(byAuthor.get(grace.id)?.id).toBe(profile.id);
    const filtered = await Book.filter({ author: ada }).inBulk([a.id, b.id]);
    expect([...filtered.keys()]).toEqual([a.id]);
    expect((await Author.inBulk([], { field: "email" })).size).toBe(0);
  });

  it("inBulk refuses a field that is not unique, as Django does", async () => {
    // @ts-expect-error options need a field
    expect(await failure(Book.inBulk([1], {}))).toBe("resolved");
    expect(await failure(Book.inBulk(["x"], { field: "title" }))).toBe(
      "ValidationError: Book: inBulk() field must be unique, and title is not",
    );
    expect(await failure(Book.inBulk(["x"], { field: "titel" as "title" }))).toMatch(
      /^FieldError: .*titel/,
    );
    expect(await failure(Book.inBulk([1], { fields: "id" } as never))).toMatch(
      /^ValidationError: .*fields/,
    );
    expect(p(1)).toBeTruthy();
  });
});
