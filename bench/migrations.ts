/**
 * Migration timings against issue 12's goals, on the 300-model schema of the generator
 * benchmark: `make` from an empty folder (writes 0001_initial, < 1 s) and with the folder up to
 * date (< 1 s), `status` with 100 applied migrations (< 100 ms), and applying 100 small
 * migrations to an empty Postgres (< 5 s). `npm run bench` runs it (bench/codegen/measure.ts);
 * alone, from the repository root (so migration files resolve `yara-orm/migrations`):
 * `npx tsx bench/migrations.ts [--reps N] [--json] [postgres-url]`. Each repetition starts
 * from fresh folders and a fresh Postgres schema; the first `make` also loads the schema reader.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { makeMigration } from "../generator/migrations/make.js";
import { NO_RENAMES } from "../generator/migrations/renames.js";
import { migrationStatus, runMigrations } from "../runtime/migrations/executor.js";
import { YaraOrm } from "../runtime/orm.js";
import { yaraSchema } from "./codegen/fixtures.js";
import type { MigrationTimings } from "./codegen/results.js";

const args = process.argv.slice(2);
const json = args.includes("--json");
const repsAt = args.indexOf("--reps");
const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 3;
const pgUrl =
  args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--reps")[0] ??
  process.env.YARA_PG_URL ??
  "postgres://root@127.0.0.1:5432/test";
const work = join(process.cwd(), "bench", ".data", `migrations-${process.pid}`);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

function writeSmallMigrations(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n <= 100; n++) {
    const name = `${String(n).padStart(4, "0")}_step`;
    const previous = n === 1 ? null : `${String(n - 1).padStart(4, "0")}_step`;
    const op =
      n === 1
        ? `createModel({ name: "Item", table: "item", pk: "id", fields: [{ name: "id", column: "id", kind: "int", pk: true, generated: true }] })`
        : `addField("Item", { name: "f${n}", column: "f${n}", kind: "int", nullable: true })`;
    writeFileSync(
      join(dir, `${name}.ts`),
      `import { addField, createModel, migration } from "yara-orm/migrations";\n` +
        `export default migration({ previous: ${JSON.stringify(previous)}, operations: [${op}] });\n`,
    );
  }
}

async function repetition(rep: number, timings: MigrationTimings): Promise<void> {
  const dir = join(work, String(rep));
  mkdirSync(dir, { recursive: true });
  const schema = join(dir, "big.schema.ts");
  writeFileSync(schema, yaraSchema(300));
  const big = join(dir, "big");
  timings.makeEmptyMs.push(
    await timed(() => makeMigration({ schema, dir: big, renames: NO_RENAMES })),
  );
  timings.makeUpToDateMs.push(
    await timed(() => makeMigration({ schema, dir: big, renames: NO_RENAMES })),
  );
  const small = join(dir, "small");
  writeSmallMigrations(small);
  const schemaName = `yara_bench_${process.pid}_${rep}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schemaName}"`);
  try {
    const url = new URL(pgUrl);
    url.searchParams.set("options", `-c search_path=${schemaName}`);
    await YaraOrm.init(url.toString(), { driver: "pg" });
    timings.apply100Ms.push(await timed(() => runMigrations(YaraOrm.driver, { dir: small })));
    timings.status100Ms.push(await timed(() => migrationStatus(YaraOrm.driver, small)));
    await YaraOrm.close();
  } finally {
    await admin.query(`DROP SCHEMA "${schemaName}" CASCADE`);
    await admin.end();
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

rmSync(work, { recursive: true, force: true });
const timings: MigrationTimings = {
  makeEmptyMs: [],
  makeUpToDateMs: [],
  status100Ms: [],
  apply100Ms: [],
};
try {
  for (let rep = 0; rep < reps; rep++) await repetition(rep, timings);
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (json) {
  process.stdout.write(`${JSON.stringify(timings)}\n`);
} else {
  const line = (label: string, xs: number[], goal: number) =>
    console.log(
      `${label}: median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(", ")}; goal < ${goal} ms)`,
    );
  line("make, 300 models, empty folder (0001_initial)", timings.makeEmptyMs, 1000);
  line("make, 300 models, folder up to date (no changes)", timings.makeUpToDateMs, 1000);
  line("status, 100 applied migrations (Postgres)", timings.status100Ms, 100);
  line("apply 100 small migrations to an empty Postgres", timings.apply100Ms, 5000);
}
