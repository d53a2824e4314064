/**
 * Imports one migration file. `.js` and `.mjs` files are plain modules: Node imports them
 * anywhere, with no loader and no build step. `.ts` and `.mts` files import as they are when
 * something already compiles TypeScript on import (tsx, vitest, Node's own type stripping from
 * Node 22.18 / 23.6); otherwise the loader a tool set with `setTypeScriptLoader` is registered
 * (yara-gen registers its own tsx), else the app's own tsx — resolved from the migrations
 * folder, as the app would import it; yara-orm has no TypeScript loader among its dependencies.
 * Without any, a MigrationError names the ways out.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { MigrationError } from "../errors.js";

const registered = new Map<string, Promise<void>>();
let toolLoader: (() => Promise<void>) | undefined;

/**
 * The TypeScript loader a tool brings (yara-gen: its own tsx), registered the first time a
 * `.ts` migration does not import without one.
 */
export function setTypeScriptLoader(register: () => Promise<void>): void {
  toolLoader = register;
}

/** The module namespace of `file`. */
export async function importMigrationFile(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    await registerAppTsx(file, error);
    return await import(url);
  }
}

/** Registers the tsx installed where `file` is (once per tsx), or says what to do instead. */
async function registerAppTsx(file: string, cause: unknown): Promise<void> {
  if (toolLoader !== undefined) {
    let registering = registered.get("tool");
    if (registering === undefined) {
      registering = toolLoader();
      registered.set("tool", registering);
    }
    return await registering;
  }
  const api = appTsxApi(file);
  if (api === undefined)
    throw new MigrationError(
      `${file}: a TypeScript migration needs a TypeScript loader, and this process has none ` +
        `(Node ${process.version} does not import .ts files by itself). Either run the app ` +
        "through tsx (`tsx app.ts`, `node --import tsx app.js`) or install it in the app " +
        "(`npm install tsx`: yara then registers it), or ship the migrations as JavaScript: a " +
        "file `yara-gen migrations make` writes is valid JavaScript as it is, so renaming it " +
        'to .js (or .mjs) makes it load anywhere — see docs/migrations.md, "Migrations in an ' +
        'installed app"',
      { file, cause },
    );
  let registering = registered.get(api);
  if (registering === undefined) {
    registering = import(pathToFileURL(api).href).then((tsx: { register(): unknown }) => {
      tsx.register();
    });
    registered.set(api, registering);
  }
  await registering;
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
