/**
 * Picks and opens the driver for `YaraOrm.init`: the native engine when its addon is built,
 * otherwise node-postgres or better-sqlite3 by dialect. Driver modules load on demand, so a
 * SQLite application never loads `pg` and a Postgres one never needs better-sqlite3.
 */
import type { DatabaseTarget, InitOptions } from "../config.js";
import { ConfigurationError } from "../errors.js";
import type { Driver } from "./driver.js";

export async function openDriver(target: DatabaseTarget, options: InitOptions): Promise<Driver> {
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
    return PgDriver.open(target.url, options.pool);
  }
  const { BetterSqliteDriver } = await import("./better-sqlite3/driver.js");
  return BetterSqliteDriver.open({ filename: target.filename });
}

/**
 * Hook for the Rust engine (`native/`): will load the addon and return its Driver for `target`.
 * The addon does not exist yet, so this returns undefined and `init` falls back to the
 * JavaScript drivers.
 */
export async function loadNativeDriver(
  _target: DatabaseTarget,
  _options: InitOptions,
): Promise<Driver | undefined> {
  return undefined;
}
