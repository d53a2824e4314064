/**
 * TypeScript's compiler API for the schema reader, loaded as CommonJS: an ESM `import` of this
 * package first scans its 9 MB entry file for export names (cjs-module-lexer), about 150 ms of
 * CPU in every cold `yara-gen` run. Only its parser is used: the reader walks the syntax tree
 * TypeScript builds, with no program, type checker or wrapper objects.
 *
 * On Node 20, which has no compile cache of its own (generator/cli.ts turns Node 22's on), the
 * compiler is loaded with V8's code cache kept in `node_modules/.cache/yara-gen/` beside the
 * `typescript` package (schema/code-cache.ts): ~130 ms less per cold run. Where that folder is
 * not a `node_modules` one (an unusual layout), TypeScript is required as usual.
 */
import module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import type * as TypeScript from "typescript";
import { loadWithCodeCache } from "./code-cache.js";

function loadTypeScript(): typeof TypeScript {
  const require = createRequire(import.meta.url);
  if ("enableCompileCache" in module) return require("typescript") as typeof TypeScript;
  const file = require.resolve("typescript");
  // …/node_modules/typescript/lib/typescript.js
  const modules = dirname(dirname(dirname(file)));
  if (basename(modules) !== "node_modules") return require("typescript") as typeof TypeScript;
  const cacheFile = join(
    modules,
    ".cache",
    "yara-gen",
    `typescript-v8-${process.versions.v8}.cache`,
  );
  return loadWithCodeCache<typeof TypeScript>(file, cacheFile).exports;
}

export const ts = loadTypeScript();
