/**
 * Migration timings against issue 12's goals: `make` on a 300-model schema (< 1 s), `status`
 * (< 100 ms), and applying 100 small migrations to an empty Postgres (< 5 s). Not part of
 * `npm run bench`; run from the repository root (so migration files resolve
 * `yara-orm/migrations`): `npx tsx bench/migrations.ts [postgres-url]`.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { makeMigration } from "../generator/migrations/make.js";
import { NO_RENAMES } from "../generator/migrations/renames.js";
import { migrationStatus, runMigrations } from "../runtime/migrations/executor.js";
import { loadMigrations } from "../runtime/migrations/folder.js";
import { planMigrations } from "../runtime/migrations/plan.js";
import { YaraOrm } from "../runtime/orm.js";
import { readSchema } from "../schema/compile.js";
import { yaraSchema } from "./codegen/fixtures.js";

const pgUrl = process.argv[2] ?? process.env.YARA_PG_URL ?? "postgres://root@127.0.0.1:5432/test";
const work = join(process.cwd(), "bench", ".data", `migrations-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

async function timed<T>(label: string, goalMs: number, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  console.log(`${label}: ${ms.toFixed(0)} ms (goal < ${goalMs} ms)`);
  return result;
}

try {
  const schema = join(work, "big.schema.ts");
  writeFileSync(schema, yaraSchema(300));
  const big = join(work, "big");
  await timed("make, 300 models, empty folder (0001_initial)", 1000, () =>
    makeMigration({ schema, dir: big, renames: NO_RENAMES }),
  );
  await timed("make, 300 models, folder up to date (no changes)", 1000, () =>
    makeMigration({ schema, dir: big, renames: NO_RENAMES }),
  );
  // Where make's time goes: reading the schema (ts-morph), loading the folder, the rest.
  await timed("  of which: read the schema file", 1000, async () => readSchema(schema));
  await timed("  of which: load and replay the folder", 1000, async () =>
    planMigrations(await loadMigrations(big)),
  );

  const small = join(work, "small");
  mkdirSync(small);
  for (let n = 1; n <= 100; n++) {
    const name = `${String(n).padStart(4, "0")}_step`;
    const previous = n === 1 ? null : `${String(n - 1).padStart(4, "0")}_step`;
    const op =
      n === 1
        ? `createModel({ name: "Item", table: "item", pk: "id", fields: [{ name: "id", column: "id", kind: "int", pk: true, generated: true }] })`
        : `addField("Item", { name: "f${n}", column: "f${n}", kind: "int", nullable: true })`;
    writeFileSync(
      join(small, `${name}.ts`),
      `import { addField, createModel, migration } from "yara-orm/migrations";\n` +
        `export default migration({ previous: ${JSON.stringify(previous)}, operations: [${op}] });\n`,
    );
  }
  const schemaName = `yara_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schemaName}"`);
  try {
    const url = new URL(pgUrl);
    url.searchParams.set("options", `-c search_path=${schemaName}`);
    await YaraOrm.init(url.toString(), { driver: "pg" });
    await runMigrations(YaraOrm.driver, { dir: small, target: "zero", direction: "down" }).catch(
      () => undefined,
    );
    await timed("apply 100 small migrations to an empty Postgres", 5000, () =>
      runMigrations(YaraOrm.driver, { dir: small }),
    );
    await timed("status, 100 applied migrations (Postgres)", 100, () =>
      migrationStatus(YaraOrm.driver, small),
    );
    await YaraOrm.close();
  } finally {
    await admin.query(`DROP SCHEMA "${schemaName}" CASCADE`);
    await admin.end();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
