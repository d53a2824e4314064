/**
 * Generates the feature tests' client (tests/features/generated) from tests/features/app.schema.ts
 * with the real generator before any test runs, so the feature tests always exercise what
 * yara-gen emits today.
 */
import { fileURLToPath } from "node:url";
import { formatProblem, generate } from "../../generator/generate.js";
import { writeFiles } from "../../generator/write.js";

const schema = fileURLToPath(new URL("../features/app.schema.ts", import.meta.url));
const outDir = fileURLToPath(new URL("../features/generated", import.meta.url));

export default async function setup(): Promise<void> {
  const result = await generate(schema, outDir);
  if (!result.ok) {
    throw new Error(
      `tests/features/app.schema.ts is invalid:\n${result.problems.map(formatProblem).join("\n")}`,
    );
  }
  await writeFiles(outDir, result.files);
}
