/**
 * The named connections `YaraOrm.init({ connections })` opened: one root driver per name.
 * `"default"` is the connection of the single-URL form and of every statement no `using`,
 * schema `connection` or router sends elsewhere; its driver lives in transaction.ts (the hot
 * path reads it without a map lookup). An unknown name is a ConfigurationError listing the
 * names there are.
 */
import type { Driver } from "../driver/driver.js";
import { ConfigurationError } from "../errors.js";

export const DEFAULT_CONNECTION = "default";

let named: ReadonlyMap<string, Driver> = new Map();

/** Set by YaraOrm.init / close: every connection's driver by name ("default" included). */
export function setNamedConnections(drivers: ReadonlyMap<string, Driver>): void {
  named = drivers;
}

/** The names of the open connections, "default" first. */
export function connectionNames(): readonly string[] {
  return [...named.keys()];
}

/** The root driver of connection `name` (no transaction): a ConfigurationError when unknown. */
export function namedRoot(name: string): Driver {
  const driver = named.get(name);
  if (driver !== undefined) return driver;
  if (named.size === 0) throw notInitialised();
  throw unknownConnection(name);
}

export function unknownConnection(name: unknown): ConfigurationError {
  const known = connectionNames()
    .map((n) => `"${n}"`)
    .join(", ");
  return new ConfigurationError(
    `unknown connection ${JSON.stringify(name)}; the connections are ${known} ` +
      "(YaraOrm.init({ connections: { … } }) names them)",
  );
}

export function notInitialised(): ConfigurationError {
  return new ConfigurationError(
    'no database: call YaraOrm.init(url) first (e.g. await YaraOrm.init("sqlite://:memory:"))',
  );
}
