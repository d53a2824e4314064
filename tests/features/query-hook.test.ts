/**
 * `YaraOrm.init(url, { onQuery })`: a hook before every statement, and the function it returns
 * after it (SQL, parameters, duration, row count, error), inside transactions too, beside `log`;
 * a throwing hook never breaks a statement. On every database and driver.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkInitOptions } from "../../runtime/config.js";
import type { QueryEvent, QueryStart } from "../../runtime/index.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";
import { Author, inTransaction, YaraOrm } from "./generated/index.js";
import { compared, insertsReadBack } from "./harness.js";

for (const target of targets()) {
  describe(target.name, () => {
    const p = (n: number): string => (target.dialect === "postgres" ? `$${n}` : "?");
    const cmp = (n: number): string => compared(target, n);
    const seen: string[] = [];
    const ends: QueryEvent[] = [];
    let throwIn: "start" | "end" | undefined;
    let db: IsolatedDatabase;

    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, {
        driver: target.driver,
        log: (e) => void seen.push(`log ${e.sql.split(" ")[0]}`),
        onQuery: (start: QueryStart) => {
          seen.push(`start ${start.sql.split(" ")[0]} ${start.driver}`);
          if (throwIn === "start") throw new Error("hook");
          return (end) => {
            seen.push(`end ${end.sql.split(" ")[0]} rows=${end.rowCount}`);
            ends.push(end);
            if (throwIn === "end") throw new Error("hook");
          };
        },
      });
      await YaraOrm.generateSchemas();
    });
    afterAll(async () => {
      await YaraOrm.close();
      await db.dispose();
    });
    beforeEach(() => {
      seen.length = 0;
      ends.length = 0;
      throwIn = undefined;
    });

    it("calls the hook before each statement and its returned function after, then log", async () => {
      const ada = await Author.create({ name: "Ada" });
      await Author.filter({ name: "Ada" }).update({ name: "Ada L." });
      // Without INSERT … RETURNING the row is read back by a SELECT (insert-read-back.ts).
      const readBack = insertsReadBack()
        ? [`start SELECT ${target.driver}`, "end SELECT rows=1", "log SELECT"]
        : [];
      expect(seen).toEqual([
        `start INSERT ${target.driver}`,
        "end INSERT rows=1",
        "log INSERT",
        ...readBack,
        `start UPDATE ${target.driver}`,
        "end UPDATE rows=1",
        "log UPDATE",
      ]);
      const update = ends[readBack.length === 0 ? 1 : 2];
      expect(update).toMatchObject({
        sql: `UPDATE "author" SET "name" = ${p(1)} WHERE "author"."name" = ${cmp(2)}`,
        params: ["Ada L.", "Ada"],
        rowCount: 1,
        driver: target.driver,
      });
      expect(update!.durationMs).toBeGreaterThanOrEqual(0);
      expect(update!.error).toBeUndefined();
      await ada.delete();
    });

    it("reports statements inside transactions and failed ones with their error", async () => {
      await inTransaction(async () => {
        await Author.create({ name: "T" });
      });
      await expect(YaraOrm.query("SELECT * FROM missing_table")).rejects.toThrow();
      expect(seen.filter((s) => s.startsWith("start")).map((s) => s.split(" ")[1])).toEqual([
        "INSERT",
        ...(insertsReadBack() ? ["SELECT"] : []),
        "SELECT",
      ]);
      expect(ends.at(-1)!.error).toBeInstanceOf(Error);
      expect(ends.at(-1)!.rowCount).toBe(0);
    });

    it.each(["start", "end"] as const)(
      "a hook throwing at %s never breaks the statement",
      async (where) => {
        throwIn = where;
        const author = await Author.create({ name: "Still" });
        expect((await Author.get({ id: author.id })).name).toBe("Still");
      },
    );
  });
}

it("is checked at init: a hook that is not a function is a ConfigurationError", () => {
  expect(() => checkInitOptions({ onQuery: "x" })).toThrow(
    "the onQuery option must be a function (query) => ((event) => void) | void",
  );
  expect(() => checkInitOptions({ onquery: () => undefined })).toThrow(
    'unknown YaraOrm.init option "onquery"; the options are driver, pool, log, onQuery, connectTimeoutMs, pgbouncer, connections and routers',
  );
});
