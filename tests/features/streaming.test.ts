import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { beforeEach, expect, it } from "vitest";
import { Author } from "./generated/index.js";
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

forEachTarget((target: Target) => {
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
});
