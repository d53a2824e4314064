/**
 * Type-checks generated code the way a user's project would: strict, noUncheckedIndexedAccess,
 * verbatimModuleSyntax, NodeNext modules, with `yara-orm` mapped to the runtime source. Uses the
 * project's own TypeScript (the one `npm run typecheck` runs), not the copy inside ts-morph, whose
 * standard library is not on disk.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { NO_CHECK } from "../../../generator/naming.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  typeRoots: [`${root}node_modules/@types`],
  strict: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
  paths: { "yara-orm": [`${root}runtime/index.ts`] },
};

export interface CheckResult {
  /** Diagnostics in the checked files, `path:line:col: message`. */
  readonly errors: readonly string[];
  /** Diagnostics elsewhere (the runtime), reported so a broken dependency is visible. */
  readonly elsewhere: readonly string[];
}

function describe(d: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return message;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${d.file.fileName.replace(root, "")}:${line + 1}:${character + 1}: ${message}`;
}

/**
 * Checks `files` (absolute paths) and everything they import. Generated files are checked too:
 * their `@ts-nocheck` header line, which spares users the cost, is dropped here. `sources`
 * holds files that are not on disk (absolute path → text), checked with them; a module they
 * import resolves to them first.
 *
 * The program is TypeScript's own `createProgram` over a compiler host that overlays the
 * texts, not a ts-morph project: ts-morph creates source files without their module format, so
 * under NodeNext every file counted as CommonJS and the runtime's `import.meta` was reported.
 */
export function typeCheck(
  files: readonly string[],
  within: string,
  sources: ReadonlyMap<string, string> = new Map(),
): CheckResult {
  const texts = new Map<string, string>();
  for (const file of files) texts.set(file, readFileSync(file, "utf8"));
  for (const [file, text] of sources) texts.set(file, text);
  for (const [file, text] of texts) texts.set(file, text.replace(`\n${NO_CHECK}\n`, "\n"));

  const host = ts.createCompilerHost(STRICT_OPTIONS, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => texts.has(file) || fileExists.call(host, file);
  host.readFile = (file) => texts.get(file) ?? readFile.call(host, file);
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const text = texts.get(file);
    if (text === undefined)
      return getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(file, text, languageVersion, true);
  };
  const program = ts.createProgram({ rootNames: [...texts.keys()], options: STRICT_OPTIONS, host });
  const all = ts.getPreEmitDiagnostics(program);
  const inside = (d: ts.Diagnostic): boolean => d.file?.fileName.startsWith(within) ?? false;
  return {
    errors: all.filter(inside).map(describe),
    elsewhere: all.filter((d) => !inside(d)).map(describe),
  };
}
