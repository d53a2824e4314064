// `node migrate.js <url> <dir>`: migrates as an app does on start, and prints the result (or
// the error's message, exit 1) for tests/install/packaged-app.test.ts.
import { YaraOrm } from "./generated/index.js";

async function main(url: string, dir: string): Promise<void> {
  await YaraOrm.init(url);
  try {
    console.log(JSON.stringify(await YaraOrm.migrate({ dir })));
  } finally {
    await YaraOrm.close();
  }
}

main(process.argv[2] ?? "sqlite://:memory:", process.argv[3] ?? "migrations").catch(
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
