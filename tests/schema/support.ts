/** Helpers for schema tests: inline schema sources and their formatted problems. */
import { formatProblem, readSchema, type SchemaIR } from "../../schema/compile.js";

export const FILE = "app.schema.ts";

/**
 * A schema file whose models are `body`. The import is line 1 and `defineSchema({` line 2, so
 * the first line of `body` is line 3 of the file.
 */
export function schemaSource(body: string): string {
  return `import { defineSchema, model, fields } from "yara-orm/schema";\nexport default defineSchema({\n${body}\n});\n`;
}

/** The formatted problems of `source`; fails the test if it reads cleanly. */
export function problemsOf(source: string): string[] {
  const result = readSchema(FILE, { sourceText: source });
  if (result.ok)
    throw new Error("expected the schema to be rejected, but it was read without problems");
  return result.problems.map(formatProblem);
}

/** The IR of `source`; fails the test with the problems if it is rejected. */
export function irOf(source: string, file = FILE): SchemaIR {
  const result = readSchema(file, { sourceText: source });
  if (!result.ok)
    throw new Error(`expected a valid schema:\n${result.problems.map(formatProblem).join("\n")}`);
  return result.ir;
}
