/**
 * Keys held in memory are matched with the keys a query reads back as the database compares
 * them (runtime/model/key-identity.ts `keyMatch`), not by JavaScript identity: an integer key
 * as a number or as a bigint, a UUID key in upper or in lower case, is one row.
 * - prefetchRelated / fetchRelated / fetchForList: a foreign key (or an instance's own key) set
 *   in JavaScript in another spelling than the database returns still finds its related rows,
 *   for forward keys, reverse one-to-one and to-many relations and many-to-many relations
 *   (before, the relation was silently null or empty);
 * - inBulk(): the map is keyed by the values given, so `get()` with a value given finds its row;
 * - refreshFromDb(): a to-one relation loaded for a key held in another spelling stays loaded
 *   (before, it was forgotten and the next access needed a fetch).
 *
 * The shared schema (app.schema.ts) has integer keys and a UUID key without relations; the
 * models keyed by a UUID and by a BigIntField, with relations between them, are generated here
 * from a schema of their own (registered before the harness creates the tables).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeEach, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";
import { RelationNotLoadedError } from "../../runtime/errors.js";
import { Author, Book, Tag, Ticket } from "./generated/index.js";
import { forEachTarget, resetData, takeStatements, type Target } from "./harness.js";

const SCHEMA = `import { defineSchema, fields } from "yara-orm/schema";

export default defineSchema({
  Crew: {
    id: fields.UUIDField({ pk: true }),
    name: fields.CharField({ maxLength: 40 }),
    code: fields.DecimalField({ maxDigits: 6, decimalPlaces: 2, unique: true, null: true }),
    formed: fields.DatetimeField({ unique: true, null: true }),
  },
  Sailor: {
    id: fields.BigIntField({ pk: true }),
    name: fields.CharField({ maxLength: 40 }),
    crew: fields.ForeignKeyField("Crew", { relatedName: "sailors", null: true }),
    medals: fields.ManyToManyField("Medal", { relatedName: "sailors" }),
  },
  Medal: {
    id: fields.UUIDField({ pk: true }),
    name: fields.CharField({ maxLength: 40 }),
  },
  Logbook: {
    id: fields.IntField({ pk: true }),
    sailor: fields.OneToOneField("Sailor", { relatedName: "logbook" }),
    pages: fields.IntField({ default: 0 }),
  },
});
`;

/** What these tests use of a generated model class and its instances. */
type Instance = Record<string, unknown> & {
  fetchRelated(...paths: string[]): Promise<void>;
  refreshFromDb(): Promise<void>;
  readonly medals: { add(...targets: Instance[]): Promise<void> };
};
interface QuerySetLike extends PromiseLike<Instance[]> {
  delete(): Promise<number>;
  orderBy(...fields: string[]): QuerySetLike;
}
interface ModelClass {
  create(data: Record<string, unknown>): Promise<Instance>;
  get(where: Record<string, unknown>): Promise<Instance>;
  all(): QuerySetLike;
  filter(where: Record<string, unknown>): QuerySetLike;
  inBulk(values: readonly unknown[], options?: { field: string }): Promise<Map<unknown, Instance>>;
  fetchForList(instances: readonly unknown[], ...paths: unknown[]): Promise<void>;
}

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = join(root, "tests/generator/.work", `key-matching-${process.pid}`);
mkdirSync(work, { recursive: true });
writeFileSync(join(work, "app.schema.ts"), SCHEMA);
const generated = await generate(join(work, "app.schema.ts"), join(work, "generated"));
if (!generated.ok) throw new Error("the key-matching schema has problems");
await writeFiles(join(work, "generated"), generated.files);
const client = (await import(pathToFileURL(join(work, "generated/index.js")).href)) as Record<
  "Crew" | "Sailor" | "Medal" | "Logbook",
  ModelClass
>;
const { Crew, Sailor, Medal, Logbook } = client;
afterAll(() => rmSync(work, { recursive: true, force: true }));

const upper = (id: unknown): string => String(id).toUpperCase();
/** The names in a loaded to-many relation (its manager's `loaded`), sorted. */
const names = (related: unknown): unknown[] =>
  (related as { loaded: Instance[] }).loaded.map((m) => m["name"]).sort();

forEachTarget((_target: Target) => {
  beforeEach(async () => {
    await resetData();
    await Ticket.all().delete();
    await Logbook.all().delete();
    await Sailor.all().delete();
    await Medal.all().delete();
    await Crew.all().delete();
    takeStatements();
  });

  it("fetches an integer key's relations when the key is held as a bigint", async () => {
    const ada = await Author.create({ name: "Ada" });
    const [dune] = await Book.bulkCreate([
      { title: "Dune", author: ada },
      { title: "Emma", author: ada },
    ]);
    const sf = await Tag.create({ name: "sf" });
    await dune!.tags.add(sf);

    // Forward key: one key bound for the two spellings of one author.
    const books = await Book.all().orderBy("id");
    (books[0] as unknown as { authorId: bigint }).authorId = BigInt(ada.id);
    takeStatements();
    await Book.fetchForList(books, "author");
    expect(takeStatements()).toHaveLength(1);
    expect(books.map((b) => b.author.name)).toEqual(["Ada", "Ada"]);
    expect(books[0]!.author).toBe(books[1]!.author);

    // Reverse to-many and many-to-many, from an own key held as a bigint.
    const author = await Author.get({ id: ada.id });
    (author as unknown as { id: bigint }).id = BigInt(ada.id);
    await author.fetchRelated("books");
    expect(author.books.loaded.map((b) => b.title).sort()).toEqual(["Dune", "Emma"]);
    const book = await Book.get({ id: dune!.id });
    (book as unknown as { id: bigint }).id = BigInt(dune!.id);
    await book.fetchRelated("tags");
    expect(book.tags.loaded.map((t) => t.name)).toEqual(["sf"]);
  });

  it("fetches a UUID key's relations whatever the case the key is held in", async () => {
    const crew = await Crew.create({ name: "Red" });
    const [ann, bob] = [
      await Sailor.create({ name: "Ann", crew }),
      await Sailor.create({ name: "Bob", crew }),
    ];
    expect(crew["id"]).toBe(String(crew["id"]).toLowerCase());

    // Forward key set in JavaScript in upper case: fetchRelated, and a query's prefetchRelated.
    ann!["crewId"] = upper(crew["id"]);
    await ann!.fetchRelated("crew");
    expect((ann!["crew"] as Instance)["name"]).toBe("Red");
    await Sailor.fetchForList([ann!, bob!], "crew");
    expect([ann!["crew"], bob!["crew"]].map((c) => (c as Instance)["id"])).toEqual([
      crew["id"],
      crew["id"],
    ]);

    // Reverse to-many from an own key in upper case.
    const held = await Crew.get({ id: crew["id"] });
    held["id"] = upper(crew["id"]);
    await held.fetchRelated("sailors");
    expect(names(held["sailors"])).toEqual(["Ann", "Bob"]);
  });

  it("fetches a BigIntField key's relations when the key is held as a number", async () => {
    const ann = await Sailor.create({ name: "Ann" });
    expect(typeof ann["id"]).toBe("bigint");
    const log = await Logbook.create({ sailor: ann, pages: 3 });
    const [gold, iron] = [
      await Medal.create({ name: "Gold" }),
      await Medal.create({ name: "Iron" }),
    ];
    await ann.medals.add(gold!, iron!);

    // Reverse one-to-one and many-to-many from an own key held as a number.
    const held = await Sailor.get({ id: ann["id"] });
    held["id"] = Number(ann["id"]);
    await held.fetchRelated("logbook", "medals");
    expect((held["logbook"] as Instance)["pages"]).toBe(3);
    expect(names(held["medals"])).toEqual(["Gold", "Iron"]);

    // Forward one-to-one key held as a number; the other side of the many-to-many from a UUID
    // held in upper case.
    const logbook = await Logbook.get({ id: log["id"] });
    logbook["sailorId"] = Number(ann["id"]);
    await logbook.fetchRelated("sailor");
    expect((logbook["sailor"] as Instance)["name"]).toBe("Ann");
    const medal = await Medal.get({ id: gold!["id"] });
    medal["id"] = upper(gold!["id"]);
    await medal.fetchRelated("sailors");
    expect(names(medal["sailors"])).toEqual(["Ann"]);
  });

  it("a nested path matches each level's keys: sailors__medals from an upper-case crew key", async () => {
    const crew = await Crew.create({ name: "Red" });
    const ann = await Sailor.create({ name: "Ann", crew });
    await ann.medals.add(await Medal.create({ name: "Gold" }));
    const held = await Crew.get({ id: crew["id"] });
    held["id"] = upper(crew["id"]);
    await held.fetchRelated("sailors__medals");
    const sailors = (held["sailors"] as { loaded: Instance[] }).loaded;
    expect(names(held["sailors"])).toEqual(["Ann"]);
    expect(names(sailors[0]!["medals"])).toEqual(["Gold"]);
  });

  it("refreshFromDb keeps a to-one relation whose key is only spelled differently", async () => {
    const ada = await Author.create({ name: "Ada" });
    const dune = await Book.create({ title: "Dune", author: ada });
    const book = await Book.get({ id: dune.id });
    await book.fetchRelated("author");
    (book as unknown as { authorId: bigint }).authorId = BigInt(ada.id);
    takeStatements();
    await book.refreshFromDb();
    expect(book.author.name).toBe("Ada");
    expect(book.authorId).toBe(ada.id);
    expect(takeStatements()).toHaveLength(1);

    const crew = await Crew.create({ name: "Red" });
    const ann = await Sailor.create({ name: "Ann", crew });
    const held = await Sailor.get({ id: ann["id"] });
    await held.fetchRelated("crew");
    held["crewId"] = upper(crew["id"]);
    takeStatements();
    await held.refreshFromDb();
    expect((held["crew"] as Instance)["name"]).toBe("Red");
    expect(takeStatements()).toHaveLength(1);

    // A key that names another row still forgets the relation loaded for the old one.
    const other = await Author.create({ name: "Bea" });
    await Book.filter({ id: dune.id }).update({ author: other });
    await book.refreshFromDb();
    expect(() => book.author).toThrow(RelationNotLoadedError);
  });

  it("inBulk keys its map by the UUIDs given, in the case given", async () => {
    const [one, two] = await Ticket.bulkCreate([{ title: "one" }, { title: "two" }]);
    const map = await Ticket.inBulk([
      one!.id.toUpperCase(),
      two!.id,
      "00000000-0000-4000-8000-000000000000",
    ]);
    expect([...map.keys()]).toEqual([one!.id.toUpperCase(), two!.id]);
    expect(map.get(one!.id.toUpperCase())?.title).toBe("one");
    expect(map.get(one!.id.toUpperCase())?.id).toBe(one!.id);
    expect(map.get(two!.id)?.title).toBe("two");
  });

  it("inBulk keys its map by the integers given, as numbers or as bigints", async () => {
    const ada = await Author.create({ name: "Ada" });
    const [a, b] = await Book.bulkCreate([
      { title: "A", author: ada },
      { title: "B", author: ada },
    ]);
    const byBook = await Book.inBulk([BigInt(a!.id) as unknown as number, b!.id]);
    expect([...byBook.keys()]).toEqual([BigInt(a!.id), b!.id]);
    expect(byBook.get(BigInt(a!.id) as unknown as number)?.title).toBe("A");
    expect(byBook.get(b!.id)?.title).toBe("B");

    // A BigIntField key, read back as a bigint: found by the number given.
    const ann = await Sailor.create({ name: "Ann" });
    const bob = await Sailor.create({ name: "Bob" });
    const id = ann["id"] as bigint;
    const bySailor = await Sailor.inBulk([Number(id), bob["id"], 999_999_999]);
    expect([...bySailor.keys()]).toEqual([Number(id), bob["id"]]);
    expect(bySailor.get(Number(id))?.["name"]).toBe("Ann");
    expect(bySailor.get(Number(id))?.["id"]).toBe(id);
    expect(bySailor.get(id)).toBeUndefined();
    // One row given in two spellings is under both, as the same instance.
    const twice = await Sailor.inBulk([id, Number(id)]);
    expect([...twice.keys()]).toEqual([id, Number(id)]);
    expect(twice.get(id)).toBe(twice.get(Number(id)));
  });

  it("inBulk by a unique field of another kind matches its values as the database does", async () => {
    const formed = new Date("2024-05-01T10:00:00Z");
    await Crew.create({ name: "Red", code: "1.5", formed });
    const byCode = await Crew.inBulk(["1.50", 2], { field: "code" });
    expect([...byCode.keys()]).toEqual(["1.50"]);
    expect(byCode.get("1.50")?.["name"]).toBe("Red");
    const byFormed = await Crew.inBulk([formed], { field: "formed" });
    expect(byFormed.get(formed)?.["name"]).toBe("Red");
  });
});
