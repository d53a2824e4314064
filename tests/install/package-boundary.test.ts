/**
 * The line between the two packages, as the sources draw it: yara-orm (runtime/ and the schema
 * DSL) never reaches the generator, the schema reader or their dependencies, and yara-gen
 * (generator/ and the reader) reaches the runtime only through `yara-orm/internal` — a relative
 * import of runtime/ would compile a second copy of the runtime into yara-gen. Code generation
 * itself reaches only `yara-orm/internal/codegen`, which does not load the runtime.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
/** The module specifiers of a file's imports, re-exports and dynamic imports (not comments, strings). */
function specifiers(file: string): string[] {
  return ts
    .preProcessFile(readFileSync(file, "utf8"), true, true)
    .importedFiles.map((f) => f.fileName);
}

/**
 * The module specifiers of the imports and re-exports a file's loading loads: static ones,
 * without those TypeScript erases (`import type`, `export type`; verbatimModuleSyntax keeps
 * every other one).
 */
function loadedSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly !== true)
      spec = statement.moduleSpecifier;
    else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly)
      spec = statement.moduleSpecifier;
    if (spec !== undefined && ts.isStringLiteral(spec)) found.push(spec.text);
  }
  return found;
}

/**
 * Every file reachable from `entries` by the relative imports `imports` finds (every import, by
 * default), and every package they import.
 */
function closure(
  entries: readonly string[],
  imports: (file: string) => string[] = specifiers,
): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => join(repo, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of imports(file)) {
      if (spec.startsWith(".")) queue.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
      else if (!spec.startsWith("node:")) packages.add(spec);
    }
  }
  return { files, packages };
}

const rel = (files: Iterable<string>) => [...files].map((f) => relative(repo, f)).sort();

describe("the packages' boundary", () => {
  it("yara-orm's entry points reach neither the generator nor the schema reader", () => {
    const { files, packages } = closure([
      "runtime/index.ts",
      "runtime/migrations/index.ts",
      "runtime/internal.ts",
      "runtime/internal-codegen.ts",
      "schema/index.ts",
    ]);
    const outside = rel(files).filter((f) => !f.startsWith("runtime/"));
    expect(outside).toEqual([
      "schema/fields.ts",
      "schema/index.ts",
      "schema/ir.ts",
      "schema/meta-defaults.ts",
      "schema/naming.ts",
    ]);
    const dependencies = Object.keys(
      (
        JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
          dependencies: Record<string, string>;
        }
      ).dependencies,
    );
    const optional = ["better-sqlite3", "mysql2"]; // optional peers, loaded on demand
    for (const pkg of packages)
      expect([...dependencies, ...optional], `yara-orm imports ${pkg}`).toContain(
        pkg.split("/")[0],
      );
  });

  it("yara-gen reaches the runtime only through yara-orm/internal", () => {
    const { files, packages } = closure(["generator/cli.ts"]);
    expect(rel(files).filter((f) => f.startsWith("runtime/"))).toEqual([]);
    expect([...packages].filter((p) => p.startsWith("yara-orm")).sort()).toEqual([
      "yara-orm/internal",
      "yara-orm/internal/codegen",
    ]);
  });

  it("every source mapping of yara-orm names each of its entry points", () => {
    // The repository runs yara-gen and the bench from sources: tsconfig `paths` (tsx, tsc) and
    // vitest's aliases must know every entry point package.json exports, or an import of the
    // one left out fails as "yara-orm is not installed".
    const manifest = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const entries = Object.keys(manifest.exports)
      .filter((e) => e !== "./package.json")
      .map((e) => (e === "." ? "yara-orm" : `yara-orm/${e.slice(2)}`))
      .sort();
    for (const config of [
      "tsconfig.json",
      "bench/tsconfig.json",
      "generator/tsconfig.build.json",
    ]) {
      const paths = (
        JSON.parse(readFileSync(join(repo, config), "utf8")) as {
          compilerOptions: { paths: Record<string, unknown> };
        }
      ).compilerOptions.paths;
      const mapped = Object.keys(paths).filter((p) => p.startsWith("yara-orm"));
      // The generator's build compiles against yara-orm's declarations, of the internal entries only.
      const wanted =
        config === "generator/tsconfig.build.json"
          ? entries.filter((e) => e.startsWith("yara-orm/internal"))
          : entries;
      expect(mapped.sort(), config).toEqual(wanted);
    }
    const vitest = readFileSync(join(repo, "vitest.config.ts"), "utf8");
    for (const entry of entries)
      expect(vitest, `vitest.config.ts aliases ${entry}`).toContain(
        `find: /^${entry.replaceAll("/", "\\/")}$/`,
      );
  });

  it("code generation loads only yara-orm/internal/codegen, which loads no driver", () => {
    const { packages } = closure(["generator/generate.ts"], loadedSpecifiers);
    expect([...packages].filter((p) => p.startsWith("yara-orm"))).toEqual([
      "yara-orm/internal/codegen",
    ]);
    const runtime = closure(["runtime/internal-codegen.ts"], loadedSpecifiers);
    expect(rel(runtime.files)).toEqual([
      "runtime/dialect/field-checks.ts",
      "runtime/dialect/iso-instant.ts",
      "runtime/errors.ts",
      "runtime/internal-codegen.ts",
      "runtime/model/create-requirement.ts",
      "runtime/model/custom-validators.ts",
      "runtime/model/statics.ts",
      "runtime/version.ts",
    ]);
    expect([...runtime.packages]).toEqual([]);
  });
});
