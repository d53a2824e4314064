/**
 * The node-postgres driver: a `pg.Pool`, rows fetched as arrays of raw text (no type parsing
 * in pg; the row reader converts what the decoder asks for), statements with parameters
 * prepared once per connection under a name derived from their SQL.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import type { CustomTypesConfig, FieldDef, PoolClient, QueryArrayConfig } from "pg";
import type { PoolOptions } from "../../config.js";
import { ConnectionError, TransactionError } from "../../errors.js";
import type { Driver, Param, QueryOptions, Result } from "../driver.js";
import { PinnedConnection, type StatementRunner } from "../pinned-connection.js";
import { pgSettings, type PgSettings } from "./config.js";
import { mapPgError } from "./errors.js";
import { toPgParams } from "./params.js";
import { PgRowReader, type PgCell } from "./reader.js";

/** Every type stays the text Postgres sent. */
const identity = (text: string): string => text;
const RAW_TEXT = { getTypeParser: () => identity } as unknown as CustomTypesConfig;

/**
 * Statements given a name, at most. Each connection keeps a named statement until it closes,
 * so names are handed out to the first distinct SQL texts only; later ones run unnamed.
 */
const MAX_NAMED_STATEMENTS = 500;

export class PgDriver implements Driver {
  readonly dialect = "postgres" as const;
  readonly name = "pg" as const;
  readonly #pool: pg.Pool;
  readonly #settings: PgSettings;
  readonly #names = new Map<string, string>();
  readonly #guarded = new WeakSet<PoolClient>();
  #closed = false;

  private constructor(settings: PgSettings) {
    this.#settings = settings;
    this.#pool = new pg.Pool({ ...settings.config, types: RAW_TEXT });
    // An idle client whose connection drops emits here; the pool discards it on its own.
    this.#pool.on("error", () => undefined);
  }

  /**
   * Creates the pool and opens its first connection, so a wrong host, password or database
   * fails here with a ConnectionError. With `sslmode=prefer` a server without TLS is retried
   * over plain TCP, as libpq does.
   */
  static async open(url: URL, pool?: PoolOptions): Promise<PgDriver> {
    const settings = pgSettings(url, pool);
    try {
      return await PgDriver.#connected(settings);
    } catch (err) {
      if (settings.sslmode !== "prefer" || !/does not support SSL/i.test((err as Error).message))
        throw err;
      return PgDriver.#connected({ ...settings, config: { ...settings.config, ssl: false } });
    }
  }

  static async #connected(settings: PgSettings): Promise<PgDriver> {
    const driver = new PgDriver(settings);
    try {
      (await driver.#acquire()).release();
      return driver;
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw err;
    }
  }

  query(sql: string, params: readonly Param[], options?: QueryOptions): Promise<Result> {
    return this.#withClient((client) => this.#query(client, sql, params, options));
  }

  execute(sql: string, params: readonly Param[]): Promise<{ rowCount: number }> {
    return this.#withClient((client) => this.#execute(client, sql, params));
  }

  async transaction<T>(fn: (conn: Driver) => Promise<T>): Promise<T> {
    const client = await this.#acquire();
    const runner: StatementRunner = {
      query: (sql, params, options) => this.#query(client, sql, params, options),
      execute: (sql, params) => this.#execute(client, sql, params),
    };
    const conn = new PinnedConnection("postgres", "pg", runner, 1);
    let broken: Error | undefined;
    try {
      await this.#control(client, "BEGIN");
      let result: T;
      try {
        result = await fn(conn);
      } catch (err) {
        // A connection that cannot even roll back is destroyed, never returned half-open.
        await this.#control(client, "ROLLBACK").catch(
          (rollbackErr: Error) => (broken = rollbackErr),
        );
        throw err;
      }
      const tag = await this.#control(client, "COMMIT");
      if (tag === "ROLLBACK") {
        throw new TransactionError(
          "the transaction was rolled back instead of committed because a statement inside it failed " +
            "(Postgres aborts the whole transaction on an error); wrap a statement that may fail in a nested inTransaction",
        );
      }
      return result;
    } catch (err) {
      if (err instanceof ConnectionError) broken ??= err;
      throw err;
    } finally {
      conn.finish();
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #acquire(): Promise<PoolClient> {
    if (this.#closed)
      throw new ConnectionError("this Postgres driver has been closed; call YaraOrm.init again");
    try {
      const client = await this.#pool.connect();
      if (!this.#guarded.has(client)) {
        // A connection that dies while checked out emits "error" on its client (the pool only
        // listens while it is idle); unheard, that would crash the process. The statement in
        // flight fails on its own and the client is destroyed on release.
        client.on("error", () => undefined);
        this.#guarded.add(client);
      }
      return client;
    } catch (err) {
      throw mapPgError(err, this.#settings.address);
    }
  }

  /** One statement on a pooled client; the client is destroyed only if its connection broke. */
  async #withClient<T>(run: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#acquire();
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

  async #query(
    client: PoolClient,
    sql: string,
    params: readonly Param[],
    options?: QueryOptions,
  ): Promise<Result> {
    const res = await this.#send(client, sql, params);
    const rows = res.rows as PgCell[][];
    const fields: readonly FieldDef[] = res.fields;
    return {
      rowCount: rows.length,
      columns: fields.map((f) => f.name),
      reader: new PgRowReader(rows, fields, options?.bigints === true),
    };
  }

  async #execute(
    client: PoolClient,
    sql: string,
    params: readonly Param[],
  ): Promise<{ rowCount: number }> {
    const res = await this.#send(client, sql, params);
    return { rowCount: res.rowCount ?? 0 };
  }

  async #send(
    client: PoolClient,
    sql: string,
    params: readonly Param[],
  ): Promise<pg.QueryArrayResult> {
    const config: QueryArrayConfig = {
      text: sql,
      values: toPgParams(params),
      rowMode: "array",
      types: RAW_TEXT,
    };
    const name = params.length > 0 && !sql.includes("*") ? this.#statementName(sql) : undefined;
    if (name !== undefined) config.name = name;
    try {
      return await client.query(config);
    } catch (err) {
      throw mapPgError(err, this.#settings.address);
    }
  }

  /** Runs BEGIN / COMMIT / ROLLBACK and returns the command tag. */
  async #control(client: PoolClient, sql: string): Promise<string> {
    try {
      return (await client.query(sql)).command;
    } catch (err) {
      throw mapPgError(err, this.#settings.address);
    }
  }

  /**
   * Only statements with parameters and without `*` are named: those the runtime repeats with
   * explicit column lists. DDL, ad-hoc and `SELECT *` statements stay unnamed, so a table that
   * gains a column cannot break a cached plan ("cached plan must not change result type").
   */
  #statementName(sql: string): string | undefined {
    let name = this.#names.get(sql);
    if (name === undefined && this.#names.size < MAX_NAMED_STATEMENTS) {
      name = `yara_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`;
      this.#names.set(sql, name);
    }
    return name;
  }
}
