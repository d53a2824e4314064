/**
 * The root driver while `YaraOrm.init` is still connecting: it knows the dialect (so building
 * SQL works) and refuses every statement with the same words a second `init` gets, instead of
 * "call init first".
 */
import { ConfigurationError } from "../errors.js";
import type { Driver, DriverName, Result } from "./driver.js";
import type { Dialect } from "../dialect/dialect.js";

/** "YaraOrm.init is still connecting to <address>", the start of every message of this state. */
export function stillConnecting(address: string): string {
  return `YaraOrm.init is still connecting to ${address}`;
}

export class ConnectingDriver implements Driver {
  /** The dialect's default: no statement runs before the real driver replaces this one. */
  readonly maxParams: number;

  constructor(
    readonly dialect: Dialect,
    /** The driver being opened, as far as it is known before it opens. */
    readonly name: DriverName,
    private readonly address: string,
  ) {
    this.maxParams = dialect.maxParams;
  }

  query(): Promise<Result> {
    return Promise.reject(this.#refusal());
  }

  execute(): Promise<{ rowCount: number }> {
    return Promise.reject(this.#refusal());
  }

  transaction<T>(): Promise<T> {
    return Promise.reject(this.#refusal());
  }

  /** YaraOrm.close cancels the init itself; this object holds nothing to close. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  #refusal(): ConfigurationError {
    return new ConfigurationError(
      `${stillConnecting(this.address)}; await YaraOrm.init(…) before running queries`,
    );
  }
}
