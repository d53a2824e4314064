/**
 * Finds and loads the native engine, first match wins:
 * 1. `YARA_NATIVE_ADDON=<file>` — that file and nothing else;
 * 2. the platform package `@yara-orm/engine-<platform>-<arch>[-<abi>]` (platform.ts), resolved
 *    from this module's own location, so from an app's node_modules as from this repository;
 * 3. a local build, `native/yara_native.node` (native/build.mjs), next to the sources (tsx) or
 *    next to `dist/`.
 * A missing or unloadable engine is not an error — `YaraOrm.init` falls back to the JavaScript
 * drivers and says so once (fallback-notice.ts) — unless `YARA_REQUIRE_NATIVE=1` (CI), where it
 * is a ConfigurationError naming the cause. `nativeEngineStatus()` tells what was found where,
 * and why not (`yara-gen doctor` prints it).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigurationError } from "../../errors.js";
import {
  currentPlatform,
  enginePackageName,
  platformTriple,
  type PlatformFacts,
} from "./platform.js";
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

export type NativeEngineSource = "override" | "platform-package" | "local-build";

/** What the loader found: where the engine came from, or why there is none. */
export interface NativeEngineStatus {
  readonly loaded: boolean;
  readonly source: NativeEngineSource | null;
  /** The file loaded (or, when it failed to load, the file that failed). */
  readonly path?: string;
  /** Why the engine is not loaded, in one clause; absent when it is. */
  readonly problem?: string;
  /** What to do about `problem`, in one clause. */
  readonly fix?: string;
  /** Every place looked at, in order, with what was there. */
  readonly tried: readonly string[];
}

/** Where to look; `defaultEngineSearch()` describes this process (tests pass their own). */
export interface EngineSearch {
  /** `YARA_NATIVE_ADDON`: when set, the only candidate. */
  readonly override: string | undefined;
  /** The file the platform package is resolved from (as `require` from that file would). */
  readonly resolveFrom: string;
  readonly platform: PlatformFacts;
  /** Local builds, in order. */
  readonly localBuilds: readonly string[];
  /**
   * Set when this module is not its own file (a bundler inlined the runtime into `file`): the
   * local builds are then looked for relative to the wrong place.
   */
  readonly bundledInto: string | undefined;
}

/** Where the addon may be for this process: the override, else the platform package's and local builds. */
export function defaultEngineSearch(env: NodeJS.ProcessEnv = process.env): EngineSearch {
  const override = env.YARA_NATIVE_ADDON;
  const self = ownFile();
  const bundled = self === undefined || !/^addon\.[cm]?[jt]s$/.test(basename(self));
  // A CommonJS bundle has no import.meta.url: the bundle is then most likely the main script.
  const from = self ?? process.argv[1] ?? join(process.cwd(), "index.js");
  return {
    override: override === undefined || override === "" ? undefined : override,
    resolveFrom: from,
    platform: currentPlatform(),
    localBuilds: [
      // runtime/driver/native/addon.ts → native/
      join(dirname(from), "..", "..", "..", "native", FILE),
      // dist/runtime/driver/native/addon.js → native/
      join(dirname(from), "..", "..", "..", "..", "native", FILE),
    ],
    bundledInto: bundled ? from : undefined,
  };
}

/** This module's file; undefined in a CommonJS bundle, where `import.meta.url` is empty. */
function ownFile(): string | undefined {
  const url = (import.meta as { url?: string }).url;
  return typeof url === "string" && url.startsWith("file:") ? fileURLToPath(url) : undefined;
}

interface Loaded {
  readonly addon: NativeAddon | undefined;
  readonly status: NativeEngineStatus;
}

let loaded: Loaded | undefined;

/** The addon, or undefined when there is none here (see `nativeEngineStatus`). */
export function loadNativeAddon(): NativeAddon | undefined {
  loaded ??= loadNativeEngine(defaultEngineSearch());
  if (loaded.addon === undefined && process.env.YARA_REQUIRE_NATIVE === "1") {
    throw new ConfigurationError(
      `YARA_REQUIRE_NATIVE=1 but the native addon cannot be used: ${loaded.status.problem}`,
    );
  }
  return loaded.addon;
}

/** What the loader found for this process (loads the engine if nothing asked yet). */
export function nativeEngineStatus(): NativeEngineStatus {
  loaded ??= loadNativeEngine(defaultEngineSearch());
  return loaded.status;
}

/** Looks where `search` says, in order, and loads the first addon that loads. Never throws. */
export function loadNativeEngine(search: EngineSearch): Loaded {
  const tried: string[] = [];
  if (search.override !== undefined) {
    const path = search.override;
    if (!existsSync(path)) {
      tried.push(`${path} (YARA_NATIVE_ADDON): no such file`);
      return notLoaded(tried, {
        problem: `YARA_NATIVE_ADDON names ${path}, which does not exist`,
        fix: "point YARA_NATIVE_ADDON at a built yara_native.node, or unset it",
      });
    }
    const result = requireAddon(path);
    if ("addon" in result) {
      tried.push(`${path} (YARA_NATIVE_ADDON): loaded`);
      return { addon: result.addon, status: { loaded: true, source: "override", path, tried } };
    }
    tried.push(`${path} (YARA_NATIVE_ADDON): failed to load: ${result.error}`);
    return notLoaded(tried, {
      path,
      problem: `${path} (YARA_NATIVE_ADDON) failed to load: ${result.error}`,
      fix: "point YARA_NATIVE_ADDON at a yara_native.node built for this platform, or unset it",
    });
  }

  const triple = platformTriple(search.platform);
  const pkg = enginePackageName(search.platform);
  // The first failure to load wins over "not found" as the reason: it is the surprising one.
  let failure: { path: string; error: string; fix: string } | undefined;
  if (pkg === undefined) {
    tried.push(`platform package: none published for ${triple}`);
  } else {
    const resolved = resolvePackage(pkg, search.resolveFrom);
    if (resolved.path === undefined) {
      tried.push(`${pkg}: ${resolved.why}`);
    } else {
      const result = requireAddon(resolved.path);
      if ("addon" in result) {
        tried.push(`${pkg} (${resolved.path}): loaded`);
        return {
          addon: result.addon,
          status: { loaded: true, source: "platform-package", path: resolved.path, tried },
        };
      }
      tried.push(`${pkg} (${resolved.path}): failed to load: ${result.error}`);
      failure = {
        path: resolved.path,
        error: result.error,
        fix: `reinstall it: \`npm install ${pkg}\``,
      };
    }
  }
  for (const path of search.localBuilds) {
    if (!existsSync(path)) {
      tried.push(`${path}: not built`);
      continue;
    }
    const result = requireAddon(path);
    if ("addon" in result) {
      tried.push(`${path}: loaded`);
      return { addon: result.addon, status: { loaded: true, source: "local-build", path, tried } };
    }
    tried.push(`${path}: failed to load: ${result.error}`);
    failure ??= { path, error: result.error, fix: "rebuild it: `node native/build.mjs`" };
  }

  if (failure !== undefined) {
    return notLoaded(tried, {
      path: failure.path,
      problem: `${failure.path} failed to load: ${failure.error}`,
      fix: failure.fix,
    });
  }
  if (search.bundledInto !== undefined) {
    return notLoaded(tried, {
      problem:
        `bundled: the runtime was bundled into ${search.bundledInto}, and no addon was found ` +
        `from there (${pkg ?? `no platform package for ${triple}`}, nor a local build next to it)`,
      fix: "mark yara-orm external in the bundler (docs/install.md, Bundlers)",
    });
  }
  if (pkg === undefined) {
    return notLoaded(tried, {
      problem: `platform not supported: no prebuilt engine for ${triple}, and no local build`,
      fix: "build one from a yara checkout with Rust (`node native/build.mjs`) and set YARA_NATIVE_ADDON to it",
    });
  }
  return notLoaded(tried, {
    problem: `not installed: ${pkg} is missing (optional dependencies omitted?) and there is no local build`,
    fix: `\`npm install ${pkg}\` (in a yara checkout: \`node native/build.mjs\`)`,
  });
}

function notLoaded(
  tried: readonly string[],
  reason: { path?: string; problem: string; fix: string },
): Loaded {
  return { addon: undefined, status: { loaded: false, source: null, ...reason, tried } };
}

/** The platform package's addon file, or why there is none. */
function resolvePackage(
  pkg: string,
  from: string,
): { path: string; why?: undefined } | { path?: undefined; why: string } {
  const require = createRequire(from);
  try {
    return { path: require.resolve(pkg) };
  } catch {
    try {
      const manifest = require.resolve(`${pkg}/package.json`);
      return { why: `installed at ${dirname(manifest)} but its ${FILE} is missing` };
    } catch {
      return { why: "not installed" };
    }
  }
}

function requireAddon(path: string): { addon: NativeAddon } | { error: string } {
  try {
    return { addon: createRequire(path)(path) as NativeAddon };
  } catch (err) {
    return { error: (err as Error).message.split("\n")[0] ?? String(err) };
  }
}
