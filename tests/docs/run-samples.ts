/**
 * Runs every sample file of one docs/samples/<dir> folder on every database × driver
 * (tests/support/targets.ts), each on a private database: the sample's own `YaraOrm.init(url)`
 * is pointed at the target (the samples open "sqlite://:memory:" or a file, as the docs show).
 * A sample passes when it completes: its code outside the shown region asserts the results its
 * comments promise.
 *
 * One test file per folder: each folder's client registers models named like the others'
 * (Author, Book), so two folders cannot share a process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, describe, it, vi } from "vitest";
import type { InitOptions } from "../../runtime/config.js";
import { YaraOrm } from "../../runtime/orm.js";
import { isolate, migrationTargets, targets, type IsolatedDatabase } from "../support/targets.js";
import { root, sampleFolders } from "./markdown-samples.js";

/**
 * One database several connections can share: the isolated Postgres schema, or for SQLite a
 * file in a temp folder (each ":memory:" connection would be a database of its own).
 */
function shared(isolated: IsolatedDatabase): string {
  if (!isolated.url.startsWith("sqlite:")) return isolated.url;
  sharedFiles ??= mkdtempSync(join(tmpdir(), "yara-samples-"));
  return `sqlite://${join(sharedFiles, `${process.pid}-${sharedCount}.db`)}`;
}
let sharedFiles: string | undefined;
let sharedCount = 0;

export function runSamplesIn(folder: string): void {
  const files = sampleFolders().get(folder);
  if (files === undefined || files.length === 0) {
    throw new Error(`docs/samples/${folder} holds no sample files`);
  }
  const init = YaraOrm.init.bind(YaraOrm);
  afterAll(() => {
    if (sharedFiles !== undefined) rmSync(sharedFiles, { recursive: true, force: true });
  });
  // Migrations samples run where migrations do (MySQL refuses them: tests/migrations/mysql-refusal.test.ts).
  for (const target of folder === "migrations" ? migrationTargets() : targets()) {
    describe(target.name, () => {
      let db: IsolatedDatabase | undefined;
      afterEach(async () => {
        vi.restoreAllMocks();
        await YaraOrm.close();
        sharedCount++;
        await db?.dispose();
        db = undefined;
      });
      for (const file of files) {
        it(`${file} runs`, async () => {
          const isolated = await isolate(target);
          db = isolated;
          // The connections form (docs/scaling.md) gets every named connection on the target's
          // private database: a replica perfectly in step, a second database sharing the first.
          vi.spyOn(YaraOrm, "init").mockImplementation(((
            url: string | InitOptions,
            options?: InitOptions,
          ) =>
            typeof url === "string"
              ? init(isolated.url, { ...options, driver: target.driver })
              : init({
                  ...url,
                  driver: target.driver,
                  connections: Object.fromEntries(
                    Object.keys(url.connections ?? {}).map((name) => [name, shared(isolated)]),
                  ),
                })) as typeof YaraOrm.init);
          // A query string makes a fresh module per target, so the sample runs again.
          const url = `${pathToFileURL(join(root, file)).href}?target=${target.name}`;
          await import(/* @vite-ignore */ url);
        });
      }
    });
  }
}
