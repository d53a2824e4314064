/**
 * The example's migrations folder captures examples/app.schema.ts (what `migrations check`
 * reports in CI) and builds the same database generateSchemas() does, on SQLite and Postgres.
 */
import { dialectNamed } from "../../runtime/dialect/registry.js";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectChanges } from "../../generator/migrations/make.js";
import { NO_RENAMES } from "../../generator/migrations/renames.js";
import { schemaStatements } from "../../runtime/dialect/ddl.js";
import { YaraOrm } from "../../runtime/orm.js";
import { readSchema } from "../../schema/compile.js";
import { isolate, migrationTargets, type Target } from "../support/targets.js";
import { introspect, type IntrospectedSchema } from "./support/introspect.js";

const schema = fileURLToPath(new URL("../../examples/app.schema.ts", import.meta.url));
const dir = fileURLToPath(new URL("../../examples/migrations", import.meta.url));

it("examples/migrations has no changes left to make", async () => {
  expect(await detectChanges({ schema, dir, renames: NO_RENAMES })).toEqual({ kind: "none" });
});

async function on(t: Target, build: () => Promise<void>): Promise<IntrospectedSchema> {
  const db = await isolate(t);
  await YaraOrm.init(db.url, { driver: t.driver });
  try {
    await build();
    return await introspect(YaraOrm.driver);
  } finally {
    await YaraOrm.close();
    await db.dispose();
  }
}

describe("YaraOrm.migrate on the example", () => {
  const read = readSchema(schema);
  if (!read.ok) throw new Error("examples/app.schema.ts has problems");
  for (const t of migrationTargets()) {
    it(t.name, async () => {
      const migrated = await on(t, async () => {
        expect((await YaraOrm.migrate({ dir })).done).toEqual(["0001_initial"]);
      });
      const generated = await on(t, async () => {
        await YaraOrm.driver.transaction(async (conn) => {
          for (const sql of schemaStatements(read.ir.models, dialectNamed(t.dialect)))
            await conn.execute(sql, []);
        });
      });
      expect(migrated).toEqual(generated);
    });
  }
});
