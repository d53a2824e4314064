import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { beforeEach, describe, expect, it } from "vitest";
import { Author, Book, Count, inTransaction, Item } from "./generated/index.js";
import {
  boundColumns,
  compared,
  forEachTarget,
  resetData,
  takeStatements,
  type Target,
} from "./harness.js";

const ROWS = 200_000;

/** A full garbage collection (V8's gc() reached through a fresh context). */
const collect = (() => {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
})();

function heapAfterGc(): number {
  collect();
  return process.memoryUsage().heapUsed;
}

/** Rows the write-during-the-loop tests stream: more than two chunks. */
const N = 2_500;

/** Row `i`'s name: a permutation of 0…N-1 far from the key order (1 597 is prime to 2 500). */
const label = (i: number): string => `n${String((i * 1_597) % N).padStart(5, "0")}`;

/** SELECTs of `table` among statements taken. */
const selectsOf = (table: string, statements: readonly { sql: string }[]): string[] =>
  statements
    .map((s) => s.sql)
    .filter((sql) => sql.startsWith("SELECT") && sql.includes(`FROM "${table}"`));

forEachTarget((target: Target) => {
  describe("writes in the loop, under an ordering that is not the key", () => {
    beforeEach(resetData);

    it("saving every row it visits leaves none behind and visits none twice", async () => {
      await Item.bulkCreate(Array.from({ length: N }, (_, i) => ({ name: label(i) })));
      const seen = new Set<number>();
      const names: string[] = [];
      for await (const item of Item.filter({ status: "draft" }).orderBy("name")) {
        seen.add(item.id);
        names.push(item.name);
        item.status = "published";
        await item.save();
      }
      expect(names).toHaveLength(N);
      expect(seen.size).toBe(N);
      expect(names).toEqual([...names].sort());
      expect(await Item.filter({ status: "draft" }).count()).toBe(0);
    });

    it("deleting every row it visits: all visited; rows inserted meanwhile are not, rows deleted ahead are skipped", async () => {
      await Item.bulkCreate(Array.from({ length: N }, (_, i) => ({ name: label(i) })));
      const order = await Item.filter({ status: "draft" })
        .orderBy("name", "id")
        .valuesList("id", { flat: true });
      const ahead = order.slice(-5);
      const seen: number[] = [];
      for await (const item of Item.filter({ status: "draft" }).orderBy("name")) {
        if (seen.length === 0) {
          await Item.filter({ id__in: ahead }).delete();
          await Item.create({ name: "a first" });
          await Item.create({ name: "z last" });
        }
        seen.push(item.id);
        await item.delete();
      }
      expect(seen).toEqual(order.slice(0, -5));
      expect(await Item.all().orderBy("name").valuesList("name", { flat: true })).toEqual([
        "a first",
        "z last",
      ]);
    });

    it("ordered by a related field with selectRelated, each row moving behind the others", async () => {
      const authors = await Author.bulkCreate(
        ["a0", "a1", "a2", "a3", "zz"].map((name) => ({ name })),
      );
      const last = authors[4]!;
      await Book.bulkCreate(
        Array.from({ length: N }, (_, i) => ({ title: label(i), author: authors[i % 4]! })),
      );
      const expected = await Book.filter({ author__name__startswith: "a" })
        .orderBy("author__name", "id")
        .valuesList("id", { flat: true });
      const names = new Map(authors.map((a) => [a.id, a.name]));
      const seen: number[] = [];
      for await (const book of Book.filter({ author__name__startswith: "a" })
        .selectRelated("author")
        .orderBy("author__name")) {
        // Read with its chunk: the author it had then, joined.
        expect(book.author.name).toBe(names.get(book.authorId));
        seen.push(book.id);
        book.authorId = last.id; // sorts after every other author now, and no longer matches
        await book.save();
      }
      expect(seen).toEqual(expected);
      expect(await Book.filter({ author: last }).count()).toBe(N);
    });

    it("descending by a nullable field, NULLs first, each row moving behind the others", async () => {
      await Item.bulkCreate(
        Array.from({ length: N }, (_, i) => ({
          name: label(i),
          ratio: i % 7 === 0 ? null : ((i * 31) % 101) / 4,
        })),
      );
      const expected = await Item.all().orderBy("-ratio", "id").valuesList("id", { flat: true });
      const seen: number[] = [];
      const ratios: (number | null)[] = [];
      for await (const item of Item.all().orderBy("-ratio")) {
        seen.push(item.id);
        ratios.push(item.ratio);
        item.ratio = -1; // below every other value: it moves to the end
        await item.save();
      }
      expect(seen).toEqual(expected);
      const nulls = Math.ceil(N / 7);
      expect(ratios.slice(0, nulls + 1)).toEqual([...Array<null>(nulls).fill(null), 25]);
      expect(await Item.filter({ ratio: -1 }).count()).toBe(N);
    });

    it("limit and offset on the stream slice the keys query; the chunks are read by key alone", async () => {
      await Item.bulkCreate(Array.from({ length: N }, (_, i) => ({ name: label(i) })));
      const expected = await Item.all()
        .orderBy("name", "id")
        .offset(100)
        .limit(2_200)
        .valuesList("id", { flat: true });
      takeStatements();
      const seen: number[] = [];
      for await (const item of Item.all().orderBy("name").offset(100).limit(2_200)) {
        seen.push(item.id);
        item.name = `z${item.name}`; // sorts after every name not visited yet
        await item.save();
      }
      expect(seen).toEqual(expected);
      const selects = selectsOf("item", takeStatements());
      expect(selects).toHaveLength(4);
      expect(selects[0]).toMatch(
        /^SELECT "item"\."id" FROM "item" ORDER BY "item"\."name" ASC, "item"\."id" ASC LIMIT \S+ OFFSET \S+$/,
      );
      for (const sql of selects.slice(1)) {
        expect(sql).toMatch(/ FROM "item" WHERE "item"\."id" /);
        expect(sql).not.toMatch(/ORDER BY|LIMIT|OFFSET/);
      }
    });

    it("selectForUpdate in a transaction: the keys query and every chunk lock the rows", async () => {
      await Item.bulkCreate(Array.from({ length: N }, (_, i) => ({ name: label(i) })));
      takeStatements();
      const visited = await inTransaction(async () => {
        let n = 0;
        for await (const item of Item.filter({ status: "draft" })
          .orderBy("name")
          .selectForUpdate()) {
          item.status = "published";
          await item.save();
          n++;
        }
        return n;
      });
      const selects = selectsOf("item", takeStatements());
      expect(visited).toBe(N);
      expect(await Item.filter({ status: "draft" }).count()).toBe(0);
      expect(selects).toHaveLength(4);
      for (const sql of selects)
        if (target.dialect === "sqlite") expect(sql).not.toMatch(/FOR UPDATE/);
        else expect(sql).toMatch(/ FOR UPDATE$/);
    });

    it("annotations over a to-many relation, distinct() and prefetchRelated: a row that stops matching is still visited", async () => {
      const authors = await Author.bulkCreate(
        Array.from({ length: N }, (_, i) => ({ name: label(i) })),
      );
      await Book.bulkCreate(
        authors.flatMap((author, i) =>
          Array.from({ length: 1 + (i % 3) }, (_, k) => ({ title: `t${k}`, author })),
        ),
      );
      const query = Author.annotate({ n: Count("books") })
        .filter({ n__gte: 1 })
        .distinct()
        .prefetchRelated("books")
        .orderBy("-n", "name");
      const expected = await Author.annotate({ n: Count("books") })
        .orderBy("-n", "name", "id")
        .valuesList("id", { flat: true });
      const seen: number[] = [];
      for await (const author of query) {
        expect(author.books.loaded).toHaveLength(author.n);
        seen.push(author.id);
        await Book.filter({ author }).delete(); // n becomes 0: it no longer matches
      }
      expect(seen).toEqual(expected);
      expect(await Book.all().count()).toBe(0);
    });
  });

  describe("memory", () => {
    streamsWithFlatHeap(target);
  });
});

function streamsWithFlatHeap(target: Target): void {
  beforeEach(async () => {
    await resetData();
    const name = "n".repeat(90);
    for (let i = 0; i < ROWS; i += 20_000) {
      const rows = Array.from({ length: 20_000 }, (_, k) => ({ name: `${name}${i + k}` }));
      await Author.bulkCreate(rows, { batchSize: 5_000 });
    }
    takeStatements();
  }, 120_000);

  it(`streams ${ROWS} rows with for await in chunks of 1 000 while the heap stays flat`, async () => {
    const before = heapAfterGc();
    let peak = 0;
    let seen = 0;
    let last = 0;
    for await (const author of Author.all()) {
      expect(author.id).toBeGreaterThan(last); // keyset order: by key, no row twice
      last = author.id;
      if (++seen % 25_000 === 0) peak = Math.max(peak, heapAfterGc() - before);
    }
    expect(seen).toBe(ROWS);
    // Holding every row would take well over 40 MB here (200 000 instances of ~100 characters
    // and a Date each); a stream holds one chunk.
    expect(peak).toBeLessThan(16 * 1024 * 1024);
    const statements = takeStatements();
    expect(statements).toHaveLength(ROWS / 1000 + 1);
    const pg = target.dialect === "postgres";
    const columns = `"author"."id", "author"."name", "author"."email", "author"."created_at"`;
    const boundColumnList = boundColumns(target, columns, ["created_at"]);
    expect(statements[0]).toEqual({
      sql: `SELECT ${columns} FROM "author" ORDER BY "author"."id" ASC LIMIT ${pg ? "$1" : "1000"}`,
      params: pg ? [1000] : [],
    });
    expect(statements[1]).toEqual({
      sql: `SELECT ${boundColumnList} FROM "author" WHERE "author"."id" > ${compared(target, 1)} ORDER BY "author"."id" ASC LIMIT ${pg ? "$2" : "1000"}`,
      params: pg ? [statements[1]!.params[0], 1000] : [statements[1]!.params[0]],
    });
  }, 120_000);
}
