/**
 * `bulkUpdate` refuses a list naming one row twice by the key as the database compares it
 * (runtime/model/key-identity.ts): an integer key as a number and as a bigint, or a UUID key in
 * upper and in lower case, is one row, which one statement would update with two values.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { bulkUpdate } from "../../runtime/model/bulk-update.js";
import { Author, Book, Item, Ticket } from "./generated/index.js";
import { forEachTarget, rejects, resetData, takeStatements, type Target } from "./harness.js";

const failure = async (p: PromiseLike<unknown>): Promise<string> => {
  const e = (await rejects(p)) as Error | undefined;
  return e === undefined ? "resolved" : `${e.name}: ${e.message}`;
};

forEachTarget((_target: Target) => {
  let books: Book[];

  beforeEach(async () => {
    await resetData();
    await Ticket.all().delete();
    const ada = await Author.create({ name: "Ada" });
    books = await Book.bulkCreate([
      { title: "A", author: ada },
      { title: "B", author: ada },
    ]);
    takeStatements();
  });

  it("refuses an integer key given as a number and as a bigint, before any SQL", async () => {
    const twin = await Book.get({ id: books[0]!.id });
    (twin as unknown as { id: bigint }).id = BigInt(books[0]!.id);
    books[0]!.title = "first";
    twin.title = "second";
    takeStatements();
    expect(await failure(Book.bulkUpdate([books[0]!, books[1]!, twin], ["title"]))).toBe(
      `ValidationError: Book: bulkUpdate() lists the row ${books[0]!.id} twice (instances 0 and 2)`,
    );
    expect(takeStatements()).toEqual([]);
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual(["A", "B"]);
  });

  it("refuses a UUID key given in upper and in lower case, before any SQL", async () => {
    const [one, two] = await Ticket.bulkCreate([{ title: "one" }, { title: "two" }]);
    const twin = await Ticket.get({ id: one!.id });
    twin.id = one!.id.toUpperCase();
    one!.title = "first";
    twin.title = "second";
    takeStatements();
    const e = (await rejects(Ticket.bulkUpdate([one!, two!, twin], ["title"]))) as Error;
    expect(`${e?.name}: ${e?.message}`).toBe(
      `ValidationError: Ticket: bulkUpdate() lists the row ${one!.id} twice (instances 0 and 2)`,
    );
    expect(e).toMatchObject({ model: "Ticket", field: "id" });
    expect(takeStatements()).toEqual([]);
    expect(await Ticket.all().orderBy("title").valuesList("title", { flat: true })).toEqual([
      "one",
      "two",
    ]);
  });

  it("still updates distinct keys, however they are spelled", async () => {
    const [one, two] = await Ticket.bulkCreate([{ title: "one" }, { title: "two" }]);
    one!.id = one!.id.toUpperCase();
    one!.title = "first";
    two!.title = "second";
    (books[1] as unknown as { id: bigint }).id = BigInt(books[1]!.id);
    books[1]!.title = "B2";
    expect(await Ticket.bulkUpdate([one!, two!], ["title"])).toBe(2);
    expect(await Book.bulkUpdate(books, ["title"])).toBe(2);
    expect(await Ticket.all().orderBy("title").valuesList("title", { flat: true })).toEqual([
      "first",
      "second",
    ]);
    expect(await Book.all().orderBy("id").valuesList("title", { flat: true })).toEqual(["A", "B2"]);
  });
});

describe("bulkUpdate() keyed by a BigIntField", () => {
  // Item's `big` standing in for a BigIntField primary key: the list is refused before the
  // manager is asked for a connection, so no table keyed by it is needed.
  const manager = { meta: { ...Item.objects.meta, pk: "big" }, model: Item };

  it("takes 5 and 5n as one row", async () => {
    const a = Item.build({ name: "a", big: 5 as unknown as bigint });
    const b = Item.build({ name: "b", big: 5n });
    expect(await failure(bulkUpdate(manager as never, [a, b], ["name"]))).toBe(
      "ValidationError: Item: bulkUpdate() lists the row 5 twice (instances 0 and 1)",
    );
  });

  it("takes 5n and 6 as two rows", async () => {
    const a = Item.build({ name: "a", big: 5n });
    const b = Item.build({ name: "b", big: 6 as unknown as bigint });
    // Past the key checks: the stand-in manager has no connection to give.
    expect(await failure(bulkUpdate(manager as never, [a, b], ["name"]))).not.toMatch(/twice/);
  });
});
