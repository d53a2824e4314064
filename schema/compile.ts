/**
 * What the generator imports from the schema layer: `readSchema` (file → validated IR or every
 * problem), `formatProblem`, and the IR types. Kept apart from `schema/index.ts`, which user
 * schema files import and which must not load TypeScript.
 */
import { readFileSync } from "node:fs";
import type { SchemaIR } from "./ir.js";
import { ProblemList, type SchemaProblem } from "./problems.js";
import type { SchemaReadCache } from "./read-cache.js";
import { readSchemaSource } from "./read.js";
import { validateSchema } from "./validate.js";

export type * from "./ir.js";
export { formatProblem, type SchemaProblem } from "./problems.js";
export { SchemaReadCache } from "./read-cache.js";

export type ReadSchemaResult =
  | { readonly ok: true; readonly ir: SchemaIR }
  | { readonly ok: false; readonly problems: SchemaProblem[] };

export interface ReadSchemaOptions {
  /** The file's contents, when they are not (or not yet) on disk: tests, editors, watch mode. */
  readonly sourceText?: string;
  /** Models of earlier reads of the same file (watch mode): unchanged ones are not walked again. */
  readonly cache?: SchemaReadCache;
}

/**
 * Reads `filePath` statically (nothing in it runs) and validates it. `filePath` is kept as given
 * in problems and in `ir.sourceFile`. Never throws for a bad schema: every problem is returned,
 * ordered by position.
 */
export function readSchema(filePath: string, options: ReadSchemaOptions = {}): ReadSchemaResult {
  const problems = new ProblemList(filePath);
  let text = options.sourceText;
  if (text === undefined) {
    try {
      text = readFileSync(filePath, "utf8");
    } catch (error) {
      const reason = error instanceof Error && "code" in error ? String(error.code) : String(error);
      problems.add(
        { line: 1, column: 1 },
        `cannot read the schema file (${reason}); check the path`,
      );
      return { ok: false, problems: problems.sorted() };
    }
  }
  const raw = readSchemaSource(filePath, text, problems, options.cache);
  const ir = raw === undefined ? undefined : validateSchema(raw, problems);
  if (ir === undefined || problems.size > 0) return { ok: false, problems: problems.sorted() };
  return { ok: true, ir };
}
