/**
 * Picks and opens the driver for `YaraOrm.init`: the native engine when it loads, otherwise
 * node-postgres or better-sqlite3 by dialect — and then, unless the driver was asked for, one
 * line saying why (fallback-notice.ts). Driver modules load on demand, so a SQLite application
 * never loads `pg` and a Postgres one never needs better-sqlite3.
 */
import { dialectNamed } from "../dialect/registry.js";
import type { DatabaseTarget, InitOptions } from "../config.js";
import { ConfigurationError } from "../errors.js";
import type { Driver } from "./driver.js";
import { announceFallback } from "./fallback-notice.js";

/**
 * `signal` (YaraOrm.close during init) cancels a pg connection attempt at once; the native
 * driver's attempt runs to its connect timeout, and YaraOrm closes what it produces.
 */
export async function openDriver(
  target: DatabaseTarget,
  options: InitOptions,
  signal?: AbortSignal,
): Promise<Driver> {
  const requested = options.driver;
  const dialect = dialectNamed(target.dialect);
  if (requested === "native" && !dialect.nativeEngine) {
    throw new ConfigurationError(
      `the native engine does not speak ${dialect.title}; use driver "${dialect.jsDriver}" or leave driver unset`,
    );
  }
  if (dialect.nativeEngine && (requested === undefined || requested === "native")) {
    const native = await loadNativeDriver(target, options);
    if (native !== undefined) return native;
    if (requested === "native") {
      const status = await engineStatus();
      throw new ConfigurationError(
        `the "native" driver is not available: ${status.problem}. Fix: ${status.fix}; or ` +
          `use driver "${dialect.jsDriver}" or leave driver unset`,
      );
    }
  }
  const fellBack = requested === undefined && dialect.nativeEngine;
  // One case per database: its JavaScript driver (a new database fails to compile until added).
  switch (target.dialect) {
    case "postgres": {
      if (fellBack) announceFallback("pg", await engineStatus());
      const { PgDriver } = await import("./pg/driver.js");
      return PgDriver.open(target.url, options.pool, {
        connectTimeoutMs: target.connectTimeoutMs,
        signal,
      });
    }
    case "sqlite":
      return openBetterSqlite(target.filename, fellBack);
    case "mysql": {
      const { loadMysql2Driver } = await import("./mysql2/load.js");
      const { Mysql2Driver } = await loadMysql2Driver();
      return Mysql2Driver.open(target.url, options.pool, target.connectTimeoutMs);
    }
  }
}

async function openBetterSqlite(filename: string, fellBack: boolean): Promise<Driver> {
  if (fellBack) {
    const { betterSqlite3Problem, loadBetterSqlite3 } = await import("./better-sqlite3/load.js");
    const status = await engineStatus();
    try {
      await loadBetterSqlite3();
    } catch (err) {
      // loadBetterSqlite3 throws its own ConfigurationError; the cause is the import failure.
      const better = betterSqlite3Problem((err as Error).cause ?? err);
      throw new ConfigurationError(
        "SQLite needs the native engine or better-sqlite3, and neither is available: " +
          `the native engine is not loaded (${status.problem}), and ${better.problem}. ` +
          `Fix: ${status.fix}; or ${better.fix} and pass { driver: "better-sqlite3" }`,
        { cause: err },
      );
    }
    announceFallback("better-sqlite3", status);
  }
  const { BetterSqliteDriver } = await import("./better-sqlite3/driver.js");
  return BetterSqliteDriver.open({ filename });
}

async function engineStatus() {
  const { nativeEngineStatus } = await import("./native/addon.js");
  return nativeEngineStatus();
}

/**
 * The Rust engine's driver for `target`, or undefined when the addon is not built here (then
 * `init` falls back to the JavaScript drivers; with YARA_REQUIRE_NATIVE=1 a missing addon is a
 * ConfigurationError instead, see native/addon.ts).
 */
export async function loadNativeDriver(
  target: DatabaseTarget,
  options: InitOptions,
): Promise<Driver | undefined> {
  const { loadNativeAddon } = await import("./native/addon.js");
  const addon = loadNativeAddon();
  if (addon === undefined) return undefined;
  switch (target.dialect) {
    case "sqlite": {
      const { NativeSqliteDriver } = await import("./native/sqlite.js");
      return NativeSqliteDriver.open(addon, { filename: target.filename });
    }
    case "postgres": {
      const { NativePgDriver } = await import("./native/postgres.js");
      return NativePgDriver.open(addon, target, options.pool);
    }
    case "mysql":
      return undefined;
  }
}
