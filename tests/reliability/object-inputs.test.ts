/**
 * Guarantee: an object the query API reads keys from — a filter, create/update data, defaults,
 * annotations — is a plain object (or a Q where a filter is expected), else a ValidationError
 * before any SQL is sent. A Map, a Date, a class instance, an object whose keys are inherited,
 * non-enumerable or symbols used to read as "no condition": `filter(x).delete()` emptied the
 * table and `.update()` rewrote every row. `{}` and no filter still mean every row (that is what
 * the user wrote). Also here: sparse arrays, raw() parameters, annotation names and -0, each
 * the same answer on every database × driver.
 */
import { beforeEach, expect, it } from "vitest";
import { Author, Book, Count, Item, Q, ValidationError } from "../features/generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements } from "../features/harness.js";

class NameFilter {
  get name(): string {
    return "Ada";
  }
}

/** Objects that are not filters, each named for the test output. */
function notPlain(): Array<[string, object]> {
  const hidden = {};
  Object.defineProperty(hidden, "name", { value: "Ada", enumerable: false });
  const withSymbol = { [Symbol("name")]: "Ada" };
  return [
    ["a Map", new Map([["name", "Ada"]])],
    ["Object.create({ name })", Object.create({ name: "Ada" }) as object],
    ["{ __proto__: { name } }", { __proto__: { name: "Ada" } }],
    ["a class instance with getters", new NameFilter()],
    ["a Date", new Date()],
    ["a non-enumerable key", hidden],
    ["a symbol key", withSymbol],
    ["a Set", new Set(["Ada"])],
    ["a boxed string", new String("Ada")],
  ];
}

forEachTarget((target) => {
  beforeEach(resetData);

  async function seed(): Promise<void> {
    const ada = await Author.create({ name: "Ada" });
    const bob = await Author.create({ name: "Bob" });
    await Book.create({ title: "Notes", author: ada });
    await Book.create({ title: "Poems", author: bob });
    takeStatements();
  }

  it("refuses a filter that is not a plain object before any SQL: delete and update touch nothing", async () => {
    await seed();
    for (const [what, where] of notPlain()) {
      for (const run of [
        () => Author.filter(where as never).delete(),
        () => Author.filter(where as never).update({ name: "Zed" }),
        () => Author.exclude(where as never).delete(),
        () => Author.filter(where as never).count(),
        () => Author.get(where as never),
        () => Author.getOrNone(where as never),
        () => Author.filter(Q.or(where as never, { name: "nobody" })).delete(),
        () => Author.filter(Q(where as never).not()).delete(),
      ]) {
        const error = await rejects(run());
        expect(error, what).toBeInstanceOf(ValidationError);
        expect((error as Error).message, what).toMatch(/a filter must be a plain object or a Q/);
      }
    }
    expect(takeStatements(), "no SQL was sent").toEqual([]);
    expect((await Author.all().orderBy("id")).map((a) => a.name)).toEqual(["Ada", "Bob"]);
    expect(await Book.all().count()).toBe(2);
  });

  it("names what the object was", async () => {
    const message = async (where: object) =>
      ((await rejects(Author.filter(where as never).delete())) as Error).message;
    expect(await message(new Map())).toMatch(/not a Map$/);
    expect(await message(new NameFilter())).toMatch(/not an instance of NameFilter$/);
    expect(await message(Object.create({ name: "Ada" }) as object)).toMatch(/prototype of its own/);
    const hidden = {};
    Object.defineProperty(hidden, "name", { value: "Ada" });
    expect(await message(hidden)).toMatch(/non-enumerable key "name"/);
  });

  it("still lets {} and no filter mean every row", async () => {
    await seed();
    expect(await Book.filter({}).count()).toBe(2);
    expect(await Book.filter(Object.create(null) as object).count()).toBe(2);
    expect(await Book.filter({}).update({ published: true })).toBe(2);
    expect(await Book.all().delete()).toBe(2);
  });

  it("refuses create, bulkCreate, update, getOrCreate and updateOrCreate data that is not a plain object", async () => {
    await seed();
    const ada = await Author.get({ name: "Ada" });
    takeStatements();
    for (const [what, data] of notPlain()) {
      const calls: Array<[string, () => Promise<unknown>]> = [
        ["create", () => Author.create(data as never)],
        ["bulkCreate", () => Author.bulkCreate([{ name: "Cy" }, data as never])],
        ["update", () => Author.all().update(data as never)],
        ["getOrCreate where", () => Author.getOrCreate(data as never)],
        ["getOrCreate defaults", () => Author.getOrCreate({ name: "Dee" }, data as never)],
        ["updateOrCreate where", () => Author.updateOrCreate(data as never, { name: "Eve" })],
        ["updateOrCreate defaults", () => Author.updateOrCreate({ id: ada.id }, data as never)],
        [
          "annotate",
          () =>
            Author.all()
              .annotate(data as never)
              .count(),
        ],
      ];
      for (const [call, run] of calls) {
        const error = await rejects(run());
        expect(error, `${call} with ${what}`).toBeInstanceOf(ValidationError);
        expect((error as Error).message, `${call} with ${what}`).toMatch(/must be a plain object/);
      }
    }
    expect(
      takeStatements().filter((s) => !/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/i.test(s.sql)),
    ).toEqual([]);
    expect((await Author.all().orderBy("id")).map((a) => a.name)).toEqual(["Ada", "Bob"]);
  });

  it("refuses a sparse array in in, not_in and range with a ValidationError", async () => {
    await seed();
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , 2];
    for (const key of ["id__in", "id__not_in", "id__range"]) {
      const value = key === "id__range" ? [1, ,] : sparse;
      const error = await rejects(Author.filter({ [key]: value } as never).delete());
      expect(error, key).toBeInstanceOf(ValidationError);
      expect((error as Error).message, key).toMatch(/hole at index 1/);
    }
    expect(await Author.all().count()).toBe(2);
  });

  it("validates raw() parameters the same way on every driver", async () => {
    const sql = `SELECT * FROM author WHERE name = ${target.dialect === "postgres" ? "$1" : "?"}`;
    const bad: Array<[unknown, RegExp]> = [
      ["Ada", /parameters must be an array, got a string/],
      [{ 0: "Ada" }, /parameters must be an array, got an object/],
      [[undefined], /parameter 1 is undefined/],
      [[{ name: "Ada" }], /parameter 1 is an object/],
      [[new Date()], /parameter 1 is a Date;.*toISOString/],
      [[Symbol("x")], /parameter 1 is a symbol/],
      [[() => "Ada"], /parameter 1 is a function/],
      // eslint-disable-next-line no-sparse-arrays
      [[, "Ada"], /parameter 1 is missing/],
      [[["a", undefined]], /parameter 1\[1\] is undefined/],
    ];
    for (const [params, message] of bad) {
      const error = await rejects(Author.raw(sql, params as never));
      expect(error, String(message)).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(message);
    }
    expect(await rejects(Author.raw(42 as never))).toBeInstanceOf(ValidationError);
    await Author.create({ name: "Ada" });
    expect((await Author.raw(sql, ["Ada"])).map((a) => a.name)).toEqual(["Ada"]);
  });

  it("refuses annotation names that collide with instance members, and keeps every values() key", async () => {
    await seed();
    for (const name of [
      "save",
      "delete",
      "refreshFromDb",
      "__proto__",
      "constructor",
      "toString",
    ]) {
      const error = await rejects(
        Author.all()
          .annotate({ [name]: Count("books") } as never)
          .first(),
      );
      expect(error, name).toBeInstanceOf(ValidationError);
      expect((error as Error).message, name).toMatch(/conflicts with the instance member/);
    }
    const rows = await Author.all()
      .annotate({ n: Count("books") })
      .values("name", "n")
      .orderBy("name");
    expect(rows).toEqual([
      { name: "Ada", n: 1 },
      { name: "Bob", n: 1 },
    ]);
  });

  it("stores -0 as 0 so every database answers the same", async () => {
    const item = await Item.create({ name: "zero", ratio: -0 });
    expect(Object.is((await Item.get({ id: item.id })).ratio, 0)).toBe(true);
    await Item.filter({ id: item.id }).update({ ratio: -0 });
    expect(Object.is((await Item.get({ id: item.id })).ratio, 0)).toBe(true);
    expect(await Item.filter({ ratio: -0 }).count()).toBe(1);
  });
});
