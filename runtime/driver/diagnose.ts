/**
 * What this installation runs on, for `yara-gen doctor`: the native engine (where it was found,
 * or why not), the driver `YaraOrm.init` picks for each database when none is asked for, and the
 * SQLite each SQLite driver carries (version and compile options, asked of the library itself).
 * Plain data; the CLI prints it. Opens only in-memory SQLite databases, never a server.
 */
import { createRequire } from "node:module";
import type { Driver, DriverName } from "./driver.js";
import { nativeEngineStatus, type NativeEngineStatus } from "./native/addon.js";
import { currentPlatform, enginePackageName, platformTriple } from "./native/platform.js";

/** The driver `init` picks for a database with no `driver` option, or why it has none. */
export interface DriverChoice {
  readonly driver: DriverName | null;
  readonly problem?: string;
}

/** The SQLite a driver runs, or why it could not be asked. */
export interface SqliteBuild {
  readonly driver: "native" | "better-sqlite3";
  readonly version?: string;
  readonly compileOptions?: readonly string[];
  readonly problem?: string;
}

export interface Diagnosis {
  /** `process.version`. */
  readonly node: string;
  /** `linux-x64-gnu`, `darwin-arm64`, … */
  readonly triple: string;
  /** The platform package for `triple`, undefined when none is published for it. */
  readonly enginePackage: string | undefined;
  readonly engine: NativeEngineStatus;
  readonly drivers: { readonly postgres: DriverChoice; readonly sqlite: DriverChoice };
  readonly sqlite: readonly SqliteBuild[];
  /** Installed versions of the JavaScript drivers (undefined: not installed). */
  readonly packages: {
    readonly pg: string | undefined;
    readonly "better-sqlite3": string | undefined;
  };
}

export async function diagnose(): Promise<Diagnosis> {
  const platform = currentPlatform();
  const engine = nativeEngineStatus();
  const native = await nativeSqlite(engine);
  const better = await betterSqlite();
  const pgProblem = await importProblem(() => import("pg"));
  return {
    node: process.version,
    triple: platformTriple(platform),
    enginePackage: enginePackageName(platform),
    engine,
    drivers: {
      postgres: engine.loaded
        ? { driver: "native" }
        : pgProblem === undefined
          ? { driver: "pg" }
          : { driver: null, problem: `pg does not load: ${pgProblem}` },
      sqlite: engine.loaded
        ? { driver: "native" }
        : better.problem === undefined
          ? { driver: "better-sqlite3" }
          : { driver: null, problem: better.problem },
    },
    sqlite: [native, better],
    packages: { pg: versionOf("pg"), "better-sqlite3": versionOf("better-sqlite3") },
  };
}

async function nativeSqlite(engine: NativeEngineStatus): Promise<SqliteBuild> {
  if (!engine.loaded) return { driver: "native", problem: "the native engine is not loaded" };
  const { loadNativeAddon } = await import("./native/addon.js");
  const { NativeSqliteDriver } = await import("./native/sqlite.js");
  const addon = loadNativeAddon();
  if (addon === undefined) return { driver: "native", problem: "the native engine is not loaded" };
  return askSqlite("native", () => NativeSqliteDriver.open(addon, { filename: ":memory:" }));
}

async function betterSqlite(): Promise<SqliteBuild> {
  const { BetterSqliteDriver } = await import("./better-sqlite3/driver.js");
  return askSqlite("better-sqlite3", () => BetterSqliteDriver.open({ filename: ":memory:" }));
}

async function askSqlite(
  name: SqliteBuild["driver"],
  open: () => Driver | Promise<Driver>,
): Promise<SqliteBuild> {
  let driver: Driver;
  try {
    driver = await open();
  } catch (err) {
    return { driver: name, problem: (err as Error).message };
  }
  try {
    const version = await driver.query("SELECT sqlite_version()", []);
    const options = await driver.query("PRAGMA compile_options", []);
    const compileOptions: string[] = [];
    for (let i = 0; i < options.rowCount; i++) compileOptions.push(options.reader.text(0, i));
    return { driver: name, version: version.reader.text(0, 0), compileOptions };
  } catch (err) {
    return { driver: name, problem: (err as Error).message };
  } finally {
    await driver.close();
  }
}

async function importProblem(load: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await load();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The version in a package's package.json, resolved as the runtime resolves the package. */
function versionOf(pkg: string): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${pkg}/package.json`) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
