/**
 * The output directory's side of generation: write only files whose content changed, remove
 * generated files the schema no longer produces, and compare without writing (`--check`).
 * A file is only ever removed when it starts with the `DO NOT EDIT` header, so hand-written
 * files that share the directory are left alone.
 */
import { renameSync, writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { HEADER_PREFIX } from "./naming.js";

export interface WriteResult {
  /** Files created or rewritten, relative to the output directory. */
  readonly written: readonly string[];
  /** Generated files the schema no longer produces. */
  readonly removed: readonly string[];
  readonly unchanged: number;
}

export interface Difference {
  /** Present but different from what would be generated. */
  readonly stale: readonly string[];
  readonly missing: readonly string[];
  /** Generated files that would be removed. */
  readonly extra: readonly string[];
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The names in `dir`, none when it does not exist. */
async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Files among `names` (the files directly in `dir`) that carry the generated header, other than
 * `produced` (the files a run generates, which are never extra whatever they hold, so are not
 * read again): `.js` and `.d.ts` files, and `.ts` files, so a client generated as TypeScript is
 * removed when generated as JavaScript and declarations, and the other way round.
 */
async function extraGeneratedFiles(
  dir: string,
  names: readonly string[],
  produced: ReadonlyMap<string, string>,
): Promise<string[]> {
  const found: string[] = [];
  for (const name of names.filter((n) => /\.(ts|js)$/.test(n) && !produced.has(n)).sort()) {
    const text = await readIfExists(join(dir, name));
    if (text?.startsWith(HEADER_PREFIX)) found.push(name);
  }
  return found;
}

export async function compareFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<Difference> {
  // Only files the directory holds are read (a first run into an empty directory reads none),
  // side by side: one after another took three times as long on 300 files.
  const names = await namesIn(dir);
  const present = new Set(names);
  const entries = [...files];
  const current = await Promise.all(
    entries.map(([name]) => (present.has(name) ? readIfExists(join(dir, name)) : null)),
  );
  const stale: string[] = [];
  const missing: string[] = [];
  entries.forEach(([name, content], i) => {
    const text = current[i];
    if (text === null || text === undefined) missing.push(name);
    else if (text !== content) stale.push(name);
  });
  const extra = await extraGeneratedFiles(dir, names, files);
  return { stale, missing, extra };
}

/** The difference between the files written last time and `files`, without reading the disk. */
function compareWith(
  previous: ReadonlyMap<string, string>,
  files: ReadonlyMap<string, string>,
): Difference {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, content] of files) {
    const before = previous.get(name);
    if (before === undefined) missing.push(name);
    else if (before !== content) stale.push(name);
  }
  const extra = [...previous.keys()].filter((name) => !files.has(name)).sort();
  return { stale, missing, extra };
}

export const isClean = (d: Difference): boolean =>
  d.stale.length === 0 && d.missing.length === 0 && d.extra.length === 0;

export async function writeFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
  /**
   * What this process wrote to `dir` last time (watch mode): files are then compared with it
   * instead of being read back, and generated files it held that are gone are removed.
   */
  previous?: ReadonlyMap<string, string>,
): Promise<WriteResult> {
  await mkdir(dir, { recursive: true });
  const { stale, missing, extra } =
    previous === undefined ? await compareFiles(dir, files) : compareWith(previous, files);
  const written = [...stale, ...missing].sort();
  // Write then rename, so a dev server watching the directory never reads half a file. One
  // after another on this thread: 600 files (a 300-model client) took ~100 ms so, and 120–180 ms
  // of wall time and more CPU as promises handing each step to libuv's thread pool.
  for (const name of written) {
    const path = join(dir, name);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, files.get(name) ?? "");
    renameSync(temporary, path);
  }
  await Promise.all(extra.map((name) => rm(join(dir, name))));
  return { written, removed: extra, unchanged: files.size - written.length };
}
