/**
 * A router decides which named connection a model's statements use, as Django's database
 * routers do (`db_for_read` / `db_for_write`). `YaraOrm.init({ routers: [...] })` installs them;
 * the first router with an answer decides, and with none the statement goes to the model's
 * schema `connection`, else the enclosing transaction's connection, else `"default"`. An
 * explicit `using()` always wins over routers.
 */
import type { ConnectionError } from "../errors.js";
import type { ModelMeta } from "../model/meta.js";

/** What a router is told about the statement it routes. */
export interface RouteHints {
  /** True inside any `inTransaction` callback. */
  readonly inTransaction: boolean;
  /** The enclosing transaction's connection, when there is one. */
  readonly transactionConnection: string | undefined;
  /** A read that locks rows (`selectForUpdate()`): it must reach the primary. */
  readonly forUpdate: boolean;
}

export interface Router {
  /**
   * The connection to read `model` from, or undefined for no opinion. A list names candidates
   * in order: a read that cannot reach one (a ConnectionError, or the router's `readTimeoutMs`)
   * is sent to the next, and the router is told through `connectionFailed`.
   */
  dbForRead?(model: ModelMeta, hints: RouteHints): string | readonly string[] | undefined;
  /** The connection to write `model` to, or undefined for no opinion. */
  dbForWrite?(model: ModelMeta, hints: RouteHints): string | undefined;
  /** A read sent to `connection` could not reach it; the next candidate is tried. */
  connectionFailed?(connection: string, error: ConnectionError): void;
  /** A read sent to `connection` succeeded (it is reachable again). */
  connectionSucceeded?(connection: string): void;
  /** A transaction (not a savepoint) on `connection` committed or rolled back. */
  transactionFinished?(connection: string): void;
  /** How long one candidate may take to answer a read before the next is tried (ms). */
  readonly readTimeoutMs?: number;
}
