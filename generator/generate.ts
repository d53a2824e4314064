/**
 * Schema file → formatted client files: the schema reader, then `emit`, then prettier. Shared by
 * the one-shot CLI, `--check` and `--watch`; problems come back as data, never thrown.
 */
import { relative, sep } from "node:path";
import { readSchema, type SchemaProblem } from "../schema/compile.js";
import { emit } from "./emit.js";
import { formatFiles, type FormatCache } from "./format.js";

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
  /** Formatted output of earlier runs (watch mode): only files whose emit changed are formatted. */
  readonly formatCache?: FormatCache;
}

export async function generate(
  schemaPath: string,
  outDir: string,
  options: GenerateOptions = {},
): Promise<GenerateResult> {
  const read = readSchema(schemaPath, options);
  if (!read.ok) return { ok: false, problems: read.problems };
  const files = emit(read.ir, { schemaFile: schemaLabel(schemaPath, outDir) });
  return { ok: true, files: await formatFiles(files, options.formatCache) };
}
