/**
 * TypeScript's compiler API for the schema reader, loaded with `require`: an ESM `import` of
 * this CommonJS package first scans its 9 MB entry file for export names (cjs-module-lexer),
 * about 150 ms of CPU in every cold `yara-gen` run. Only its parser is used: the reader walks the
 * syntax tree TypeScript builds, with no program, type checker or wrapper objects.
 */
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

export const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
