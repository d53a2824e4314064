/**
 * A read with several candidate connections (a router's `dbForRead` list): sent to the first,
 * and when that one cannot be reached — a ConnectionError, or no answer within the router's
 * `readTimeoutMs` — to the next, the router being told which one failed. A read the server
 * cancelled because it conflicted with a concurrent change (a TransactionConflictError: on a
 * Postgres replica, replay of a VACUUM or lock on the primary, "canceling statement due to
 * conflict with recovery", SQLSTATE 40001 or 40P01) also goes to the next candidate, the
 * router not being told: the server is healthy, the statement read nothing. Reads only: a write or
 * a transaction never fails over (it could have half-happened), so `execute` and `transaction`
 * go to the first candidate alone. Every candidate speaks the same dialect (the SQL is compiled
 * once, for the first).
 */
import type { Driver, Param, QueryOptions, Result, TransactionOptions } from "../driver/driver.js";
import { ConfigurationError, ConnectionError, TransactionConflictError } from "../errors.js";
import type { Router } from "./router.js";

export interface Candidate {
  readonly name: string;
  readonly driver: Driver;
}

export class FailoverDriver implements Driver {
  readonly #first: Candidate;

  constructor(
    private readonly candidates: readonly Candidate[],
    private readonly router: Router,
  ) {
    const first = candidates[0];
    if (first === undefined)
      throw new ConfigurationError("a router's dbForRead returned an empty list of connections");
    for (const c of candidates) {
      if (c.driver.dialect.name !== first.driver.dialect.name)
        throw new ConfigurationError(
          `a router's dbForRead mixed connections of two databases: "${first.name}" is ` +
            `${first.driver.dialect.name}, "${c.name}" is ${c.driver.dialect.name}`,
        );
    }
    this.#first = first;
  }

  get dialect(): Driver["dialect"] {
    return this.#first.driver.dialect;
  }

  get name(): Driver["name"] {
    return this.#first.driver.name;
  }

  get maxParams(): number {
    return Math.min(...this.candidates.map((c) => c.driver.maxParams));
  }

  async query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    const last = this.candidates.length - 1;
    for (let i = 0; ; i++) {
      const { name, driver } = this.candidates[i]!;
      try {
        const result = await this.#ask(name, driver, sql, params, options);
        this.router.connectionSucceeded?.(name);
        return result;
      } catch (err) {
        if (options?.signal?.aborted === true) throw err;
        if (err instanceof ConnectionError) this.router.connectionFailed?.(name, err);
        else if (!(err instanceof TransactionConflictError)) throw err;
        if (i === last) throw err;
      }
    }
  }

  /** One candidate's answer, or a ConnectionError once the router's read timeout passes. */
  #ask(
    name: string,
    driver: Driver,
    sql: string,
    params: readonly Param[],
    options: QueryOptions | undefined,
  ): Promise<Result> {
    const ms = this.router.readTimeoutMs;
    if (ms === undefined) return driver.query(sql, params, options);
    const timeout = new AbortController();
    const signal =
      options?.signal === undefined
        ? timeout.signal
        : AbortSignal.any([options.signal, timeout.signal]);
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The native engine cancels the statement on the server; the answer is not awaited.
        timeout.abort();
        reject(
          new ConnectionError(`connection "${name}" gave no answer within ${ms} ms`, "TIMEOUT"),
        );
      }, ms);
      driver.query(sql, params, { ...options, signal }).then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    return this.#first.driver.execute(sql, params);
  }

  transaction<T>(fn: (conn: Driver) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.#first.driver.transaction(fn, options);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
