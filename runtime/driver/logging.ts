/**
 * `YaraOrm.init({ log })`: a decorator reporting one `QueryEvent` per statement the runtime
 * sends (`query` and `execute`, on the driver and on every transaction connection it hands
 * out). Without `log` the driver is used bare, so logging costs nothing unless asked for.
 * Transaction control (BEGIN, SAVEPOINT, COMMIT, ROLLBACK) is issued by the driver itself and is
 * not reported. A throwing `log` callback never breaks the statement it reports.
 */
import type {
  Driver,
  Param,
  QueryEvent,
  QueryOptions,
  Result,
  TransactionOptions,
} from "./driver.js";

export type QueryLogger = (event: QueryEvent) => void;

export class LoggingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly log: QueryLogger,
  ) {}

  get dialect(): Driver["dialect"] {
    return this.inner.dialect;
  }

  get name(): Driver["name"] {
    return this.inner.name;
  }

  async query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const start = performance.now();
    try {
      const result = await this.inner.query(sql, params, options);
      this.#emit(sql, params, start, result.rowCount);
      return result;
    } catch (err) {
      this.#emit(sql, params, start, 0, err);
      throw err;
    }
  }

  async execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    const start = performance.now();
    try {
      const result = await this.inner.execute(sql, params);
      this.#emit(sql, params, start, result.rowCount);
      return result;
    } catch (err) {
      this.#emit(sql, params, start, 0, err);
      throw err;
    }
  }

  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.inner.transaction((conn) => fn(new LoggingDriver(conn, this.log)), options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  #emit(
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
      ...(error === undefined
        ? {}
        : { error: error instanceof Error ? error : new Error(String(error)) }),
    };
    try {
      // An async logger's rejection would otherwise be unhandled and could end the process.
      const returned: unknown = this.log(event);
      if (returned instanceof Promise) returned.catch(ignore);
    } catch {
      /* a failing logger must not turn a successful statement into a failure */
    }
  }
}

function ignore(): void {}
