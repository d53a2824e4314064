import { mkdtemp, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { header } from "../../generator/naming.js";
import { compareFiles, isClean, writeFiles } from "../../generator/write.js";

const generated = (body: string): string => `${header("../app.schema.ts")}\n${body}\n`;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "yara-write-"));
}

describe("writeFiles", () => {
  it("compared with the files it wrote last time, writes and removes what changed without reading", async () => {
    const dir = await tempDir();
    const first = new Map([
      ["a.ts", generated("a")],
      ["b.ts", generated("b")],
      ["c.ts", generated("c")],
    ]);
    await writeFiles(dir, first);
    // A change on disk that the previous map does not know of is not read back.
    await writeFile(join(dir, "a.ts"), generated("edited by hand"));
    const second = new Map([
      ["a.ts", generated("a")],
      ["b.ts", generated("b2")],
      ["d.ts", generated("d")],
    ]);
    const result = await writeFiles(dir, second, first);
    expect(result).toEqual({ written: ["b.ts", "d.ts"], removed: ["c.ts"], unchanged: 1 });
    expect((await readdir(dir)).sort()).toEqual(["a.ts", "b.ts", "d.ts"]);
    expect(await readFile(join(dir, "b.ts"), "utf8")).toBe(generated("b2"));
  });

  it("creates the directory and writes every file the first time", async () => {
    const dir = join(await tempDir(), "out");
    const result = await writeFiles(
      dir,
      new Map([
        ["a.ts", generated("a")],
        ["index.ts", generated("i")],
      ]),
    );
    expect(result).toEqual({ written: ["a.ts", "index.ts"], removed: [], unchanged: 0 });
    expect(await readFile(join(dir, "a.ts"), "utf8")).toBe(generated("a"));
  });

  it("leaves unchanged files untouched", async () => {
    const dir = await tempDir();
    await writeFiles(
      dir,
      new Map([
        ["a.ts", generated("a")],
        ["b.ts", generated("b")],
      ]),
    );
    const before = (await stat(join(dir, "a.ts"))).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const result = await writeFiles(
      dir,
      new Map([
        ["a.ts", generated("a")],
        ["b.ts", generated("B")],
      ]),
    );
    expect(result).toEqual({ written: ["b.ts"], removed: [], unchanged: 1 });
    expect((await stat(join(dir, "a.ts"))).mtimeMs).toBe(before);
  });

  it("removes stale generated files but never hand-written ones", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "old.ts"), generated("old"));
    await writeFile(join(dir, "mine.ts"), "export const mine = 1;\n");
    const result = await writeFiles(dir, new Map([["a.ts", generated("a")]]));
    expect(result.removed).toEqual(["old.ts"]);
    expect((await readdir(dir)).sort()).toEqual(["a.ts", "mine.ts"]);
  });
});

describe("compareFiles", () => {
  it("names stale, missing and extra files without writing", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.ts"), generated("a"));
    await writeFile(join(dir, "b.ts"), generated("old b"));
    await writeFile(join(dir, "gone.ts"), generated("gone"));
    const files = new Map([
      ["a.ts", generated("a")],
      ["b.ts", generated("b")],
      ["c.ts", generated("c")],
    ]);
    const diff = await compareFiles(dir, files);
    expect(diff).toEqual({ stale: ["b.ts"], missing: ["c.ts"], extra: ["gone.ts"] });
    expect(isClean(diff)).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(["a.ts", "b.ts", "gone.ts"]);
  });

  it("is clean when the directory matches", async () => {
    const dir = await tempDir();
    const files = new Map([["a.ts", generated("a")]]);
    await writeFiles(dir, files);
    expect(isClean(await compareFiles(dir, files))).toBe(true);
  });
});
