/**
 * Migrations for an app with two databases (named connections): `make --connection` writes a
 * folder of one connection's models (the default folder leaves the other connection's models
 * out, saying so), and `YaraOrm.migrate({ dir, using })` applies a folder on that connection
 * only — on every database that runs migrations.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { migrationsMain } from "../../generator/migrations/cli.js";
import { namedRoot } from "../../runtime/connection/connections.js";
import { YaraOrm } from "../../runtime/orm.js";
import { isolate, migrationTargets, type IsolatedDatabase } from "../support/targets.js";
import { introspect } from "./support/introspect.js";
import { schemaFile, workDir } from "./support/oracle.js";

const work = workDir("connections");
afterAll(() => work.dispose());

const MODELS = `Author: { id: fields.IntField({ pk: true }), name: fields.CharField({ maxLength: 100 }) },
  PageView: model({ id: fields.IntField({ pk: true }), path: fields.TextField() }, { connection: "analytics", table: "page_views" }),`;

let out: string[] = [];
let err: string[] = [];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
});
afterEach(() => vi.restoreAllMocks());

let n = 0;
/** A schema file with MODELS and two migrations folders made from it, one per connection. */
async function madeFolders(): Promise<{ schema: string; main: string; analytics: string }> {
  const root = join(work.dir, `p${++n}`);
  const schema = `${root}.schema.ts`;
  writeFileSync(schema, schemaFile(MODELS));
  const main = join(root, "migrations");
  const analytics = join(root, "analytics-migrations");
  expect(await migrationsMain(["make", schema, "--dir", main])).toBe(0);
  expect(
    await migrationsMain(["make", schema, "--dir", analytics, "--connection", "analytics"]),
  ).toBe(0);
  return { schema, main, analytics };
}

describe("make --connection", () => {
  it("writes each connection's models to its own folder; the default folder names what it leaves out", async () => {
    const { schema, main, analytics } = await madeFolders();
    const first = readFileSync(join(main, "0001_initial.ts"), "utf8");
    expect(first).toContain(`createModel({`);
    expect(first).toContain(`name: "Author"`);
    expect(first).not.toContain("PageView");
    expect(err).toContain(
      `note: PageView lives on connection "analytics": not in ${main} (its migrations: --connection analytics --dir <a folder of its own>)`,
    );
    const other = readFileSync(join(analytics, "0001_initial.ts"), "utf8");
    expect(other).toContain(`name: "PageView"`);
    expect(other).not.toContain("Author");
    expect(readdirSync(analytics)).toEqual(["0001_initial.ts"]);
    // Each folder captures its connection's models: nothing left to make or check.
    out = [];
    expect(await migrationsMain(["check", schema, "--dir", main])).toBe(0);
    expect(
      await migrationsMain(["check", schema, "--dir", analytics, "--connection", "analytics"]),
    ).toBe(0);
    expect(out).toEqual(["no changes", "no changes"]);
  });

  it("a connection no model lives on is refused; --connection is for make and check", async () => {
    const { schema, main } = await madeFolders();
    err = [];
    expect(await migrationsMain(["make", schema, "--dir", main, "--connection", "nosuch"])).toBe(1);
    expect(err.join("\n")).toContain(
      'no model of the schema lives on connection "nosuch" (the model option `connection`)',
    );
    expect(
      await migrationsMain([
        "migrate",
        "--url",
        "sqlite://:memory:",
        "--dir",
        main,
        "--connection",
        "analytics",
      ]),
    ).toBe(2);
    expect(await migrationsMain(["make", schema, "--dir", main, "--connection", ""])).toBe(2);
  });
});

for (const target of migrationTargets()) {
  describe(target.name, () => {
    const dbs: IsolatedDatabase[] = [];
    afterEach(async () => {
      await YaraOrm.close();
      for (const db of dbs.splice(0)) await db.dispose();
    });

    it("YaraOrm.migrate({ dir, using }) applies a folder on that connection only", async () => {
      const { main, analytics } = await madeFolders();
      dbs.push(await isolate(target), await isolate(target));
      await YaraOrm.init({
        connections: { default: dbs[0]!.url, analytics: dbs[1]!.url },
        driver: target.driver,
      });
      expect(await YaraOrm.migrate({ dir: main })).toEqual({ done: ["0001_initial"] });
      expect(await YaraOrm.migrate({ dir: analytics, using: "analytics" })).toEqual({
        done: ["0001_initial"],
      });
      const tables = async (name: string): Promise<string[]> =>
        Object.keys((await introspect(namedRoot(name))).tables)
          .filter((t) => !t.startsWith("yara_"))
          .sort();
      expect(await tables("default")).toEqual(["author"]);
      expect(await tables("analytics")).toEqual(["page_views"]);
      // Each connection keeps its own history: a second run has nothing to do.
      expect(await YaraOrm.migrate({ dir: analytics, using: "analytics" })).toEqual({ done: [] });
      await expect(YaraOrm.migrate({ dir: main, using: "nosuch" })).rejects.toThrow(
        'unknown connection "nosuch"',
      );
    });
  });
}
