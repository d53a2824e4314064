/**
 * Arguments the API does not take are refused before any SQL (runtime/argument-count.ts). From
 * JavaScript, or past a cast, they were dropped without a word, so the statement read or wrote
 * other rows than meant: `all().delete({ id })` deleted every row, a second filter object (which
 * Django ANDs) widened the match, Prisma's `count({ where })` counted the table, and
 * `create(data, { using })` wrote on the default connection.
 */
import { beforeEach, expect, it } from "vitest";
import { ValidationError } from "../../runtime/errors.js";
import { Author, Book } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "./harness.js";

/** The models as untyped JavaScript sees them. */
type Untyped = Record<string, (...args: unknown[]) => unknown>;
const untyped = (value: unknown): Untyped => value as Untyped;

/** The message `call` rejects with (or throws when awaited), checking it is a ValidationError. */
async function refusal(call: () => unknown): Promise<string> {
  const error = await rejects(Promise.resolve().then(call) as PromiseLike<unknown>);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as Error).message;
}

forEachTarget(() => {
  let ada: Author;
  beforeEach(async () => {
    await resetData();
    ada = await Author.create({ name: "Ada" });
    await Book.bulkCreate([
      { title: "Dune", author: ada, published: true },
      { title: "Emma", author: ada, published: false },
    ]);
    takeStatements();
  });

  it("delete() given a condition deletes nothing and says to filter first", async () => {
    const dune = await Book.get({ title: "Dune" });
    takeStatements();
    expect(await refusal(() => untyped(Book.all()).delete!({ id: dune.id }))).toBe(
      "Book: delete() takes no argument and was given 1: filter the rows first, as in Book.filter({ … }).delete()",
    );
    expect(await refusal(() => untyped(ada.books).count!({ where: { title: "Dune" } }))).toBe(
      "Book: count() takes no argument and was given 1: filter the rows first, as in Book.filter({ … }).count()",
    );
    expect(takeStatements()).toEqual([]);
    expect(await Book.count()).toBe(2);
  });

  it("a second condition object is refused, not dropped", async () => {
    const condition =
      "takes one argument and was given 2: put every condition in one object, or combine them with Q.and(…) or Q.or(…)";
    const calls: Array<[string, () => unknown]> = [
      ["filter()", () => untyped(Book).filter!({ title: "Dune" }, { published: false })],
      ["exclude()", () => untyped(Book).exclude!({ title: "Dune" }, { published: true })],
      ["get()", () => untyped(Book).get!({ title: "Dune" }, { published: false })],
      ["getOrNone()", () => untyped(Book).getOrNone!({ title: "Dune" }, { published: false })],
      ["filter()", () => untyped(Book.all()).filter!({ title: "Dune" }, { published: false })],
      ["get()", () => untyped(Book.all()).get!({ title: "Dune" }, { published: false })],
      ["filter()", () => untyped(ada.books).filter!({ title: "Dune" }, { published: false })],
      ["exclude()", () => untyped(ada.books).exclude!({ title: "Dune" }, { published: true })],
    ];
    for (const [method, call] of calls)
      expect(await refusal(call)).toBe(`Book: ${method} ${condition}`);
    // A refused step is kept and thrown when the query runs, whatever follows it.
    const chained = untyped(Book.all()).filter!({ title: "Dune" }, { published: false });
    expect(await refusal(() => untyped(chained).delete!())).toMatch(/^Book: filter\(\) takes one/);
    expect(takeStatements()).toEqual([]);
    expect(await Book.count()).toBe(2);
  });

  it("reads that take no condition refuse one", async () => {
    for (const [method, call] of [
      ["count()", () => untyped(Book).count!({ where: { title: "Dune" } })],
      ["exists()", () => untyped(Book).exists!({ title: "Nope" })],
      ["first()", () => untyped(Book).first!({ title: "Emma" })],
      ["last()", () => untyped(Book).last!({ title: "Dune" })],
      ["count()", () => untyped(Book.filter({ published: true })).count!({ title: "x" })],
      ["exists()", () => untyped(ada.books).exists!({ title: "Nope" })],
    ] as const)
      expect(await refusal(call)).toBe(
        `Book: ${method} takes no argument and was given 1: filter the rows first, as in Book.filter({ … }).${method}`,
      );
    expect(takeStatements()).toEqual([]);
  });

  it("writes given options they do not take write nothing", async () => {
    const connection =
      "to use a named connection call Book.using(name) first; inside inTransaction() the statement joins the transaction by itself";
    for (const [method, most, call] of [
      ["create()", 1, () => untyped(Book).create!({ title: "New", author: ada }, { using: "x" })],
      [
        "bulkCreate()",
        2,
        () => untyped(Book).bulkCreate!([{ title: "New", author: ada }], {}, { using: "x" }),
      ],
      [
        "getOrCreate()",
        2,
        () => untyped(Book).getOrCreate!({ title: "New" }, { author: ada }, { using: "x" }),
      ],
      [
        "updateOrCreate()",
        2,
        () => untyped(Book).updateOrCreate!({ title: "New" }, { author: ada }, { title: "x" }),
      ],
      ["update()", 1, () => untyped(Book.filter({ title: "Dune" })).update!({ title: "D" }, {})],
    ] as const) {
      const takes = most === 1 ? "one argument" : `${most} arguments`;
      expect(await refusal(call)).toBe(
        `Book: ${method} takes ${takes} and was given ${most + 1}: ${connection}`,
      );
    }
    expect(takeStatements()).toEqual([]);
    expect(await Book.all().orderBy("title").valuesList("title", { flat: true })).toEqual([
      "Dune",
      "Emma",
    ]);
  });

  it("the arguments a method takes still work, an omitted optional one too", async () => {
    expect((await Book.filter({ title: "Dune" })).map((b) => b.title)).toEqual(["Dune"]);
    expect((await Book.get({ title: "Emma" })).published).toBe(false);
    expect(await Book.filter({ published: true }).count()).toBe(1);
    const [, created] = await Book.getOrCreate({ title: "Dune" });
    expect(created).toBe(false);
    expect(await Book.all().orderBy("id").first()).not.toBeNull();
  });
});
