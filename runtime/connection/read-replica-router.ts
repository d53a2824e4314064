/**
 * `ReadReplicaRouter`: reads outside a transaction go to the replicas, round-robin; writes,
 * reads inside a transaction and `selectForUpdate()` go to the primary. A replica that cannot
 * be reached is taken out of rotation and tried again after a back-off (doubling per failure
 * in a row, up to `maxRetryAfterMs`); while every replica is out, reads go to the primary
 * (`whenReplicasDown: "primary"`, the default) or fail with a ConnectionError (`"fail"`).
 * Read-your-writes (opt-in, `readYourWritesMs`): for that long after a write — or after a
 * transaction on the primary ends — reads of the same consistency scope go to the primary
 * (`router.scope(fn)` opens one per request; writes outside any scope affect reads outside any
 * scope). Models whose schema `connection` names another connection are left to other routers.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ConfigurationError, ConnectionError } from "../errors.js";
import type { ModelMeta } from "../model/meta.js";
import { checkOptions } from "../options.js";
import { DEFAULT_CONNECTION } from "./connections.js";
import type { RouteHints, Router } from "./router.js";

export interface ReadReplicaOptions {
  /** The connection writes go to (default "default"). */
  readonly primary?: string;
  /** The replica connections reads are spread over, round-robin. */
  readonly replicas: readonly string[];
  /** While every replica is out of rotation: read from the primary (default) or fail. */
  readonly whenReplicasDown?: "primary" | "fail";
  /** How long a replica that failed stays out before it is tried again (default 1 000 ms). */
  readonly retryAfterMs?: number;
  /** The longest back-off after failures in a row (default 30 000 ms). */
  readonly maxRetryAfterMs?: number;
  /** Reads go to the primary for this long after a write of their scope (default 0: off). */
  readonly readYourWritesMs?: number;
  /** A replica read with no answer for this long is sent to the next candidate (default: none). */
  readonly readTimeoutMs?: number;
  /**
   * The primary takes its turn in the read rotation beside the replicas (default false: it
   * reads only as the fallback): the read load spreads over every server.
   */
  readonly primaryInRotation?: boolean;
}

/** The options ReadReplicaRouter accepts. */
export const READ_REPLICA_OPTION_KEYS: readonly string[] = [
  "primary",
  "replicas",
  "whenReplicasDown",
  "retryAfterMs",
  "maxRetryAfterMs",
  "readYourWritesMs",
  "readTimeoutMs",
  "primaryInRotation",
];

/** A replica out of rotation: until when, and how many failures in a row put it there. */
interface Outage {
  until: number;
  failures: number;
}

/** The time of the last write a scope made (ms, performance.now()). */
interface Scope {
  lastWrite: number;
}

export class ReadReplicaRouter implements Router {
  readonly primary: string;
  readonly replicas: readonly string[];
  readonly whenReplicasDown: "primary" | "fail";
  readonly retryAfterMs: number;
  readonly maxRetryAfterMs: number;
  readonly readYourWritesMs: number;
  readonly readTimeoutMs: number | undefined;
  readonly primaryInRotation: boolean;
  readonly #outages = new Map<string, Outage>();
  readonly #scopes = new AsyncLocalStorage<Scope>();
  /** The scope of writes made outside any `scope(fn)`. */
  readonly #unscoped: Scope = { lastWrite: -Infinity };
  #next = 0;

  constructor(options: ReadReplicaOptions) {
    checkOptions(undefined, "ReadReplicaRouter", options, READ_REPLICA_OPTION_KEYS);
    const o = options;
    const name = (v: unknown): v is string => typeof v === "string" && v.length > 0;
    if (!Array.isArray(o.replicas) || o.replicas.length === 0 || !o.replicas.every(name))
      throw new ConfigurationError("ReadReplicaRouter needs replicas: a list of connection names");
    this.primary = o.primary ?? DEFAULT_CONNECTION;
    if (!name(this.primary))
      throw new ConfigurationError("ReadReplicaRouter: primary must be a connection name");
    if (o.replicas.includes(this.primary))
      throw new ConfigurationError(
        `ReadReplicaRouter: "${this.primary}" cannot be both the primary and a replica`,
      );
    this.replicas = [...o.replicas];
    const policy = o.whenReplicasDown ?? "primary";
    if (policy !== "primary" && policy !== "fail")
      throw new ConfigurationError(
        `ReadReplicaRouter: whenReplicasDown must be "primary" or "fail", got ${JSON.stringify(policy)}`,
      );
    this.whenReplicasDown = policy;
    this.retryAfterMs = ms("retryAfterMs", o.retryAfterMs, 1_000);
    this.maxRetryAfterMs = Math.max(
      this.retryAfterMs,
      ms("maxRetryAfterMs", o.maxRetryAfterMs, 30_000),
    );
    this.readYourWritesMs = ms("readYourWritesMs", o.readYourWritesMs, 0);
    this.readTimeoutMs =
      o.readTimeoutMs === undefined ? undefined : ms("readTimeoutMs", o.readTimeoutMs, 0);
    if (o.primaryInRotation !== undefined && typeof o.primaryInRotation !== "boolean")
      throw new ConfigurationError("ReadReplicaRouter: primaryInRotation must be true or false");
    this.primaryInRotation = o.primaryInRotation === true;
  }

  /** Runs `fn` in a consistency scope of its own (a request): its writes steer its reads only. */
  scope<T>(fn: () => T): T {
    return this.#scopes.run({ lastWrite: -Infinity }, fn);
  }

  /** The replicas in rotation now (out-of-rotation ones whose back-off has passed are back). */
  replicasInRotation(now = performance.now()): string[] {
    return this.replicas.filter((r) => (this.#outages.get(r)?.until ?? -Infinity) <= now);
  }

  dbForRead(model: ModelMeta, hints: RouteHints): string | readonly string[] | undefined {
    if (!this.#routes(model)) return undefined;
    if (hints.inTransaction || hints.forUpdate) return this.primary;
    const now = performance.now();
    if (this.readYourWritesMs > 0 && now - this.#scope().lastWrite < this.readYourWritesMs)
      return this.primary;
    const up = this.replicasInRotation(now);
    if (up.length === 0) {
      if (this.whenReplicasDown === "primary" || this.primaryInRotation) return this.primary;
      throw new ConnectionError(
        `every replica is out of rotation (${this.replicas.map((r) => `"${r}"`).join(", ")}) ` +
          'and whenReplicasDown is "fail"',
        "REPLICAS_DOWN",
      );
    }
    if (this.primaryInRotation) up.push(this.primary);
    const start = this.#next++ % up.length;
    const order = [...up.slice(start), ...up.slice(0, start)];
    // The primary is the last resort unless it is already in the rotation.
    return this.whenReplicasDown === "primary" && !this.primaryInRotation
      ? [...order, this.primary]
      : order;
  }

  dbForWrite(model: ModelMeta, _hints: RouteHints): string | undefined {
    if (!this.#routes(model)) return undefined;
    if (this.readYourWritesMs > 0) this.#scope().lastWrite = performance.now();
    return this.primary;
  }

  connectionFailed(connection: string, _error: ConnectionError): void {
    if (!this.replicas.includes(connection)) return;
    const outage = this.#outages.get(connection) ?? { until: 0, failures: 0 };
    outage.failures++;
    const backoff = Math.min(this.maxRetryAfterMs, this.retryAfterMs * 2 ** (outage.failures - 1));
    outage.until = performance.now() + backoff;
    this.#outages.set(connection, outage);
  }

  connectionSucceeded(connection: string): void {
    if (this.#outages.size > 0) this.#outages.delete(connection);
  }

  transactionFinished(connection: string): void {
    if (this.readYourWritesMs > 0 && connection === this.primary)
      this.#scope().lastWrite = performance.now();
  }

  /** Models bound in the schema to another connection are not this router's. */
  #routes(model: ModelMeta): boolean {
    return model.connection === undefined || model.connection === this.primary;
  }

  #scope(): Scope {
    return this.#scopes.getStore() ?? this.#unscoped;
  }
}

function ms(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new ConfigurationError(
      `ReadReplicaRouter: ${what} must be a number of milliseconds >= 0, got ${String(value)}`,
    );
  return value;
}
