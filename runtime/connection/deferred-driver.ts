/**
 * A named connection marked `optional: true` that could not be reached when `YaraOrm.init` ran
 * (a replica down while the app starts): init goes on without it, and this driver stands in.
 * Each statement sent to it opens the connection first; while it cannot be reached the
 * statement fails with a ConnectionError naming the connection, as a dropped connection's
 * statements do, so a router's failover sends reads elsewhere. After a failed attempt, the
 * statements of the next `RETRY_AFTER_MS` fail at once with that error instead of each waiting
 * for a connect timeout of its own; one attempt runs at a time.
 */
import type { Dialect } from "../dialect/dialect.js";
import type {
  CopyInsertRequest,
  Driver,
  DriverName,
  Param,
  QueryOptions,
  Result,
  TransactionOptions,
} from "../driver/driver.js";
import { ConnectionError, YaraError } from "../errors.js";

/** How long after a failed attempt statements fail at once instead of trying again. */
export const RETRY_AFTER_MS = 1_000;

export class DeferredDriver implements Driver {
  #driver: Driver | undefined;
  #opening: Promise<Driver> | undefined;
  #failed: { readonly error: unknown; readonly at: number };
  #closed = false;

  constructor(
    /** The connection's name, for error messages. */
    private readonly connection: string,
    readonly dialect: Dialect,
    private readonly driverName: DriverName,
    /** Opens the connection (what init tried): resolves to its driver or rejects. */
    private readonly open: () => Promise<Driver>,
    /** Why init could not open it. */
    firstError: unknown,
  ) {
    this.#failed = { error: firstError, at: Date.now() };
  }

  get name(): DriverName {
    return this.#driver?.name ?? this.driverName;
  }

  /** The opened driver's limit; the dialect's until then (no statement runs before it opens). */
  get maxParams(): number {
    return this.#driver?.maxParams ?? this.dialect.maxParams;
  }

  /** Whether the connection has been opened since init. */
  get isOpen(): boolean {
    return this.#driver !== undefined;
  }

  async query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    return (await this.#ready()).query(sql, params, options);
  }

  async execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    return (await this.#ready()).execute(sql, params);
  }

  async transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return (await this.#ready()).transaction(fn, options);
  }

  async copyInsert(request: CopyInsertRequest): Promise<Result | undefined> {
    const driver = await this.#ready();
    return driver.copyInsert === undefined ? undefined : driver.copyInsert(request);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const opening = this.#opening;
    if (opening !== undefined) await opening.then(undefined, () => undefined);
    const driver = this.#driver;
    this.#driver = undefined;
    await driver?.close();
  }

  #ready(): Promise<Driver> {
    if (this.#driver !== undefined) return Promise.resolve(this.#driver);
    if (this.#closed)
      return Promise.reject(
        new ConnectionError(`connection "${this.connection}" is closed`, "CLOSED"),
      );
    if (this.#opening !== undefined) return this.#opening;
    if (Date.now() - this.#failed.at < RETRY_AFTER_MS)
      return Promise.reject(this.#unreachable(this.#failed.error));
    const opening = this.open().then(
      async (driver) => {
        // close() ran while it was opening: what opened is closed, never left behind.
        if (this.#closed) {
          await driver.close();
          throw new ConnectionError(`connection "${this.connection}" is closed`, "CLOSED");
        }
        this.#driver = driver;
        return driver;
      },
      (error: unknown) => {
        this.#failed = { error, at: Date.now() };
        throw this.#unreachable(error);
      },
    );
    this.#opening = opening;
    void opening.then(
      () => (this.#opening = undefined),
      () => (this.#opening = undefined),
    );
    return opening;
  }

  #unreachable(error: unknown): YaraError {
    const reason = error instanceof Error ? error.message : String(error);
    const code = error instanceof ConnectionError ? error.code : undefined;
    return new ConnectionError(
      `connection "${this.connection}" (optional) could not be opened: ${reason}`,
      code,
      { cause: error },
    );
  }
}
