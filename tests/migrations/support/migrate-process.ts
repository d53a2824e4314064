/**
 * A separate `migrate` process for the concurrency test: opens the database, says "ready", waits
 * for a line on stdin, migrates, and prints what it applied as JSON.
 * Usage: tsx migrate-process.ts <url> <driver> <dir>
 */
import { once } from "node:events";
import { runMigrations } from "../../../runtime/migrations/executor.js";
import { YaraOrm } from "../../../runtime/orm.js";
import type { DriverName } from "../../../runtime/driver/driver.js";

const [url, driver, dir] = process.argv.slice(2) as [string, DriverName, string];
await YaraOrm.init(url, { driver });
process.stdout.write("ready\n");
await once(process.stdin, "data");
try {
  const result = await runMigrations(YaraOrm.driver, { dir });
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await YaraOrm.close();
}
