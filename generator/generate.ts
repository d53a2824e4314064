/**
 * Schema file → client files: the schema reader, the names two models would both export
 * (name-clashes.ts), then `emit`, whose files come out formatted as prettier would format them.
 * Shared by the one-shot CLI, `--check` and `--watch`; problems come back as data, never thrown.
 */
import { relative, sep } from "node:path";
import { readSchema, type SchemaProblem, type SchemaReadCache } from "../schema/compile.js";
import { ProblemList } from "../schema/problems.js";
import { emit, type EmitCache } from "./emit.js";
import { nameClashes } from "./name-clashes.js";

export { formatProblem, type SchemaProblem } from "../schema/compile.js";

export type GenerateResult =
  | { readonly ok: true; readonly files: Map<string, string> }
  | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

/** How headers name the schema: relative to the output directory, so output is cwd-independent. */
function schemaLabel(schemaPath: string, outDir: string): string {
  return relative(outDir, schemaPath).split(sep).join("/");
}

export interface GenerateOptions {
  /** The schema's contents, when they are not (or not yet) on disk. */
  readonly sourceText?: string;
  /** Files of earlier runs (watch mode): a model whose inputs did not change is not emitted again. */
  readonly emitCache?: EmitCache;
  /** Models of earlier reads (watch mode): a model whose text did not change is not read again. */
  readonly readCache?: SchemaReadCache;
  /** `js` (default): `.js` and `.d.ts` files; `ts`: `.ts` files (emit.ts). */
  readonly language?: "js" | "ts";
}

export async function generate(
  schemaPath: string,
  outDir: string,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const read = readSchema(schemaPath, {
    ...(options.sourceText === undefined ? {} : { sourceText: options.sourceText }),
    ...(options.readCache === undefined ? {} : { cache: options.readCache }),
  });
  if (!read.ok) return { ok: false, problems: read.problems };
  const clashes = nameClashes(read.ir);
  if (clashes.length > 0) {
    const problems = new ProblemList(schemaPath);
    for (const c of clashes) problems.add(c.loc, c.message);
    return { ok: false, problems: problems.sorted() };
  }
  const schemaFile = schemaLabel(schemaPath, outDir);
  const files = emit(read.ir, {
    schemaFile,
    ...(options.emitCache ? { cache: options.emitCache } : {}),
    ...(options.language === undefined ? {} : { language: options.language }),
  });
  return { ok: true, files };
}
