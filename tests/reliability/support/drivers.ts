/**
 * The Postgres drivers the reliability tests run against: pg always, the native driver when
 * the addon is built (with YARA_REQUIRE_NATIVE=1 a missing addon fails the run).
 */
import type { PoolOptions } from "../../../runtime/config.js";
import type { Driver } from "../../../runtime/driver/driver.js";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver } from "../../../runtime/driver/native/postgres.js";
import { PgDriver } from "../../../runtime/driver/pg/driver.js";

export interface PgDriverKind {
  readonly name: "pg" | "native";
  open(url: URL, pool?: PoolOptions): Promise<Driver>;
}

export function pgDriverKinds(): readonly PgDriverKind[] {
  const kinds: PgDriverKind[] = [{ name: "pg", open: (url, pool) => PgDriver.open(url, pool) }];
  const addon = loadNativeAddon();
  if (addon !== undefined) {
    kinds.push({ name: "native", open: (url, pool) => NativePgDriver.open(addon, url, pool) });
  }
  return kinds;
}

/** `url` with `application_name` set, so pg_stat_activity can tell this test's connections. */
export function tagged(url: URL, applicationName: string): URL {
  const u = new URL(url);
  u.searchParams.set("application_name", applicationName);
  return u;
}
