/**
 * Type-checks generated code the way a user's project would: strict, noUncheckedIndexedAccess,
 * verbatimModuleSyntax, NodeNext modules, with `yara-orm` mapped to the runtime source. Uses the
 * TypeScript bundled with ts-morph.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Project, ts } from "ts-morph";
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
 */
export function typeCheck(
  files: readonly string[],
  within: string,
  sources: ReadonlyMap<string, string> = new Map(),
): CheckResult {
  const project = new Project({
    compilerOptions: STRICT_OPTIONS,
    skipAddingFilesFromTsConfig: true,
  });
  const texts = [...files.map((file) => [file, readFileSync(file, "utf8")] as const), ...sources];
  for (const [file, text] of texts) {
    project.createSourceFile(file, text.replace(`\n${NO_CHECK}\n`, "\n"), { overwrite: true });
  }
  const program = project.getProgram().compilerObject;
  const all = ts.getPreEmitDiagnostics(program);
  const inside = (d: ts.Diagnostic): boolean => d.file?.fileName.startsWith(within) ?? false;
  return {
    errors: all.filter(inside).map(describe),
    elsewhere: all.filter((d) => !inside(d)).map(describe),
  };
}
