// A named connection marked `optional: true` that cannot be reached at init (a replica down
// while the app starts): init goes on, statements sent there fail with a ConnectionError naming
// it, a ReadReplicaRouter answers reads from the primary meanwhile, and once the server answers
// the connection opens on its own. The "late" server is the test's database behind a TCP proxy
// on a port of its own that starts listening only partway through.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import {
  Author,
  ConfigurationError,
  ConnectionError,
  ReadReplicaRouter,
  YaraOrm,
} from "./generated/index.js";
import type { QueryEvent } from "../../runtime/driver/driver.js";
import { freePort } from "../support/free-port.js";
import { isolate, targets, type IsolatedDatabase } from "../support/targets.js";

/** Forwards 127.0.0.1:`port` to `to`, from when `listen()` is called until `close()`. */
class Proxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly to: { host: string; port: number },
  ) {}

  listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.to);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    this.#server = server;
    return new Promise((resolve) => server.listen(this.port, "127.0.0.1", resolve));
  }

  close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    return server === undefined ? Promise.resolve() : new Promise((r) => server.close(() => r()));
  }
}

/** `url` with its host and port replaced by 127.0.0.1:`port`. */
function onPort(url: string, port: number): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = String(port);
  return u.toString();
}

function upstreamOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || (u.protocol === "mysql:" ? 3306 : 5432)) };
}

/** Waits past the deferred driver's retry window (deferred-driver.ts RETRY_AFTER_MS). */
const pastRetryWindow = (): Promise<void> => new Promise((r) => setTimeout(r, 1_100));

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  );
}

for (const target of targets().filter((t) => t.dialect !== "sqlite")) {
  describe(target.name, () => {
    let db: IsolatedDatabase;
    let proxy: Proxy;
    const events: QueryEvent[] = [];

    beforeAll(async () => {
      db = await isolate(target);
      await YaraOrm.init(db.url, { driver: target.driver });
      await YaraOrm.generateSchemas();
      await Author.create({ name: "Ada" });
      await YaraOrm.close();
    });
    afterAll(async () => {
      await db.dispose();
    });
    afterEach(async () => {
      await YaraOrm.close();
      await proxy.close();
      events.length = 0;
    });

    async function initWithLate(options: { optional: boolean; router?: ReadReplicaRouter }) {
      proxy = new Proxy(await freePort(), upstreamOf(db.url));
      await YaraOrm.init({
        connections: {
          default: db.url,
          late: { url: onPort(db.url, proxy.port), optional: options.optional },
        },
        driver: target.driver,
        connectTimeoutMs: 2_000,
        routers: options.router === undefined ? undefined : [options.router],
        log: (e) => events.push(e),
      });
    }

    it("init goes on without an optional connection that cannot be reached; it opens once the server answers", async () => {
      await initWithLate({ optional: true });
      expect(YaraOrm.connections).toEqual(["default", "late"]);
      const first = await failure(Author.using("late").all().count());
      expect(first).toBeInstanceOf(ConnectionError);
      expect((first as Error).message).toMatch(
        /^connection "late" \(optional\) could not be opened: /,
      );
      // Within the retry window a statement fails at once with the same cause, no new attempt.
      const second = await failure(Author.using("late").all().count());
      expect((second as Error).cause).toBe((first as Error).cause);
      // The default connection is unaffected.
      expect(await Author.all().count()).toBe(1);

      await proxy.listen();
      await pastRetryWindow();
      expect(await Author.using("late").all().count()).toBe(1);
      await Author.using("late").create({ name: "through late" });
      expect(await Author.all().count()).toBe(2);
      expect(events.some((e) => e.connection === "late" && e.error === undefined)).toBe(true);
    });

    it("a ReadReplicaRouter answers reads from the primary while the optional replica is down, then from the replica", async () => {
      const router = new ReadReplicaRouter({
        replicas: ["late"],
        retryAfterMs: 100,
        maxRetryAfterMs: 200,
      });
      await initWithLate({ optional: true, router });
      const authors = await Author.using("default").all().count();
      for (let i = 0; i < 5; i++) expect(await Author.all().count()).toBe(authors);
      expect(
        events.filter((e) => e.error === undefined).every((e) => e.connection === "default"),
      ).toBe(true);
      await proxy.listen();
      await pastRetryWindow();
      events.length = 0;
      for (let i = 0; i < 5; i++) expect(await Author.all().count()).toBe(authors);
      expect(events.some((e) => e.connection === "late" && e.error === undefined)).toBe(true);
    });

    it("a connection not marked optional that cannot be reached fails the init, naming it", async () => {
      const err = await failure(initWithLate({ optional: false }));
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toMatch(/^connection "late": /);
      expect(YaraOrm.connections).toEqual([]);
    });

    it("close() with an optional connection never opened closes cleanly", async () => {
      await initWithLate({ optional: true });
      await YaraOrm.close();
      await proxy.listen();
      expect(YaraOrm.connections).toEqual([]);
    });
  });
}

describe("optional connection options", () => {
  it("default cannot be optional, and optional takes a boolean", async () => {
    await expect(
      YaraOrm.init({
        connections: { default: { url: "sqlite://:memory:", optional: true } },
      }),
    ).rejects.toThrow(
      new ConfigurationError(
        'connection "default" cannot be optional: it runs every statement nothing sends elsewhere',
      ),
    );
    await expect(
      YaraOrm.init({
        connections: {
          default: "sqlite://:memory:",
          other: { url: "sqlite://:memory:", optional: "yes" as unknown as boolean },
        },
      }),
    ).rejects.toThrow('connection "other": optional must be true or false');
  });
});
