/**
 * The output directory's side of generation: write only files whose content changed, remove
 * generated files the schema no longer produces, and compare without writing (`--check`).
 * A file is only ever removed when it starts with the `DO NOT EDIT` header, so hand-written
 * files that share the directory are left alone.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

/** `.ts` files directly in `dir` that carry the generated header. */
async function generatedFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const found: string[] = [];
  for (const name of names.filter((n) => n.endsWith(".ts")).sort()) {
    const text = await readIfExists(join(dir, name));
    if (text?.startsWith(HEADER_PREFIX)) found.push(name);
  }
  return found;
}

export async function compareFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<Difference> {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [name, content] of files) {
    const current = await readIfExists(join(dir, name));
    if (current === null) missing.push(name);
    else if (current !== content) stale.push(name);
  }
  const extra = (await generatedFiles(dir)).filter((name) => !files.has(name));
  return { stale, missing, extra };
}

export const isClean = (d: Difference): boolean =>
  d.stale.length === 0 && d.missing.length === 0 && d.extra.length === 0;

export async function writeFiles(
  dir: string,
  files: ReadonlyMap<string, string>,
): Promise<WriteResult> {
  await mkdir(dir, { recursive: true });
  const { stale, missing, extra } = await compareFiles(dir, files);
  const written = [...stale, ...missing].sort();
  for (const name of written) {
    // Write then rename, so a dev server watching the directory never reads half a file.
    const path = join(dir, name);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, files.get(name) ?? "");
    await rename(temporary, path);
  }
  for (const name of extra) await rm(join(dir, name));
  return { written, removed: extra, unchanged: files.size - written.length };
}
