/**
 * The migrations oracle: for a schema v1 and v2, `migrations make` writes 0001 (v1) and 0002
 * (v1 → v2) into a fresh folder; a database migrated to 0001, seeded, migrated up and back down
 * must introspect exactly like `generateSchemas()` of v2 and then of v1 on empty databases, and
 * the rows read the same before and after.
 */
import { dialectNamed } from "../../../runtime/dialect/registry.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeMigration } from "../../../generator/migrations/make.js";
import { parseRenames } from "../../../generator/migrations/renames.js";
import { schemaStatements } from "../../../runtime/dialect/ddl.js";
import { runMigrations } from "../../../runtime/migrations/executor.js";
import type { ModelMeta } from "../../../runtime/model/meta.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { readSchema } from "../../../schema/compile.js";
import { isolate, type Target } from "../../support/targets.js";
import { introspect, queryRows, type IntrospectedSchema } from "./introspect.js";

const WORK = fileURLToPath(new URL("../.work/", import.meta.url));

/** A folder inside the repository (so migration files resolve `yara-orm/migrations`). */
export function workDir(prefix: string): { dir: string; dispose: () => void } {
  mkdirSync(WORK, { recursive: true });
  const dir = mkdtempSync(join(WORK, `${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function schemaFile(models: string): string {
  return `import { defineSchema, model, fields } from "yara-orm/schema";\nexport default defineSchema({\n${models}\n});\n`;
}

export interface OracleCase {
  readonly name: string;
  /** The body of defineSchema({ … }) for each version. */
  readonly v1: string;
  readonly v2: string;
  readonly renames?: readonly string[];
  /** INSERTs run under v1 (after 0001). */
  readonly seed?: readonly string[];
  /** A SELECT under v1 whose rows must come back the same after up and down … */
  readonly read1?: string;
  /** … and a SELECT under v2 that must return the same rows as read1 did. */
  readonly read2?: string;
}

export interface PreparedCase {
  readonly dir: string;
  readonly v1: readonly ModelMeta[];
  readonly v2: readonly ModelMeta[];
  dispose(): void;
}

function models(file: string): readonly ModelMeta[] {
  const read = readSchema(file);
  if (!read.ok) throw new Error(`${file}: ${read.problems.map((p) => p.message).join("; ")}`);
  return read.ir.models;
}

/** Writes the two schema files and makes 0001 and 0002 from them. */
export async function prepareCase(c: OracleCase): Promise<PreparedCase> {
  const work = workDir(c.name.replace(/[^a-z0-9]+/gi, "-"));
  const v1 = join(work.dir, "v1.schema.ts");
  const v2 = join(work.dir, "v2.schema.ts");
  writeFileSync(v1, schemaFile(c.v1));
  writeFileSync(v2, schemaFile(c.v2));
  const dir = join(work.dir, "migrations");
  const none = parseRenames([]);
  const renames = parseRenames(c.renames ?? []);
  if ("error" in none || "error" in renames) throw new Error("bad renames");
  const first = await makeMigration({ schema: v1, dir, renames: none.renames });
  if (first.kind !== "changes") throw new Error(`v1 made ${first.kind}`);
  const second = await makeMigration({ schema: v2, dir, renames: renames.renames, name: "change" });
  if (second.kind !== "changes") throw new Error(`v2 made ${second.kind}`);
  return { dir, v1: models(v1), v2: models(v2), dispose: work.dispose };
}

export interface OracleRun {
  readonly afterUp: IntrospectedSchema;
  readonly generatedV2: IntrospectedSchema;
  readonly afterDown: IntrospectedSchema;
  readonly generatedV1: IntrospectedSchema;
  readonly rowsV1?: unknown;
  readonly rowsAfterUp?: unknown;
  readonly rowsAfterDown?: unknown;
}

async function withDatabase<T>(t: Target, fn: () => Promise<T>): Promise<T> {
  const db = await isolate(t);
  await YaraOrm.init(db.url, { driver: t.driver });
  try {
    return await fn();
  } finally {
    await YaraOrm.close();
    await db.dispose();
  }
}

async function generated(t: Target, metas: readonly ModelMeta[]): Promise<IntrospectedSchema> {
  return withDatabase(t, async () => {
    await YaraOrm.driver.transaction(async (conn) => {
      for (const sql of schemaStatements(metas, dialectNamed(t.dialect)))
        await conn.execute(sql, []);
    });
    return introspect(YaraOrm.driver);
  });
}

export async function runOracle(t: Target, c: OracleCase, p: PreparedCase): Promise<OracleRun> {
  const migrated = await withDatabase(t, async () => {
    const driver = YaraOrm.driver;
    await runMigrations(driver, { dir: p.dir, target: "0001" });
    for (const sql of c.seed ?? []) await driver.execute(sql, []);
    const rowsV1 = c.read1 === undefined ? undefined : await queryRows(driver, c.read1);
    await runMigrations(driver, { dir: p.dir });
    const afterUp = await introspect(driver);
    const rowsAfterUp = c.read2 === undefined ? undefined : await queryRows(driver, c.read2);
    await runMigrations(driver, { dir: p.dir, target: "0001", direction: "down" });
    const afterDown = await introspect(driver);
    const rowsAfterDown = c.read1 === undefined ? undefined : await queryRows(driver, c.read1);
    return { afterUp, afterDown, rowsV1, rowsAfterUp, rowsAfterDown };
  });
  return {
    ...migrated,
    generatedV2: await generated(t, p.v2),
    generatedV1: await generated(t, p.v1),
  };
}
