/**
 * The node-postgres driver: a `pg.Pool`, rows fetched as arrays of raw text (no type parsing
 * in pg; the row reader converts what the decoder asks for), statements with parameters
 * prepared once per connection under a name derived from their SQL (unnamed behind PgBouncer,
 * `pgbouncer=true`). Every statement goes over
 * the extended protocol, so one string is one statement (Postgres refuses "SELECT 1; DELETE …"
 * there, as both SQLite drivers do). A transaction's statements run one after another on its
 * connection, however many the callback starts at once. Transactions, the refusal to deadlock
 * inside them and close() are the session base's (../postgres-session.ts).
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { CustomTypesConfig, PoolClient, QueryArrayConfig } from "pg";
import type { PoolOptions } from "../../config.js";
import { ConnectionError } from "../../errors.js";
import type { Param, QueryOptions, Result } from "../driver.js";
import { AsyncMutex } from "../mutex.js";
import { PostgresSessionDriver, type PostgresLease } from "../postgres-session.js";
import { postgresBegin } from "../transaction-begin.js";
import { pgSettings, type PgSettings } from "./config.js";
import { mapPgError } from "./errors.js";
import { PgPool } from "./pool.js";
import { toPgParams, type PgWireParam } from "./params.js";
import { PgResult, type PgCell } from "./reader.js";

const nothing = (): void => undefined;

/** Every type stays the text Postgres sent. */
const identity = (text: string): string => text;
const RAW_TEXT = { getTypeParser: () => identity } as unknown as CustomTypesConfig;

/**
 * The settings every statement's config shares, as its prototype. node-postgres copies a
 * config's own properties through their descriptors for each statement (and keeps its
 * prototype): the copy was 3.5 % of the main thread's profile of 32 point lookups in flight,
 * and costs by the property. A statement's own properties are its text, values and name.
 */
const NAMED = Object.freeze({ rowMode: "array", types: RAW_TEXT });
const EXTENDED = Object.freeze({ rowMode: "array", types: RAW_TEXT, queryMode: "extended" });

/**
 * `client.query` in its callback form. Without a callback node-postgres (8.23) builds its Query
 * first and sets the callback on it afterwards, and then, measured on Node 20 with
 * `--trace-gc-nvp`, nearly every young-generation collection during a 5 000-row fetch promoted
 * what it found alive (promotion rate 99 %, about 30 ms a collection instead of 1) and the
 * fetch took twice as long; given the callback up front, it promotes next to nothing. (The
 * mechanism inside V8 was not pinned down: a Query built without its callback and one given a
 * callback later both show it; one built with it does not.)
 */
function submit<R extends pg.QueryResultBase>(
  client: PoolClient,
  config: QueryArrayConfig | pg.QueryConfig,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    client.query(config as QueryArrayConfig, (err: Error | undefined, res: unknown) =>
      err === undefined || err === null ? resolve(res as R) : reject(err),
    );
  });
}

/**
 * Statements given a name, at most. Each connection keeps a named statement until it closes,
 * so names are handed out to the first distinct SQL texts only; later ones run unnamed.
 */
const MAX_NAMED_STATEMENTS = 500;

/** How the connection is opened: the connect timeout YaraOrm.init resolved, and a cancel. */
export interface PgConnectOptions {
  /** ms, 0 for no limit; default: the URL's connect_timeout, else 10 s. */
  readonly connectTimeoutMs?: number;
  /** Aborting it (YaraOrm.close during init) closes the pool and cuts the connection attempt. */
  readonly signal?: AbortSignal;
}

export class PgDriver extends PostgresSessionDriver {
  readonly name = "pg" as const;
  /** node-postgres writes the Bind message's parameter count as an unsigned 16-bit number. */
  readonly maxParams = 65_535;
  readonly #pool: PgPool;
  readonly #settings: PgSettings;
  readonly #names = new Map<string, string | null>();

  private constructor(settings: PgSettings) {
    super(settings.config.max ?? 10);
    this.#settings = settings;
    this.#pool = new PgPool(settings, RAW_TEXT);
  }

  /**
   * Creates the pool and opens its first connection, so a wrong host, password or database
   * fails here with a ConnectionError. With `sslmode=prefer` a server without TLS is retried
   * over plain TCP, as libpq does.
   */
  static async open(url: URL, pool?: PoolOptions, connect?: PgConnectOptions): Promise<PgDriver> {
    const settings = pgSettings(url, pool, connect?.connectTimeoutMs);
    const signal = connect?.signal;
    try {
      return await PgDriver.#connected(settings, signal);
    } catch (err) {
      if (settings.sslmode !== "prefer" || !/does not support SSL/i.test((err as Error).message))
        throw err;
      const plain = { ...settings, config: { ...settings.config, ssl: false as const } };
      return PgDriver.#connected(plain, signal);
    }
  }

  static async #connected(settings: PgSettings, signal?: AbortSignal): Promise<PgDriver> {
    const driver = new PgDriver(settings);
    const cancel = (): void => void driver.close().catch(() => undefined);
    signal?.addEventListener("abort", cancel, { once: true });
    try {
      if (signal?.aborted === true) throw new ConnectionError("closed while connecting");
      (await driver.#pool.acquire()).release();
      return driver;
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw err;
    } finally {
      signal?.removeEventListener("abort", cancel);
    }
  }

  protected override poolQuery(
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
    return this.#withClient((client) => this.#query(client, sql, params, options));
  }

  protected override poolExecute(
    sql: string,
    params: readonly Param[],
  ): Promise<{ rowCount: number }> {
    return this.#withClient((client) => this.#execute(client, sql, params));
  }

  protected override async lease(): Promise<PostgresLease> {
    const client = await this.#pool.acquire();
    // One statement at a time on the connection, in call order: node-postgres queues concurrent
    // ones itself but warns that pg 9 will refuse them (and the native driver queues too).
    const turn = new AsyncMutex();
    return {
      query: (sql, params, options) => turn.serial(() => this.#query(client, sql, params, options)),
      execute: (sql, params) => turn.serial(() => this.#execute(client, sql, params)),
      begin: (mode) => turn.serial(() => this.#control(client, postgresBegin(mode))).then(nothing),
      control: (sql) => turn.serial(() => this.#control(client, sql)).then(nothing),
      commit: () =>
        turn.serial(() => this.#control(client, "COMMIT")).then((tag) => tag !== "ROLLBACK"),
      release: (broken) => client.release(broken),
    };
  }

  /** See PgPool.close. */
  protected override closePool(): Promise<void> {
    return this.#pool.close();
  }

  /** One statement on a pooled client; the client is destroyed only if its connection broke. */
  async #withClient<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.acquire();
    let broken: Error | undefined;
    try {
      return await run(client);
    } catch (err) {
      if (err instanceof ConnectionError) broken = err;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  #query(
    client: PoolClient,
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
    const bigints = options?.bigints === true;
    return this.#send(client, sql, params).then(
      (res) => new PgResult(res.rows as PgCell[][], res.fields, bigints),
      (err: unknown) => this.#failed(client, err),
    );
  }

  #execute(
    client: PoolClient,
    sql: string,
    params: readonly Param[],
  ): Promise<{ rowCount: number }> {
    return this.#send(client, sql, params).then(
      (res) => ({ rowCount: res.rowCount ?? 0 }),
      (err: unknown) => this.#failed(client, err),
    );
  }

  #send(client: PoolClient, sql: string, params: readonly Param[]): Promise<pg.QueryArrayResult> {
    const name = params.length > 0 ? this.#statementName(sql) : undefined;
    // Without a name, and always without parameters, the extended protocol is asked for:
    // node-postgres would use the simple one, which runs every statement of
    // "SELECT 1; DELETE FROM t"; the extended one refuses more than one.
    const config = Object.create(name === undefined ? EXTENDED : NAMED) as QueryArrayConfig;
    config.text = sql;
    config.values = toPgParams(params) as PgWireParam[];
    if (name !== undefined) config.name = name;
    return submit<pg.QueryArrayResult>(client, config);
  }

  /** Runs BEGIN / COMMIT / ROLLBACK and returns the command tag. */
  #control(client: PoolClient, sql: string): Promise<string> {
    return submit(client, { text: sql }).then(
      (res) => res.command,
      (err: unknown) => this.#failed(client, err),
    );
  }

  /** A statement's failure in yara's words, with why its connection broke when it did. */
  #failed(client: PoolClient, err: unknown): never {
    throw this.#pool.explain(client, mapPgError(err, this.#settings.address));
  }

  /**
   * Only statements with parameters and without `*` are named: those the runtime repeats with
   * explicit column lists. DDL, ad-hoc and `SELECT *` statements stay unnamed, so a table that
   * gains a column cannot break a cached plan ("cached plan must not change result type").
   */
  #statementName(sql: string): string | undefined {
    // Behind PgBouncer in transaction mode the next statement may run on another server
    // connection, which never saw the name: everything runs unnamed (Parse, Bind, Execute in
    // one round trip, as node-postgres sends an unnamed statement).
    if (this.#settings.pgbouncer) return undefined;
    const known = this.#names.get(sql);
    if (known !== undefined) return known ?? undefined;
    if (this.#names.size >= MAX_NAMED_STATEMENTS) return undefined;
    // The decision is remembered (null: never named), so the SQL text is scanned once.
    const name = sql.includes("*")
      ? null
      : `yara_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
    this.#names.set(sql, name);
    return name ?? undefined;
  }
}
