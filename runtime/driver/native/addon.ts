/**
 * Finds and loads the native addon (`native/yara_native.node`, built by native/build.mjs at
 * install time). Looked up next to the sources (running under tsx) and next to `dist/` (the
 * published package); `YARA_NATIVE_ADDON` names another file. A missing or unloadable addon is
 * not an error — `YaraOrm.init` falls back to the JavaScript drivers — unless
 * `YARA_REQUIRE_NATIVE=1` (CI), where it is a ConfigurationError naming the cause.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "../../errors.js";
import type { EncodedResult } from "./reader.js";

/** An opaque connection handle owned by the addon. */
export type NativeHandle = { readonly __nativeHandle: unique symbol };

/** The SQLite exports (native/src/napi/sqlite.rs). */
export interface NativeSqliteExports {
  sqliteOpen(filename: string, busyTimeoutMs: number): NativeHandle;
  /** Small results of `sqliteQuery` go into `arena` from now on (native/src/napi/arena.rs). */
  sqliteAttachArena(db: NativeHandle, arena: ArrayBuffer): void;
  /** `[id, columns]`; no columns: the statement returns no rows. */
  sqlitePrepare(db: NativeHandle, sql: string): [id: number, columns: readonly string[]];
  /**
   * Rows for a statement with columns — as their text alone when they went into the attached
   * arena, else as an `EncodedResult` — or the number of changed rows for one without.
   * `bigints`: INTEGER cells come tagged BIGINT (better-sqlite3's safeIntegers), REAL stays NUMBER.
   */
  sqliteQuery(
    db: NativeHandle,
    id: number,
    params: readonly unknown[],
    bigints: boolean,
  ): string | EncodedResult | number;
  sqliteRun(db: NativeHandle, id: number, params: readonly unknown[]): number;
  /** As `sqliteQuery`, on a worker thread. */
  sqliteQueryAsync(
    db: NativeHandle,
    id: number,
    params: readonly unknown[],
    bigints: boolean,
  ): Promise<EncodedResult | number>;
  sqliteExec(db: NativeHandle, sql: string): void;
  sqliteInTransaction(db: NativeHandle): boolean;
  sqliteFinalize(db: NativeHandle, id: number): void;
  sqliteFinalizeAll(db: NativeHandle): void;
  sqliteClose(db: NativeHandle): void;
}

/**
 * Everything the addon exports. Engines add their own exports interface (the Postgres driver
 * declares its own and narrows `NativeAddon` to it).
 */
export type NativeAddon = NativeSqliteExports & { readonly [name: string]: unknown };

const FILE = "yara_native.node";

/** Where the addon may be, first match wins. */
export function addonCandidates(): string[] {
  const override = process.env.YARA_NATIVE_ADDON;
  if (override !== undefined && override !== "") return [override];
  return [
    // runtime/driver/native/addon.ts → native/
    fileURLToPath(new URL(`../../../native/${FILE}`, import.meta.url)),
    // dist/runtime/driver/native/addon.js → native/
    fileURLToPath(new URL(`../../../../native/${FILE}`, import.meta.url)),
  ];
}

interface Loaded {
  readonly addon: NativeAddon | undefined;
  readonly path: string | undefined;
  readonly problem: string | undefined;
}

let loaded: Loaded | undefined;

/** The addon, or undefined when it is not built here (see `nativeAddonProblem`). */
export function loadNativeAddon(): NativeAddon | undefined {
  loaded ??= load();
  if (loaded.addon === undefined && process.env.YARA_REQUIRE_NATIVE === "1") {
    throw new ConfigurationError(
      `YARA_REQUIRE_NATIVE=1 but the native addon cannot be used: ${loaded.problem}`,
    );
  }
  return loaded.addon;
}

/** The file the addon was loaded from (undefined when it was not). */
export function nativeAddonPath(): string | undefined {
  loaded ??= load();
  return loaded.addon === undefined ? undefined : loaded.path;
}

/** Why `loadNativeAddon` returned undefined (undefined when it loaded). */
export function nativeAddonProblem(): string | undefined {
  loaded ??= load();
  return loaded.problem;
}

function load(): Loaded {
  const candidates = addonCandidates();
  const path = candidates.find((p) => existsSync(p));
  if (path === undefined) {
    return {
      addon: undefined,
      path: undefined,
      problem: `it is not built (looked for ${candidates.join(", ")}; run \`npm install\` or \`node native/build.mjs\` with a Rust toolchain)`,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { addon, path, problem: undefined };
  } catch (err) {
    return {
      addon: undefined,
      path,
      problem: `${path} failed to load: ${(err as Error).message}`,
    };
  }
}
