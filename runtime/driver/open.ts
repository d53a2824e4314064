/**
 * Picks and opens the driver for `YaraOrm.init`: the native engine when its addon is built,
 * otherwise node-postgres or better-sqlite3 by dialect. Driver modules load on demand, so a
 * SQLite application never loads `pg` and a Postgres one never needs better-sqlite3.
 */
import type { DatabaseTarget, InitOptions } from "../config.js";
import { ConfigurationError } from "../errors.js";
import type { Driver } from "./driver.js";

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
  if (requested === undefined || requested === "native") {
    const native = await loadNativeDriver(target, options);
    if (native !== undefined) return native;
    if (requested === "native") {
      throw new ConfigurationError(
        'the "native" driver is not available: its addon is not built in this installation; ' +
          `use driver "${target.dialect === "postgres" ? "pg" : "better-sqlite3"}" or leave driver unset`,
      );
    }
  }
  if (target.dialect === "postgres") {
    const { PgDriver } = await import("./pg/driver.js");
    return PgDriver.open(target.url, options.pool, {
      connectTimeoutMs: target.connectTimeoutMs,
      signal,
    });
  }
  const { BetterSqliteDriver } = await import("./better-sqlite3/driver.js");
  return BetterSqliteDriver.open({ filename: target.filename });
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
  if (target.dialect === "sqlite") {
    const { NativeSqliteDriver } = await import("./native/sqlite.js");
    return NativeSqliteDriver.open(addon, { filename: target.filename });
  }
  const { NativePgDriver } = await import("./native/postgres.js");
  return NativePgDriver.open(addon, target.url, options.pool);
}
