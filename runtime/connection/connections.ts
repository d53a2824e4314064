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
/** Whether the connections were closed (rather than never opened): notInitialised says so. */
let closed = false;

/** Set by YaraOrm.init / close: every connection's driver by name ("default" included). */
export function setNamedConnections(drivers: ReadonlyMap<string, Driver>): void {
  closed = drivers.size === 0 && (closed || named.size > 0);
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
    closed
      ? "no database: YaraOrm.close() closed the connections (a statement, or the next chunk of a stream, came after it); call YaraOrm.init again first"
      : 'no database: call YaraOrm.init(url) first (e.g. await YaraOrm.init("sqlite://:memory:"))',
  );
}
