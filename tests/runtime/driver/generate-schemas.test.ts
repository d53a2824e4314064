/** YaraOrm.generateSchemas: every registered model's tables, idempotent, inside or outside a transaction. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerModel, type ModelClass } from "../../../runtime/registry.js";
import type { ModelMeta } from "../../../runtime/model/meta.js";
import { NotSupportedError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { inTransaction } from "../../../runtime/transaction.js";
import { isolate, targets, type IsolatedDatabase } from "../../support/targets.js";
import { author, book, tag } from "../dialect/ddl-fixtures.js";

function fakeModel(meta: ModelMeta): ModelClass {
  return { meta, name: meta.name } as unknown as ModelClass;
}
for (const meta of [book, author, tag]) registerModel(fakeModel(meta));

for (const target of targets()) {
  describe(`generateSchemas on ${target.name}`, () => {
    let db: IsolatedDatabase;
    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, { driver: target.driver });
    });
    afterAll(async () => {
      await YaraOrm.close();
      await db.dispose();
    });

    const tables = async (): Promise<string[]> => {
      const sql = {
        postgres:
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
        sqlite:
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
        mysql:
          "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1",
      }[target.dialect];
      const res = await YaraOrm.driver.query(sql, []);
      return Array.from({ length: res.rowCount }, (_, i) => res.reader.text(0, i));
    };

    it("creates every registered model's table and the join tables", async () => {
      await YaraOrm.generateSchemas();
      expect(await tables()).toEqual(["author", "books", "books_tags", "tag"]);
    });

    it("is idempotent and joins an open transaction (no deadlock on SQLite)", async () => {
      await YaraOrm.generateSchemas();
      const inside = inTransaction(async () => {
        await YaraOrm.generateSchemas();
      });
      if (target.dialect === "mysql") {
        // Its first CREATE TABLE would commit the open transaction: refused, naming why.
        const error = await inside.then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(NotSupportedError);
        expect((error as Error).message).toMatch(/inside a transaction on MySQL/);
      } else await inside;
      expect(await tables()).toHaveLength(4);
    });
  });
}
