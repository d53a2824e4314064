/**
 * `YaraOrm.init({ log, onQuery })`: a decorator reporting every statement the runtime sends
 * (`query` and `execute`, on the driver and on every transaction connection it hands out):
 * `onQuery(start)` before it is sent, with its SQL and parameters, and the function it returns
 * (if any) after, with the `QueryEvent` (duration, row count, error) — a span per statement for
 * tracing; `log(event)` after, with the same event. Without either the driver is used bare, so
 * observing costs nothing unless asked for. Transaction control (BEGIN, SAVEPOINT, COMMIT,
 * ROLLBACK) is issued by the driver itself and is not reported. A throwing or rejecting
 * callback never breaks the statement it reports.
 */
import type {
  Driver,
  DriverName,
  Param,
  QueryEvent,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";

export type QueryLogger = (event: QueryEvent) => void;

/** A statement about to be sent, as `onQuery` sees it. */
export interface QueryStart {
  readonly sql: string;
  readonly params: readonly Param[];
  readonly driver: DriverName;
}

/** Called before each statement; the function it returns, if any, is called after it. */
export type QueryHook = (query: QueryStart) => ((event: QueryEvent) => void) | void;

export class LoggingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly log: QueryLogger | undefined,
    private readonly onQuery?: QueryHook,
    /** The named connection, reported when init opened several (`QueryEvent.connection`). */
    private readonly connection?: string,
  ) {}

  get dialect(): Driver["dialect"] {
    return this.inner.dialect;
  }

  get name(): Driver["name"] {
    return this.inner.name;
  }

  get maxParams(): number {
    return this.inner.maxParams;
  }

  async query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const end = this.#start(sql, params);
    const start = performance.now();
    try {
      const result = await this.inner.query(sql, params, options);
      this.#emit(end, sql, params, start, result.rowCount);
      return result;
    } catch (err) {
      this.#emit(end, sql, params, start, 0, err);
      throw err;
    }
  }

  async execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    const end = this.#start(sql, params);
    const start = performance.now();
    try {
      const result = await this.inner.execute(sql, params);
      this.#emit(end, sql, params, start, result.rowCount);
      return result;
    } catch (err) {
      this.#emit(end, sql, params, start, 0, err);
      throw err;
    }
  }

  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.inner.transaction(
      (conn) => fn(new LoggingDriver(conn, this.log, this.onQuery, this.connection)),
      options,
    );
  }

  /** Calls `onQuery` before a statement; what it returned is called after. */
  #start(sql: string, params: readonly Param[]): ((event: QueryEvent) => void) | undefined {
    if (this.onQuery === undefined) return undefined;
    try {
      const end = this.onQuery({ sql, params, driver: this.inner.name });
      if (end instanceof Promise) end.catch(ignore);
      return typeof end === "function" ? end : undefined;
    } catch {
      return undefined; // a failing hook must not stop the statement
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #emit(
    end: ((event: QueryEvent) => void) | undefined,
    sql: string,
    params: readonly Param[],
    start: number,
    rowCount: number,
    error?: unknown,
  ): void {
    const event: QueryEvent = {
      sql,
      params,
      durationMs: performance.now() - start,
      rowCount,
      driver: this.inner.name,
      ...(this.connection === undefined ? {} : { connection: this.connection }),
      ...(error === undefined
        ? {}
        : { error: error instanceof Error ? error : new Error(String(error)) }),
    };
    if (end !== undefined) report(end, event);
    if (this.log !== undefined) report(this.log, event);
  }
}

function report(callback: (event: QueryEvent) => unknown, event: QueryEvent): void {
  try {
    // An async callback's rejection would otherwise be unhandled and could end the process.
    const returned: unknown = callback(event);
    if (returned instanceof Promise) returned.catch(ignore);
  } catch {
    /* a failing logger must not turn a successful statement into a failure */
  }
}

function ignore(): void {}
