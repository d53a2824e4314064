/**
 * The line between the two packages, as the sources draw it: yara-orm (runtime/ and the schema
 * DSL) never reaches the generator, the schema reader or their dependencies, and yara-gen
 * (generator/ and the reader) reaches the runtime only through `yara-orm/internal` — a relative
 * import of runtime/ would compile a second copy of the runtime into yara-gen.
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

/** Every file reachable from `entries` by relative imports, and every package they import. */
function closure(entries: readonly string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => join(repo, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of specifiers(file)) {
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
    expect([...packages].filter((p) => p.startsWith("yara-orm"))).toEqual(["yara-orm/internal"]);
  });
});
