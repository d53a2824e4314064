/**
 * Generates the clients the tests import, with the real generator, before any test runs, so the
 * tests always exercise what yara-gen emits today:
 * - tests/features/generated from tests/features/app.schema.ts (the feature tests);
 * - docs/samples/<dir>/generated from each docs/samples/<dir>/app.schema.ts (the documented
 *   samples, run and type-checked by tests/docs).
 * Also runnable on its own (`npx tsx tests/support/generate-client.ts`), as CI does before
 * `npm run typecheck`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatProblem, generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The schema files whose clients the tests import; each client is `generated/` beside it. */
export function clientSchemas(): string[] {
  const samples = join(root, "docs/samples");
  const sampleSchemas = readdirSync(samples, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(samples, entry.name, "app.schema.ts"))
    .filter((file) => existsSync(file));
  return [join(root, "tests/features/app.schema.ts"), ...sampleSchemas];
}

export default async function setup(): Promise<void> {
  for (const schema of clientSchemas()) {
    const outDir = join(schema, "../generated");
    const result = await generate(schema, outDir);
    if (!result.ok) {
      throw new Error(
        `${relative(root, schema)} is invalid:\n${result.problems.map(formatProblem).join("\n")}`,
      );
    }
    await writeFiles(outDir, result.files);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await setup();
}
