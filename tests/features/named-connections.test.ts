// Named connections on every database × driver: two private databases opened by one
// YaraOrm.init({ connections }), reached with using() on query sets, managers and statics,
// inTransaction(fn, { using }) and a router; unknown names and options are clear errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Author,
  Book,
  ConfigurationError,
  Tag,
  ValidationError,
  YaraOrm,
  inTransaction,
  type Router,
} from "./generated/index.js";
import type { QueryEvent } from "../../runtime/driver/driver.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";
import { rejects } from "./harness.js";

/** While set, Author rows are read from "other", as from a replica that lags behind. */
let authorsLag = false;

/** Tags are written to "other" by this router; everything else has no opinion. */
const tagsElsewhere: Router = {
  dbForWrite: (model) => (model.name === "Tag" ? "other" : undefined),
  dbForRead: (model) =>
    model.name === "Tag" || (authorsLag && model.name === "Author") ? "other" : undefined,
};

for (const target of targets()) {
  describe(target.name, () => {
    const dbs: IsolatedDatabase[] = [];
    const events: QueryEvent[] = [];
    beforeAll(async () => {
      dbs.push(await isolate(target), await isolate(target));
      await YaraOrm.init({
        connections: { default: dbs[0]!.url, other: dbs[1]!.url },
        driver: target.driver,
        routers: [tagsElsewhere],
        log: (e) => events.push(e),
      });
      await YaraOrm.generateSchemas();
      // MySQL commits DDL on its own: generateSchemas refuses to run inside a transaction there.
      if (target.dialect === "mysql") await YaraOrm.generateSchemas({ using: "other" });
      else await inTransaction(() => YaraOrm.generateSchemas(), { using: "other" });
    });
    afterAll(async () => {
      await YaraOrm.close();
      for (const db of dbs) await db.dispose();
    });
    beforeEach(async () => {
      for (const name of ["default", "other"]) {
        await Book.using(name).all().delete();
        await Author.using(name).all().delete();
        await Tag.using(name).all().delete();
      }
      events.length = 0;
    });

    it("bulkCreate of more rows than one INSERT binds writes on the routed connection only", async () => {
      // 33 000 one-column rows (over 32 767 values): COPY on the native Postgres engine, INSERTs elsewhere.
      const tags = await Tag.bulkCreate(
        Array.from({ length: 33_000 }, (_, i) => ({ name: `t${i}` })),
      );
      expect(tags).toHaveLength(33_000);
      expect(await Tag.using("other").all().count()).toBe(33_000);
      expect(await Tag.using("default").all().count()).toBe(0);
      const verbs = new Set(events.map((e) => e.sql.split(" ")[0]));
      expect(
        verbs.has(target.dialect === "postgres" && target.driver === "native" ? "COPY" : "INSERT"),
      ).toBe(true);
    });

    it("init names the open connections, default first", () => {
      expect(YaraOrm.connections).toEqual(["default", "other"]);
    });

    it("using() on statics, managers and query sets reads and writes that connection only", async () => {
      const a = await Author.using("other").create({ name: "elsewhere" });
      await Author.create({ name: "here" });
      expect(await Author.using("other").all().valuesList("name", { flat: true })).toEqual([
        "elsewhere",
      ]);
      expect(await Author.all().valuesList("name", { flat: true })).toEqual(["here"]);
      expect(await Author.objects.using("other").get({ id: a.id })).toMatchObject({
        name: "elsewhere",
      });
      expect(await Author.all().using("other").filter({ name: "here" }).exists()).toBe(false);
      expect(
        await Author.filter({ name: "elsewhere" }).using("other").update({ name: "moved" }),
      ).toBe(1);
      expect(await Author.using("other").filter({ name: "moved" }).count()).toBe(1);
      await Book.using("other").bulkCreate([
        { title: "b1", authorId: a.id },
        { title: "b2", authorId: a.id },
      ]);
      expect(await Book.using("other").all().count()).toBe(2);
      expect(await Book.count()).toBe(0);
      const [got, created] = await Author.using("other").getOrCreate({ name: "g" });
      expect(created).toBe(true);
      expect(await Author.using("other").filter({ id: got.id }).delete()).toBe(1);
      // Every statement of this test reports the connection that ran it.
      expect(new Set(events.map((e) => e.connection))).toEqual(new Set(["default", "other"]));
    });

    it("an instance read or created with using() saves, deletes, reloads and follows its relations there", async () => {
      const ada = await Author.using("other").create({ name: "Ada" });
      await Book.using("other").create({ title: "Notes", authorId: ada.id });
      // The same key on "default" belongs to another author: a write sent there would hit it.
      await Author.create({ id: ada.id, name: "Someone else" });

      ada.name = "Ada L.";
      await ada.save();
      const read = await Author.using("other").get({ id: ada.id });
      expect(read.name).toBe("Ada L.");
      read.name = "Ada Lovelace";
      await read.save();
      expect(await Author.using("other").all().valuesList("name", { flat: true })).toEqual([
        "Ada Lovelace",
      ]);
      expect(await Author.all().valuesList("name", { flat: true })).toEqual(["Someone else"]);

      await ada.refreshFromDb();
      expect(ada.name).toBe("Ada Lovelace");
      expect(await read.books.count()).toBe(1);
      expect(await read.books.all().valuesList("title", { flat: true })).toEqual(["Notes"]);
      const more = await read.books.create({ title: "More notes" });
      expect(await Book.using("other").all().count()).toBe(2);
      expect(await Book.count()).toBe(0);
      more.title = "Further notes";
      await more.save();
      expect(await Book.using("other").filter({ title: "Further notes" }).exists()).toBe(true);

      const [withBooks] = await Author.using("other")
        .filter({ id: ada.id })
        .prefetchRelated("books");
      expect(withBooks!.books.loaded.map((b) => b.title).sort()).toEqual([
        "Further notes",
        "Notes",
      ]);
      const book = await Book.using("other").get({ title: "Notes" });
      await book.fetchRelated("author");
      expect(book.author.name).toBe("Ada Lovelace");
      const joined = await Book.using("other")
        .all()
        .selectRelated("author")
        .get({ title: "Notes" });
      joined.author.name = "A. L.";
      await joined.author.save();
      expect((await Author.using("other").get({ id: ada.id })).name).toBe("A. L.");

      // Tags live on "other" (the router); the join rows go where the book is.
      const tag = await Tag.create({ name: "math" });
      await book.tags.add(tag);
      expect(await book.tags.all().valuesList("name", { flat: true })).toEqual(["math"]);
      const [tagged] = await Book.using("other")
        .filter({ tags__name: "math" })
        .prefetchRelated("tags");
      expect(tagged!.tags.loaded.map((t) => t.name)).toEqual(["math"]);
      await book.tags.clear();
      expect(await book.tags.count()).toBe(0);

      await Book.using("other").all().delete();
      await read.delete();
      expect(await Author.using("other").all().count()).toBe(0);
      expect(await Author.count()).toBe(1);
    });

    it("save({ using }) writes an instance to the connection named, which it then belongs to", async () => {
      const draft = Author.build({ name: "copied" });
      await draft.save({ using: "other" });
      expect(await Author.using("other").all().count()).toBe(1);
      expect(await Author.count()).toBe(0);
      draft.name = "copied again";
      await draft.save();
      expect(await Author.using("other").get({ id: draft.id })).toMatchObject({
        name: "copied again",
      });
      expect(await Author.count()).toBe(0);
    });

    it("inTransaction(fn, { using }) commits and rolls back on that connection", async () => {
      await inTransaction(
        async () => {
          await Author.create({ name: "in other" });
        },
        { using: "other" },
      );
      expect(await Author.using("other").all().count()).toBe(1);
      expect(await Author.count()).toBe(0);
      const boom = new Error("boom");
      await expect(
        inTransaction(
          async () => {
            await Author.create({ name: "rolled back" });
            throw boom;
          },
          { using: "other" },
        ),
      ).rejects.toBe(boom);
      expect(await Author.using("other").all().count()).toBe(1);
      // A nested transaction without using stays on the enclosing one's connection.
      await inTransaction(
        () => inTransaction(async () => void (await Author.create({ name: "nested" }))),
        { using: "other" },
      );
      expect(await Author.using("other").all().count()).toBe(2);
    });

    it("a router sends a model's reads and writes to its connection", async () => {
      await Tag.create({ name: "routed" });
      expect(await Tag.count()).toBe(1);
      expect(await Tag.using("default").all().count()).toBe(0);
      expect(await Tag.using("other").all().count()).toBe(1);
      const inserts = events.filter((e) => e.sql.startsWith("INSERT"));
      expect(inserts.map((e) => e.connection)).toEqual(["other"]);
    });

    it("save() with nothing to write checks its row where it writes, not on a lagging read connection", async () => {
      const ada = await Author.create({ name: "Ada" });
      authorsLag = true;
      try {
        events.length = 0;
        // The row is on "default" only: checked on "other", it looked gone and was INSERTed
        // again on "default" (an IntegrityError).
        await ada.save();
        expect(events.map((e) => [e.connection, e.sql.split(" ")[0]])).toEqual([
          ["default", "SELECT"],
        ]);
        // A row deleted where writes go is inserted again, though the read connection has one.
        await Author.using("other").create({ id: ada.id, name: "stale" });
        await Author.using("default").filter({ id: ada.id }).delete();
        await ada.save();
        expect(await Author.using("default").filter({ id: ada.id }).count()).toBe(1);
      } finally {
        authorsLag = false;
      }
    });

    it("an unknown connection name is a ConfigurationError naming the known ones", async () => {
      const err = await rejects(Author.using("nope").all().count());
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toBe(
        'unknown connection "nope"; the connections are "default", "other" (YaraOrm.init({ connections: { … } }) names them)',
      );
      expect(await rejects(inTransaction(async () => 1, { using: "nope" }))).toBeInstanceOf(
        ConfigurationError,
      );
      expect(await rejects(Author.objects.using("nope").create({ name: "x" }))).toBeInstanceOf(
        ConfigurationError,
      );
    });

    it("inTransaction refuses an option it does not know, naming the ones there are", async () => {
      const err = await rejects(
        inTransaction(async () => 1, { usin: "other" } as unknown as { using: string }),
      );
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toBe(
        'unknown inTransaction option "usin"; known: using, isolation, readOnly, deferrable, behavior, retry',
      );
    });
  });
}

describe("YaraOrm.init connections", () => {
  it("needs a default connection", async () => {
    await expect(YaraOrm.init({ connections: { main: "sqlite://:memory:" } })).rejects.toThrow(
      'YaraOrm.init connections must include "default" (got "main")',
    );
  });

  it("takes either a URL or connections, not both", async () => {
    await expect(
      YaraOrm.init("sqlite://:memory:", { connections: { default: "sqlite://:memory:" } }),
    ).rejects.toThrow("YaraOrm.init got a URL and connections");
  });

  it("refuses an unknown option of a connection", async () => {
    await expect(
      YaraOrm.init({
        connections: { default: { url: "sqlite://:memory:", poool: {} } as never },
      }),
    ).rejects.toThrow('connection "default" has no option "poool"');
  });

  it("names the connection that could not be opened, and closes the others", async () => {
    await expect(
      YaraOrm.init({
        connections: {
          default: "sqlite://:memory:",
          broken: "postgres://nobody@127.0.0.1:1/none?connect_timeout=2",
        },
      }),
    ).rejects.toThrow(/^connection "broken": /);
    expect(YaraOrm.initialized).toBe(false);
  });

  it("refuses a router that is not one", async () => {
    await expect(YaraOrm.init("sqlite://:memory:", { routers: [{} as Router] })).rejects.toThrow(
      "routers[0] is not a router",
    );
  });
});
