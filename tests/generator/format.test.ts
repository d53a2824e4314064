/**
 * `formatFiles` formats with prettier's `babel-ts` parser for speed; the output must be exactly
 * what the `typescript` parser (the one `prettier --check` uses on `.ts` files) prints, for
 * every file the emitters write, on worker threads as on this one. And a `FormatCache` must be
 * consulted and refreshed per run.
 */
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { emit } from "../../generator/emit.js";
import { FormatCache, formatFiles } from "../../generator/format.js";
import { formatOnThreads, formatThreads } from "../../generator/format-workers.js";
import { readSchema } from "../../schema/compile.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));

function emitted(fixture: string): Map<string, string> {
  const read = readSchema(join(fixtures, fixture, "schema.ts"));
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join("\n"));
  return emit(read.ir);
}

describe("formatFiles", () => {
  it.each(readdirSync(fixtures))(
    "prints what the typescript parser prints (%s fixture)",
    async (fixture) => {
      const files = emitted(fixture);
      const formatted = await formatFiles(files);
      expect([...formatted.keys()]).toEqual([...files.keys()]);
      for (const [path, source] of files) {
        const expected = await format(source, { parser: "typescript", printWidth: 100 });
        expect(formatted.get(path), path).toBe(expected);
      }
    },
  );

  it("takes known sources from the cache and keeps only the latest run's", async () => {
    const files = emitted("bookstore");
    const [first, second] = [...files.keys()] as [string, string];
    const cache = new FormatCache();
    cache.keep(new Map([[files.get(first) ?? "", "// cached\n"]]));
    const formatted = await formatFiles(files, cache);
    expect(formatted.get(first)).toBe("// cached\n");
    expect(formatted.get(second)).toContain("export class");
    expect(cache.size).toBe(files.size);
    expect(cache.get(files.get(second) ?? "")).toBe(formatted.get(second));

    await formatFiles(new Map([[second, files.get(second) ?? ""]]), cache);
    expect(cache.size).toBe(1);
    expect(cache.get(files.get(first) ?? "")).toBeUndefined();
  });

  it("prints the same on worker threads, in the order given", async () => {
    const files = [...emitted("relations").values()];
    const options = { parser: "babel-ts", printWidth: 100 };
    const here = (source: string) => format(source, options);
    const threaded = await formatOnThreads(files, options, 3, here);
    expect(threaded).toEqual(await Promise.all(files.map(here)));
  });

  it("uses one thread for a small client and more only for many files", () => {
    expect(formatThreads(4)).toBe(1);
    expect(formatThreads(300)).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
  });
});
