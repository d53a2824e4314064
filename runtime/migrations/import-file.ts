/**
 * Imports one migration file. `.js` and `.mjs` files are plain modules: Node imports them
 * anywhere, with no loader and no build step. `.ts` and `.mts` files import as they are when
 * something compiles TypeScript on import: the loader the process runs under (tsx, vitest,
 * Node's own type stripping from Node 22.18 / 23.6), or the one a tool registered with
 * `setTypeScriptLoader` (yara-gen: its own tsx, registered before the first `.ts` file). Else
 * the app's own tsx, resolved from the migrations folder as the app would import it, loads the
 * file (its scoped `tsImport`: Node remembers that the plain import failed). yara-orm has no
 * TypeScript loader among its dependencies; without any, a MigrationError names the ways out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { MigrationError } from "../errors.js";

const TYPESCRIPT = /\.m?ts$/;

let toolLoader: (() => Promise<void>) | undefined;
let toolRegistered: Promise<void> | undefined;

/** A tool's TypeScript loader (yara-gen: its own tsx), registered before the first `.ts` file. */
export function setTypeScriptLoader(register: () => Promise<void>): void {
  toolLoader = register;
}

interface TsxApi {
  tsImport(specifier: string, parentURL: string): Promise<unknown>;
}

/** The module namespace of `file`. */
export async function importMigrationFile(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (toolLoader !== undefined && TYPESCRIPT.test(file)) await (toolRegistered ??= toolLoader());
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const api = appTsxApi(file);
    if (api === undefined) throw noLoader(file, error);
    const tsx = (await import(pathToFileURL(api).href)) as TsxApi;
    return await tsx.tsImport(url, url);
  }
}

function noLoader(file: string, cause: unknown): MigrationError {
  return new MigrationError(
    `${file}: a TypeScript migration needs a TypeScript loader, and this process has none ` +
      `(Node ${process.version} does not import .ts files by itself). Either run the app ` +
      "through tsx (`tsx app.ts`, `node --import tsx app.js`) or install it in the app " +
      "(`npm install tsx`: yara then loads the file with it), or ship the migrations as " +
      "JavaScript: a file `yara-gen migrations make` writes is valid JavaScript as it is, so " +
      "renaming it to .js (or .mjs) makes it load anywhere — see docs/migrations.md, " +
      '"Migrations in an installed app"',
    { file, cause },
  );
}

/** The ES module entry of `tsx/esm/api` as resolved from `file`'s folder, if tsx is there. */
function appTsxApi(file: string): string | undefined {
  let manifest: string;
  try {
    manifest = createRequire(file).resolve("tsx/package.json");
  } catch {
    return undefined;
  }
  const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports?: unknown }).exports;
  const entry = (exports as Record<string, { import?: { default?: unknown } }> | undefined)?.[
    "./esm/api"
  ]?.import?.default;
  return typeof entry === "string" ? join(dirname(manifest), entry) : undefined;
}
