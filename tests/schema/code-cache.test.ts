/**
 * schema/code-cache.ts: a CommonJS file run as `require` runs it, with V8's code cache on disk —
 * written by the first load, used by the next, made again when the source changes (even to one
 * of the same length, which V8's own check would let through) or V8 refuses it, and never in
 * the way when it cannot be written. Each load runs in a process of its own: within one process
 * V8 reuses a script it has compiled from the same source, whatever cache it is handed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CodeCacheUse } from "../../schema/code-cache.js";

const codeCache = fileURLToPath(new URL("../../schema/code-cache.ts", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "yara-code-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the probe module exports, as a child process reports it after loading it. */
interface Loaded {
  readonly cache: CodeCacheUse;
  readonly exports: {
    readonly times21: number;
    readonly file: string;
    readonly dir: string;
    readonly sep: string;
    readonly thisIsExports: boolean;
    readonly text: string;
  };
}

/** `loadWithCodeCache(file, cacheFile)` in a fresh Node process. */
function load(file: string, cacheFile: string): Loaded {
  const script = [
    `import { loadWithCodeCache } from ${JSON.stringify(codeCache)};`,
    `const { cache, exports } = loadWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)});`,
    "console.log(JSON.stringify({ cache, exports: { ...exports, times: undefined, times21: exports.times(21) } }));",
  ].join("\n");
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      encoding: "utf8",
    },
  );
  if (child.status !== 0) throw new Error(`the loading process failed:\n${child.stderr}`);
  return JSON.parse(child.stdout) as Loaded;
}

function probeSource(factor: number, text = "plain"): string {
  return [
    `exports.times = (n) => n * ${factor};`,
    "exports.file = __filename;",
    "exports.dir = __dirname;",
    'exports.sep = require("node:path").sep;',
    "module.exports.thisIsExports = this === module.exports;",
    `exports.text = ${JSON.stringify(text)};`,
  ].join("\n");
}

describe("loadWithCodeCache", () => {
  const file = join(dir, "probe.cjs");
  const cacheFile = join(dir, "cache", "probe.cache");

  it("runs the file as a CommonJS module and writes the cache, then uses it", () => {
    writeFileSync(file, probeSource(2));
    const first = load(file, cacheFile);
    expect(first.cache).toBe("written");
    expect(first.exports.times21).toBe(42);
    expect([first.exports.file, first.exports.dir, first.exports.sep]).toEqual([file, dir, "/"]);
    expect(first.exports.thisIsExports).toBe(true);
    // The cache names the source it was made from.
    const digest = createHash("sha256").update(readFileSync(file)).digest();
    expect(readFileSync(cacheFile).subarray(0, 32).equals(digest)).toBe(true);

    const second = load(file, cacheFile);
    expect(second.cache).toBe("used");
    expect(second.exports.times21).toBe(42);
  });

  it("compiles a changed source anew, even one of the same length", () => {
    const changed = probeSource(3);
    expect(changed.length).toBe(probeSource(2).length);
    writeFileSync(file, changed);
    const loaded = load(file, cacheFile);
    expect(loaded.cache).toBe("replaced");
    expect(loaded.exports.times21).toBe(63);
    expect(load(file, cacheFile).cache).toBe("used");
  });

  it("compiles anew when V8 refuses the cache's data", () => {
    const stored = readFileSync(cacheFile);
    // The source's digest kept, V8's data replaced by bytes it cannot read.
    writeFileSync(cacheFile, Buffer.concat([stored.subarray(0, 32), Buffer.alloc(64, 7)]));
    const loaded = load(file, cacheFile);
    expect(loaded.cache).toBe("replaced");
    expect(loaded.exports.times21).toBe(63);
    expect(load(file, cacheFile).cache).toBe("used");
  });

  it("loads without a cache where none can be written", () => {
    const blocker = join(dir, "not-a-directory");
    writeFileSync(blocker, "");
    const loaded = load(file, join(blocker, "probe.cache"));
    expect(loaded.cache).toBe("unwritable");
    expect(loaded.exports.times21).toBe(63);
  });

  it("reads a source that is not plain ASCII as UTF-8", () => {
    const utf8 = join(dir, "utf8.cjs");
    writeFileSync(utf8, probeSource(2, "crème brûlée ✓"));
    const cache = join(dir, "cache", "utf8.cache");
    expect(load(utf8, cache).exports.text).toBe("crème brûlée ✓");
    expect(load(utf8, cache)).toMatchObject({
      cache: "used",
      exports: { text: "crème brûlée ✓" },
    });
  });
});
