/**
 * YaraOrm.init while connecting: the connect timeout (default 10 s, `connect_timeout` in the
 * URL, `connectTimeoutMs`), close() cancelling a pending init on every Postgres driver, the
 * messages of the connecting state, plain words for servers that refuse, stay silent or are
 * not PostgreSQL, and URL parts the server must never see. Every server here is a local
 * net.Server on a free loopback port.
 */
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { DriverName } from "../../../runtime/driver/driver.js";
import { ConfigurationError, ConnectionError } from "../../../runtime/errors.js";
import { YaraOrm } from "../../../runtime/orm.js";
import { currentDriver } from "../../../runtime/transaction.js";
import { freePort } from "../../support/free-port.js";
import { pgUrl, targets } from "../../support/targets.js";
import { within } from "./fault-helpers.js";

afterEach(async () => {
  await YaraOrm.close();
});

/** A loopback server running `onSocket` for each connection; stop() drops them all. */
async function fakeServer(onSocket: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get connections() {
      return connections;
    },
    url: (query = "") => `postgres://root@127.0.0.1:${port}/test${query}`,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Accepts and never writes a byte. */
const silentServer = () => fakeServer(() => undefined);

const timed = async <T>(p: Promise<T>) => {
  const start = Date.now();
  const result = await within(p, 20_000);
  return { result, ms: Date.now() - start };
};

const postgresDrivers: DriverName[] = targets()
  .filter((t) => t.dialect === "postgres")
  .map((t) => t.driver);

describe("connect timeout", () => {
  it("resolves the timeout: default 10 s, connect_timeout in seconds, connectTimeoutMs wins", async () => {
    const at = (url: string, ms?: number) => {
      const t = parseDatabaseUrl(url, ms);
      return t.dialect === "postgres" ? t.connectTimeoutMs : undefined;
    };
    expect(at("postgres://u@h/db")).toBe(10_000);
    expect(at("postgres://u@h/db?connect_timeout=3")).toBe(3000);
    expect(at("postgres://u@h/db?connect_timeout=0")).toBe(0);
    expect(at("postgres://u@h/db?connect_timeout=3", 250)).toBe(250);
    for (const bad of ["-1", "1.5", "soon", ""]) {
      expect(() => parseDatabaseUrl(`postgres://u@h/db?connect_timeout=${bad}`)).toThrow(
        /connect_timeout must be a whole number of seconds/,
      );
    }
    await expect(YaraOrm.init("postgres://u@h/db", { connectTimeoutMs: -5 })).rejects.toThrow(
      /connectTimeoutMs must be an integer >= 0/,
    );
  });

  for (const driver of postgresDrivers) {
    it(`${driver}: a server that never answers fails init after the URL's connect_timeout, naming host:port and the timeout`, async () => {
      const server = await silentServer();
      try {
        const { result, ms } = await timed(
          YaraOrm.init(server.url("?connect_timeout=1"), { driver }),
        );
        expect(result).toBeInstanceOf(ConnectionError);
        expect((result as Error).message).toMatch(
          new RegExp(
            `could not connect to Postgres at 127\\.0\\.0\\.1:${server.port}\\b.* within 1`,
          ),
        );
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(4000);
        expect(YaraOrm.initialized).toBe(false);
      } finally {
        await server.stop();
      }
    });
  }

  it("pg: connectTimeoutMs overrides the URL's connect_timeout", async () => {
    const server = await silentServer();
    try {
      const option = await timed(
        YaraOrm.init(server.url("?connect_timeout=60"), { driver: "pg", connectTimeoutMs: 300 }),
      );
      expect(option.result).toBeInstanceOf(ConnectionError);
      expect((option.result as Error).message).toMatch(
        new RegExp(`127\\.0\\.0\\.1:${server.port}: no answer within 0\\.3 s`),
      );
      expect(option.ms).toBeLessThan(3000);
    } finally {
      await server.stop();
    }
  });

  it("pg: without any setting the attempt gives up after the default 10 s", async () => {
    const server = await silentServer();
    try {
      const { result, ms } = await timed(YaraOrm.init(server.url(), { driver: "pg" }));
      expect(result).toBeInstanceOf(ConnectionError);
      expect((result as Error).message).toMatch(/no answer within 10 s/);
      expect(ms).toBeGreaterThanOrEqual(9500);
      expect(ms).toBeLessThan(15_000);
    } finally {
      await server.stop();
    }
  }, 30_000);
});

for (const driver of postgresDrivers) {
  describe(`YaraOrm.init while connecting (${driver})`, () => {
    it("refuses queries and a second init with the same words, and close() cancels it at once", async () => {
      const server = await silentServer();
      try {
        const init = within(YaraOrm.init(server.url(), { driver }), 5000);
        await new Promise((r) => setTimeout(r, 100));
        const state = new RegExp(
          `YaraOrm.init is still connecting to 127\\.0\\.0\\.1:${server.port}`,
        );
        await expect(currentDriver().query("SELECT 1", [])).rejects.toThrow(ConfigurationError);
        await expect(currentDriver().query("SELECT 1", [])).rejects.toThrow(state);
        await expect(YaraOrm.init(pgUrl(), { driver })).rejects.toThrow(state);
        expect(() => YaraOrm.driver).toThrow(state);
        expect(YaraOrm.initialized).toBe(false);

        const closing = await timed(YaraOrm.close());
        expect(closing.ms).toBeLessThan(500);
        const started = Date.now();
        const err = await init;
        expect(Date.now() - started).toBeLessThan(500);
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(/closed while connecting to 127\.0\.0\.1:\d+/);
        expect(() => currentDriver()).toThrow(/call YaraOrm.init/);

        // A new init works at once.
        await YaraOrm.init(pgUrl(), { driver });
        expect((await YaraOrm.driver.query("SELECT 1 AS one", [])).reader.int(0, 0)).toBe(1);
      } finally {
        await server.stop();
      }
    });

    it("closes a driver that opens after close() cancelled its init", async () => {
      // A proxy that waits 300 ms before connecting the client to the real server.
      const real = new URL(pgUrl());
      const proxy = await fakeServer((client) => {
        client.pause();
        setTimeout(() => {
          const upstream = connect(Number(real.port || 5432), real.hostname);
          upstream.on("error", () => client.destroy());
          client.on("close", () => upstream.destroy());
          upstream.on("close", () => client.destroy());
          client.pipe(upstream).pipe(client);
          client.resume();
        }, 300);
      });
      const tag = `yara_cancel_${process.pid}_${driver}`;
      const url = new URL(pgUrl());
      url.host = `127.0.0.1:${proxy.port}`;
      url.searchParams.set("application_name", tag);
      try {
        const init = within(YaraOrm.init(url.toString(), { driver }), 5000);
        await new Promise((r) => setTimeout(r, 50));
        await YaraOrm.close();
        expect(await init).toBeInstanceOf(ConnectionError);
        await new Promise((r) => setTimeout(r, 1000));
        await YaraOrm.init(pgUrl(), { driver });
        const left = await YaraOrm.driver.query(
          "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1",
          [tag],
        );
        expect(left.reader.int(0, 0)).toBe(0);
      } finally {
        await proxy.stop();
      }
    });
  });
}

describe("pg: connection failures in plain words", () => {
  it("says nothing is listening when the connection is refused", async () => {
    const port = await freePort();
    const err = await within(
      YaraOrm.init(`postgres://root@127.0.0.1:${port}/test`, { driver: "pg" }),
    );
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toContain(
      `nothing is listening on 127.0.0.1:${port} (connection refused)`,
    );
    expect(err).toMatchObject({ code: "ECONNREFUSED" });
  });

  it.each([
    [
      "an HTTP server",
      (s: Socket) => s.once("data", () => s.end("HTTP/1.1 400 Bad Request\r\n\r\n")),
    ],
    ["an SSH server", (s: Socket) => s.write("SSH-2.0-OpenSSH_9.2\r\n")],
    [
      "a server writing bytes",
      (s: Socket) => s.once("data", () => s.write(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]))),
    ],
  ])("says %s did not answer as PostgreSQL, at once", async (_, onSocket) => {
    const server = await fakeServer(onSocket);
    try {
      const { result, ms } = await timed(YaraOrm.init(server.url(), { driver: "pg" }));
      expect(result).toBeInstanceOf(ConnectionError);
      expect((result as Error).message).toContain(
        `the server at 127.0.0.1:${server.port} did not answer as PostgreSQL`,
      );
      expect(ms).toBeLessThan(3000);
    } finally {
      await server.stop();
    }
  });

  it("says so when the server closes the connection without a word", async () => {
    const server = await fakeServer((s) => s.once("data", () => s.end()));
    try {
      const err = await within(YaraOrm.init(server.url(), { driver: "pg" }));
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toContain(
        `the server at 127.0.0.1:${server.port} closed the connection without answering as PostgreSQL`,
      );
    } finally {
      await server.stop();
    }
  });
});

describe("URL parts sent to the server", () => {
  it.each([
    [
      "application_name with NUL",
      "?application_name=app%00options",
      /application_name parameter contains the control character U\+0000/,
    ],
    [
      "application_name with a newline",
      "?application_name=a%0Ab",
      /application_name parameter contains the control character U\+000A/,
    ],
    ["application_name with ESC", "?application_name=a%1B[31m", /U\+001B/],
    [
      "options with NUL",
      "?options=-c%20a%3Db%00",
      /options parameter contains the control character U\+0000/,
    ],
  ])("refuses %s before connecting", async (_, query, message) => {
    const server = await silentServer();
    try {
      for (const driver of postgresDrivers) {
        const err = await within(YaraOrm.init(server.url(query), { driver }));
        expect(err).toBeInstanceOf(ConfigurationError);
        expect((err as Error).message).toMatch(message);
      }
      expect(server.connections).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it("refuses a NUL in the user name, password, database name and host", () => {
    for (const [url, part] of [
      ["postgres://ro%00ot@h/db", "user name"],
      ["postgres://root:pa%00ss@h/db", "password"],
      ["postgres://root@h/te%00st", "database name"],
      ["postgres://root@h/db?host=/tmp%00x", "host parameter"],
      ["postgres://root@h/db?sslrootcert=/ca%00.pem", "sslrootcert parameter"],
    ]) {
      expect(() => parseDatabaseUrl(url as string)).toThrow(ConfigurationError);
      expect(() => parseDatabaseUrl(url as string)).toThrow(
        new RegExp(`URL's ${part} contains the control character U\\+0000`),
      );
    }
    // Printable and non-ASCII text is fine.
    expect(
      parseDatabaseUrl("postgres://r%C3%A9@h/db?application_name=caf%C3%A9%20app").dialect,
    ).toBe("postgres");
  });
});
