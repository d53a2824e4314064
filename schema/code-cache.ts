/**
 * Loading a large CommonJS file with V8's code cache kept on disk: what Node 22.1+ does for every
 * module once `module.enableCompileCache()` is called (generator/cli.ts), done on Node 20 for the
 * one file where it matters, TypeScript's 9 MB compiler (schema/typescript.ts). Compiling that
 * file anew is about 190 ms of every cold `yara-gen` run; with the cache, about 60.
 *
 * The file runs as Node runs a CommonJS module (the same wrapper, `require` resolving from it).
 * A cache file starts with the SHA-256 of the source it was made from (V8's own check compares
 * only the source's length), then V8's data, which V8 checks against its own build and flags
 * before using it (`cachedDataRejected`). Either mismatch means compiling anew and writing the
 * cache again. Reading or writing the cache never fails the load: a missing, unreadable or
 * unwritable cache only means the file is compiled as it would be without one.
 */
import { createHash } from "node:crypto";
import { isAscii } from "node:buffer";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** What happened to the cache in one load. */
export type CodeCacheUse =
  /** Read, made from this source, accepted by V8, and used. */
  | "used"
  /** None was there (or it could not be read): compiled, and a cache written. */
  | "written"
  /** One was there but made from another source or refused by V8: compiled, and rewritten. */
  | "replaced"
  /** Compiled without a cache; writing one failed (a read-only directory): the next load compiles too. */
  | "unwritable";

export interface CachedModule<T> {
  readonly exports: T;
  readonly cache: CodeCacheUse;
}

const DIGEST_BYTES = 32;

/**
 * Runs CommonJS `file` (an absolute path) as `require` would, compiled with the code cache at
 * `cacheFile`, and returns its `module.exports`. A plain-ASCII source (TypeScript's) is decoded
 * as Latin-1: V8 keeps it as a one-byte string, and 9 MB of UTF-8 need no decoding.
 */
export function loadWithCodeCache<T>(file: string, cacheFile: string): CachedModule<T> {
  const bytes = readFileSync(file);
  const digest = createHash("sha256").update(bytes).digest();
  const source = bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
  const stored = readCache(cacheFile);
  const cached =
    stored !== undefined && stored.subarray(0, DIGEST_BYTES).equals(digest)
      ? stored.subarray(DIGEST_BYTES)
      : undefined;
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
    { filename: file, cachedData: cached },
  );
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (
    exports: T,
    require: NodeJS.Require,
    module: { exports: T },
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (cached !== undefined && !script.cachedDataRejected)
    return { exports: module.exports, cache: "used" };
  const written = writeCache(cacheFile, Buffer.concat([digest, script.createCachedData()]));
  return {
    exports: module.exports,
    cache: !written ? "unwritable" : stored === undefined ? "written" : "replaced",
  };
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written beside, then renamed into place: a concurrent run reads the old cache or the new, whole. */
function writeCache(cacheFile: string, data: Buffer): boolean {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(partial, data);
    renameSync(partial, cacheFile);
    return true;
  } catch {
    try {
      rmSync(partial, { force: true });
    } catch {
      /* its folder could not be made: there is nothing to remove */
    }
    return false;
  }
}
