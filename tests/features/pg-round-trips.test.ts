// Round trips and statements of the ORM's writes on the native Postgres engine, counted on the
// wire by a proxy that reads the protocol (tests/support/pg-wire-counter.ts): once a statement
// is prepared on the connection, `create()` is one Bind/Execute/Sync in one round trip (no
// Parse, no Describe, no type lookup), and `inTransaction` with three creates is four round
// trips: BEGIN travels with the first insert, COMMIT is one simple query. An extra SAVEPOINT,
// SET, catalog query or flush fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Author, Book, Tag, YaraOrm, inTransaction } from "./generated/index.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";
import { pgWireCounter, type WireCounter } from "../support/pg-wire-counter.js";

const native = targets().find(
  (t) =>
    t.dialect === "postgres" &&
    t.driver === "native" &&
    t.replicaUrl === undefined &&
    new URL(t.url).searchParams.get("pgbouncer") !== "true",
);

for (const target of native === undefined ? [] : [native]) {
  describe(`${target.name}: round trips of writes`, () => {
    let db: IsolatedDatabase;
    let proxy: WireCounter;
    let authorId: number;
    let n = 0;

    const create = () => Book.create({ title: `book ${n++}`, price: "9.99", authorId: authorId });
    const threeCreates = () =>
      inTransaction(async () => {
        for (let i = 0; i < 3; i++) await create();
      });

    /** What `work` sent, on a connection whose statements are already prepared. */
    async function wireOf(work: () => Promise<unknown>) {
      proxy.reset();
      await work();
      // The counts; the order of messages within each turn is pinned by the PgBouncer tests.
      const { turnMessages: _order, ...counts } = proxy.counts();
      return counts;
    }

    beforeAll(async () => {
      db = await isolate(target);
      proxy = await pgWireCounter(db.url);
      // One connection: every statement runs on it, with its statement cache.
      await YaraOrm.init(proxy.url(db.url), { driver: "native", pool: { max: 1, min: 1 } });
      await YaraOrm.generateSchemas();
      authorId = (await Author.create({ name: "writer" })).id;
      // Prepares the insert on the connection.
      await create();
      await threeCreates();
    });

    afterAll(async () => {
      await YaraOrm.close();
      await proxy?.close();
      await db?.dispose();
    });

    it("create() is one Bind/Execute/Sync in one round trip", async () => {
      const sent = await wireOf(create);
      expect(sent).toEqual({
        turns: 1,
        messages: { B: 1, E: 1, S: 1 },
        queries: [],
        parses: [],
      });
    });

    it("inTransaction with 3 creates: BEGIN with the first, COMMIT alone, 4 round trips", async () => {
      const before = await Book.all().count();
      const sent = await wireOf(threeCreates);
      expect(sent).toEqual({
        turns: 4,
        messages: { Q: 2, B: 3, E: 3, S: 3 },
        queries: ["BEGIN", "COMMIT"],
        parses: [],
      });
      expect(await Book.all().count()).toBe(before + 3);
    });

    it("the first create() of a model prepares its insert once: Parse, then Bind", async () => {
      const first = await wireOf(() => Tag.create({ name: `tag ${n++}` }));
      // Parse/Describe/Sync to learn the parameter and column types, then Bind/Execute/Sync.
      expect(first.turns).toBe(2);
      expect(first.parses).toHaveLength(1);
      expect(first.parses[0]).toMatch(/^INSERT INTO "tag"/i);
      expect(first.messages).toEqual({ P: 1, D: 1, S: 2, B: 1, E: 1 });
      const again = await wireOf(() => Tag.create({ name: `tag ${n++}` }));
      expect(again).toEqual({ turns: 1, messages: { B: 1, E: 1, S: 1 }, queries: [], parses: [] });
    });

    it("a point lookup by key is one round trip", async () => {
      const book = await create();
      await Book.get({ id: book.id });
      const sent = await wireOf(() => Book.get({ id: book.id }));
      expect(sent).toEqual({ turns: 1, messages: { B: 1, E: 1, S: 1 }, queries: [], parses: [] });
    });
  });
}
