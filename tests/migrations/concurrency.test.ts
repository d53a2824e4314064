/**
 * Two processes running `migrate` on one database at the same moment apply every migration
 * exactly once: each migration's transaction takes the lock (Postgres advisory lock, SQLite
 * BEGIN IMMEDIATE) and re-reads the history first. The processes use different drivers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { YaraOrm } from "../../runtime/orm.js";
import { loadNativeAddon } from "../../runtime/driver/native/addon.js";
import { isolate, pgUrl } from "../support/targets.js";
import { writeMigration } from "./support/files.js";
import { queryRows } from "./support/introspect.js";
import { workDir } from "./support/oracle.js";

const SCRIPT = fileURLToPath(new URL("./support/migrate-process.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
const work = workDir("concurrency");
afterAll(() => work.dispose());

const MIGRATIONS = 6;

function writeFolder(dir: string): void {
  writeMigration(
    dir,
    "0001_initial",
    null,
    `runSql("CREATE TABLE applied_steps (step INTEGER NOT NULL)", "DROP TABLE applied_steps")`,
  );
  for (let n = 2; n <= MIGRATIONS; n++) {
    const name = `${String(n).padStart(4, "0")}_step`;
    const previous = n === 2 ? "0001_initial" : `${String(n - 1).padStart(4, "0")}_step`;
    writeMigration(
      dir,
      name,
      previous,
      `runSql("INSERT INTO applied_steps (step) VALUES (${n})"), runCode(() => new Promise((resolve) => setTimeout(resolve, 150)))`,
    );
  }
}

interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  readonly result: Promise<{ done: string[] }>;
}

function start(url: string, driver: string, dir: string): Child {
  const child = spawn(process.execPath, [TSX, SCRIPT, url, driver, dir], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
  });
  let out = "";
  let err = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("ready\n")) markReady();
  });
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const result = new Promise<{ done: string[] }>((resolve, reject) => {
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || line === undefined)
        reject(new Error(`migrate process exited ${code}: ${err}${out}`));
      else resolve(JSON.parse(line) as { done: string[] });
    });
  });
  return { process: child, ready, result };
}

async function race(url: string, drivers: [string, string], dir: string): Promise<string[][]> {
  const children = drivers.map((d) => start(url, d, dir));
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.process.stdin.end("go\n");
  return (await Promise.all(children.map((c) => c.result))).map((r) => r.done);
}

const native = loadNativeAddon() !== undefined;
const CASES = [
  {
    dialect: "sqlite",
    drivers: ["better-sqlite3", native ? "native" : "better-sqlite3"] as [string, string],
  },
  { dialect: "postgres", drivers: ["pg", native ? "native" : "pg"] as [string, string] },
] as const;

describe("two migrate processes at once", () => {
  for (const c of CASES) {
    it(`${c.dialect}: each migration is applied exactly once`, async () => {
      const dir = join(work.dir, c.dialect);
      writeFolder(dir);
      const db =
        c.dialect === "sqlite"
          ? { url: `sqlite://${join(work.dir, "race.db")}`, dispose: async () => undefined }
          : await isolate({ name: "postgres/pg", dialect: "postgres", driver: "pg", url: pgUrl() });
      try {
        const [a, b] = await race(db.url, c.drivers, dir);
        const all = [...a!, ...b!].sort();
        expect(all).toEqual(
          Array.from({ length: MIGRATIONS }, (_, i) =>
            i === 0 ? "0001_initial" : `${String(i + 1).padStart(4, "0")}_step`,
          ),
        );
        await YaraOrm.init(db.url, { driver: c.drivers[0] as "pg" | "better-sqlite3" });
        try {
          const steps = await queryRows(
            YaraOrm.driver,
            "SELECT step FROM applied_steps ORDER BY step",
          );
          expect(steps.map((s) => Number(s.step))).toEqual([2, 3, 4, 5, 6]);
          const history = await queryRows(
            YaraOrm.driver,
            `SELECT count(*) AS n FROM "yara_migrations"`,
          );
          expect(Number(history[0]!.n)).toBe(MIGRATIONS);
        } finally {
          await YaraOrm.close();
        }
      } finally {
        await db.dispose();
      }
    }, 120_000);
  }
});
