/**
 * A loopback proxy in front of the test Postgres server that reads the frontend protocol the
 * client sends through it: the client's turns (the times it speaks again after the server
 * answered: one turn = one round trip the client waited for) and its messages by type, with the
 * SQL of each simple query (Q) and Parse (P). Round-trip tests point a driver's URL at it.
 */
import { createServer, connect, type Server, type Socket } from "node:net";

/** What the clients sent through the proxy since the last `reset`. */
export interface WireCounts {
  /** Round trips the clients waited for (see the module comment). */
  readonly turns: number;
  /** Messages by their type byte: Q, P, B, D, E, S, H, C … */
  readonly messages: Readonly<Record<string, number>>;
  /** The SQL of every simple query (Q), in order. */
  readonly queries: readonly string[];
  /** The SQL of every Parse (P): a statement prepared on the server, in order. */
  readonly parses: readonly string[];
  /** Each turn's message types in the order sent, e.g. "QPDS" for BEGIN with a Parse. */
  readonly turnMessages: readonly string[];
}

export interface WireCounter {
  readonly port: number;
  counts(): WireCounts;
  reset(): void;
  close(): Promise<void>;
  /** `upstream` with its host and port replaced by the proxy's. */
  url(upstream: URL | string): string;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Starts a proxy to the Postgres server at `upstream`. */
export async function pgWireCounter(upstream: URL | string): Promise<WireCounter> {
  const target = new URL(upstream);
  let turns = 0;
  let messages: Record<string, number> = {};
  let queries: string[] = [];
  let parses: string[] = [];
  let turnMessages: string[] = [];
  const sockets: Socket[] = [];

  const server: Server = createServer((client) => {
    // Whether the server spoke since the client last did: the client's next bytes are a turn.
    let answered = true;
    // Before the startup message, messages carry no type byte (SSLRequest, StartupMessage …).
    let started = false;
    let pending = Buffer.alloc(0);
    const db = connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, db);

    const read = (): void => {
      for (;;) {
        const typed = started;
        const header = typed ? 5 : 4;
        if (pending.length < header) return;
        const length = pending.readInt32BE(typed ? 1 : 0);
        const total = (typed ? 1 : 0) + length;
        if (pending.length < total) return;
        const message = pending.subarray(0, total);
        pending = pending.subarray(total);
        if (!typed) {
          const code = message.readInt32BE(4);
          // SSLRequest / GSSENCRequest come before the startup message, CancelRequest alone.
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST && code !== CANCEL_REQUEST)
            started = true;
          continue;
        }
        const type = String.fromCharCode(message[0]!);
        messages[type] = (messages[type] ?? 0) + 1;
        // Read after a `reset` that emptied the log: part of no counted turn.
        if (turnMessages.length > 0) turnMessages[turnMessages.length - 1] += type;
        if (type === "Q") queries.push(cString(message, 5));
        if (type === "P") {
          // Parse: the statement's name, then its SQL.
          const nameEnd = message.indexOf(0, 5);
          parses.push(cString(message, nameEnd + 1));
        }
      }
    };

    client.on("data", (chunk) => {
      if (answered) {
        turns++;
        turnMessages.push("");
      }
      answered = false;
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      read();
      db.write(chunk);
    });
    db.on("data", (chunk) => {
      answered = true;
      client.write(chunk);
    });
    client.on("error", () => db.destroy());
    db.on("error", () => client.destroy());
    client.on("close", () => db.destroy());
    db.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the proxy has no port");
  const port = address.port;
  return {
    port,
    counts: () => ({
      turns,
      messages: { ...messages },
      queries: [...queries],
      parses: [...parses],
      turnMessages: [...turnMessages],
    }),
    reset: () => {
      turns = 0;
      messages = {};
      queries = [];
      parses = [];
      turnMessages = [];
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
    url: (of) => {
      const url = new URL(of);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      // TLS would hide the messages: the proxy reads plain text.
      url.searchParams.set("sslmode", "disable");
      return url.toString();
    },
  };
}

function cString(buffer: Buffer, start: number): string {
  const end = buffer.indexOf(0, start);
  return buffer.toString("utf8", start, end < 0 ? buffer.length : end);
}
