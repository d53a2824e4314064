/**
 * Reads a migrations folder: `0001_initial.ts`, `0002_add_slug.ts`, … numbered from 1 without a
 * gap or a duplicate, each naming the one before it as `previous`. Files are imported (they are
 * TypeScript modules that may hold `runCode` functions, so they cannot be read statically like a
 * schema): `.js` / `.mjs` natively, `.ts` / `.mts` through a TypeScript loader (import-file.ts).
 * Every file is checked and loaded before anything runs: one bad file is one MigrationError
 * naming it, and nothing is applied.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MigrationError } from "../errors.js";
import type { MigrationDefinition } from "./builders.js";
import { importMigrationFile } from "./import-file.js";
import type { Operation } from "./operation.js";

export interface LoadedMigration {
  /** File name without extension: `0002_add_slug`. */
  readonly name: string;
  readonly number: number;
  readonly file: string;
  /** sha256 of the file's text (line endings normalised). */
  readonly checksum: string;
  readonly operations: readonly Operation[];
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.(ts|mts|js|mjs)$/;
const SOURCE_FILE = /\.(ts|mts|js|mjs)$/;

export function migrationChecksum(text: string): string {
  return createHash("sha256").update(text.replace(/\r\n/g, "\n")).digest("hex");
}

interface Listed {
  readonly name: string;
  readonly number: number;
  readonly file: string;
}

/** The folder's migration files in order, after checking names, gaps and duplicates. */
export function listMigrationFiles(dir: string): Listed[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    if (code === "ENOENT") return [];
    throw new MigrationError(`cannot read the migrations folder ${dir} (${code})`, {
      cause: error,
    });
  }
  const listed: Listed[] = [];
  for (const entry of entries.sort()) {
    if (!SOURCE_FILE.test(entry) || entry.endsWith(".d.ts")) continue;
    const file = join(dir, entry);
    const m = MIGRATION_FILE.exec(entry);
    if (m === null)
      throw new MigrationError(
        `${file}: a migration file is named like 0001_initial.ts (four digits, "_", lower-case letters, digits and "_")`,
        { file },
      );
    listed.push({ name: entry.replace(SOURCE_FILE, ""), number: Number(m[1]), file });
  }
  listed.sort((a, b) => a.number - b.number);
  for (let i = 0; i < listed.length; i++) {
    const item = listed[i]!;
    const prev = listed[i - 1];
    if (prev !== undefined && prev.number === item.number)
      throw new MigrationError(
        `${item.file}: duplicate migration number ${item.name.slice(0, 4)} (also ${prev.file})`,
        {
          file: item.file,
        },
      );
    if (item.number !== i + 1)
      throw new MigrationError(
        `${item.file}: migration numbers have a gap: expected ${String(i + 1).padStart(4, "0")}_…, found ${item.name}`,
        { file: item.file },
      );
  }
  return listed;
}

const OPERATIONS = new Set([
  "createModel",
  "deleteModel",
  "renameModel",
  "alterModelTable",
  "addField",
  "removeField",
  "alterField",
  "renameField",
  "addIndex",
  "removeIndex",
  "createJoinTable",
  "dropJoinTable",
  "renameJoinTable",
  "runSql",
  "runCode",
]);

/** Loads every migration of `dir`, in order. */
export async function loadMigrations(dir: string): Promise<LoadedMigration[]> {
  const loaded: LoadedMigration[] = [];
  for (const item of listMigrationFiles(dir)) {
    const text = readFileSync(item.file, "utf8");
    let module: unknown;
    try {
      module = await importMigrationFile(item.file);
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new MigrationError(`${item.file}: cannot load the migration: ${reason}`, {
        file: item.file,
        cause: error,
      });
    }
    const definition = (module as { default?: MigrationDefinition }).default;
    if (
      definition === undefined ||
      typeof definition !== "object" ||
      !Array.isArray(definition.operations)
    )
      throw new MigrationError(
        `${item.file}: the default export is not migration({ previous, operations })`,
        {
          file: item.file,
        },
      );
    const expected = loaded.at(-1)?.name ?? null;
    if ((definition.previous ?? null) !== expected)
      throw new MigrationError(
        `${item.file}: "previous" is ${JSON.stringify(definition.previous ?? null)}, expected ${JSON.stringify(expected)}`,
        { file: item.file },
      );
    definition.operations.forEach((op, i) => {
      if (
        typeof op !== "object" ||
        op === null ||
        !OPERATIONS.has((op as { op?: string }).op ?? "")
      )
        throw new MigrationError(`${item.file}: operation ${i + 1} is not a migration operation`, {
          file: item.file,
        });
    });
    loaded.push({ ...item, checksum: migrationChecksum(text), operations: definition.operations });
  }
  return loaded;
}
