/**
 * The node-postgres `Client` class every connection of a PgPool is made from. It adds what a
 * pool connection needs from its first moment to its last:
 * - an "error" listener from construction to the end. pg-pool listens only while a client is
 *   idle and takes its listener off before handing the client out — in the same tick as the
 *   server's last message, so a termination (57P01) arriving with the connection's first
 *   ReadyForQuery found nobody listening and crashed the process. The first error is kept
 *   (`failures`) to say later why the connection broke;
 * - its own connect timeout (pg-pool would apply the acquire timeout to connecting as well);
 * - plain words for a failed connection attempt: nothing listening, no answer in time, a server
 *   that is not PostgreSQL, a password the server asks for and the URL lacks.
 */
import pg from "pg";
import type { ClientConfig } from "pg";
import { ConnectionError } from "../../errors.js";
import { passwordMissing } from "../postgres-server-error.js";

/** A pool connection: a pg Client that can say whether it is still starting up. */
export interface YaraPgClient extends pg.Client {
  /** True until the connection is ready for its first statement. */
  readonly connecting: boolean;
  /** Cuts a connection still starting up; its connect fails. */
  abandon(): void;
}

export interface PgClientOptions {
  /** "host:port" (or the socket directory), for error messages. */
  readonly address: string;
  /** ms; 0 for no limit. */
  readonly connectTimeoutMs: number;
  /** Why each client's connection broke, as its first "error" event said. */
  readonly failures: WeakMap<pg.Client, Error>;
  /** Clients whose connection has not ended yet. */
  readonly live: Set<YaraPgClient>;
  /** Startup parameters added to node-postgres' own (user, database, options, …). */
  readonly startup?: Readonly<Record<string, string>>;
}

/** What node-postgres keeps of a client's state and socket. */
interface ClientInternals {
  readonly _connected?: boolean;
  readonly connection?: {
    readonly stream?: NodeJS.EventEmitter & { destroy(err?: Error): void };
  };
}

type ConnectCallback = (err: Error | null) => void;

/** A Client class for `pg.Pool`'s `Client` option. */
export function pgClientClass(options: PgClientOptions): new () => YaraPgClient {
  const { address, connectTimeoutMs, failures, live, startup } = options;
  return class extends pg.Client implements YaraPgClient {
    /** Whether the server has sent anything yet (a startup that ends silently is explained). */
    #answered = false;
    /** Set when the server's first bytes are not PostgreSQL's. */
    #foreign: ConnectionError | undefined;

    constructor(config?: ClientConfig) {
      // pg-pool passes its options with the password made non-enumerable, so they are not
      // copied: the client reads them through the prototype, its own timeout on top.
      const own = Object.create(config ?? {}) as ClientConfig;
      own.connectionTimeoutMillis = connectTimeoutMs;
      super(own);
      live.add(this);
      this.on("error", (err: Error) => {
        if (!failures.has(this)) failures.set(this, err);
      });
      this.once("end", () => live.delete(this));
      const stream = (this as unknown as ClientInternals).connection?.stream;
      const ssl = config?.ssl !== undefined && config.ssl !== false;
      stream?.prependOnceListener("data", (chunk: Buffer) => {
        this.#answered = true;
        if (!looksLikePostgres(chunk, ssl)) {
          // pg's own parser still reads this chunk and may fail first with its own words.
          this.#foreign = new ConnectionError(
            `the server at ${address} did not answer as PostgreSQL (is this the right port?)`,
            "EPROTO",
          );
          stream.destroy(this.#foreign);
        }
      });
    }

    /** node-postgres builds the startup message here (not a typed member of pg.Client). */
    getStartupConf(): Record<string, string> {
      const own = (
        pg.Client.prototype as unknown as { getStartupConf(): Record<string, string> }
      ).getStartupConf.call(this);
      return startup === undefined ? own : { ...own, ...startup };
    }

    get connecting(): boolean {
      return (this as unknown as ClientInternals)._connected !== true;
    }

    abandon(): void {
      (this as unknown as ClientInternals).connection?.stream?.destroy();
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
      if (callback === undefined) {
        return super.connect().catch((err: Error) => Promise.reject(this.#explain(err)));
      }
      super.connect((err: Error | null) => callback(err ? this.#explain(err) : null));
    }

    #explain(err: Error): Error {
      if (this.#foreign !== undefined) return this.#foreign;
      if (err instanceof ConnectionError) return err;
      if (err.message === "timeout expired") {
        // pg's Client destroys the socket with this message when its connect timeout passes.
        return new ConnectionError(
          `could not connect to Postgres at ${address}: no answer within ${connectTimeoutMs / 1000} s ` +
            "(the connect timeout; set connect_timeout in the URL or connectTimeoutMs in YaraOrm.init)",
          "ETIMEDOUT",
          { cause: err },
        );
      }
      if (/client password must be a (non-empty )?string/.test(err.message)) {
        return new ConnectionError(passwordMissing(address), "28P01");
      }
      if (!this.#answered && /Connection terminated unexpectedly/.test(err.message)) {
        return new ConnectionError(
          `the server at ${address} closed the connection without answering as PostgreSQL`,
          "ECONNRESET",
          { cause: err },
        );
      }
      return err;
    }
  };
}

/**
 * The first bytes a PostgreSQL server sends: to an SSLRequest "S", "N" (or "E" from a server
 * too old for it); to a startup message an Authentication ("R"), ErrorResponse ("E") or
 * NegotiateProtocolVersion ("v") message, whose 4-byte length is small.
 */
function looksLikePostgres(chunk: Buffer, ssl: boolean): boolean {
  const type = String.fromCharCode(chunk[0] ?? 0);
  if (ssl) return type === "S" || type === "N" || type === "E";
  if (type !== "R" && type !== "E" && type !== "v") return false;
  if (chunk.length < 5) return true;
  const length = chunk.readUInt32BE(1);
  return length >= 4 && length <= 1 << 20;
}
