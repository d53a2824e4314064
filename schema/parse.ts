/**
 * TypeScript's parser as the schema reader uses it: one file's syntax tree and its syntax errors,
 * with no program beyond that file, no type checker and no wrapper objects.
 */
import { basename } from "node:path";
import type { CompilerHost, Diagnostic, SourceFile } from "typescript";
import { ts } from "./typescript.js";

/** TypeScript parses by extension; keep the user's (`.ts`, `.mts`, `.js`…) so their syntax parses. */
export function virtualPath(file: string): string {
  const name = basename(file);
  return /\.(c|m)?(t|j)sx?$/.test(name) ? `/${name}` : "/schema.ts";
}

/**
 * The syntax tree of `text`, parsed as a file named like `file`. Doc comments are not parsed:
 * nothing reads them, and a problem in one is no syntax error.
 */
export function parse(file: string, text: string): SourceFile {
  return ts.createSourceFile(virtualPath(file), text, {
    languageVersion: ts.ScriptTarget.Latest,
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
  });
}

/**
 * The syntax errors of `source`, as a compiler reports them: the parser's, and for a `.js`
 * schema the TypeScript-only syntax it uses. A program of this one file, no library, nothing
 * resolved.
 */
export function syntaxErrors(source: SourceFile): readonly Diagnostic[] {
  const host: CompilerHost = {
    getSourceFile: (name) => (name === source.fileName ? source : undefined),
    getDefaultLibFileName: () => "/lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === source.fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [source.fileName],
    options: { noLib: true, allowJs: true, noResolve: true, types: [] },
    host,
  });
  return program.getSyntacticDiagnostics(source);
}
