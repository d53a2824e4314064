/**
 * What the native Postgres driver guarantees when statements are abandoned, SQL is hostile, a
 * server does not answer or is not Postgres at all (docs/reliability.md, native rows): close()
 * resolves after any number of aborted statements and leaves no connection behind; one
 * statement per call; a wrong parameter count is a DatabaseError that keeps the connection;
 * connecting gives up after connectTimeoutMs; connect errors say what happened in plain words;
 * -0 reads as 0.
 */
import { spawn } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNativeAddon } from "../../../runtime/driver/native/addon.js";
import { NativePgDriver, type NativePgTarget } from "../../../runtime/driver/native/postgres.js";
import { ConnectionError, DatabaseError } from "../../../runtime/errors.js";
import { freePort } from "../../support/free-port.js";
import { pgTarget, sleep, within } from "./fault-helpers.js";

const addon = loadNativeAddon();
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const abortsFixture = fileURLToPath(new URL("./fixtures/native-pg-aborts.ts", import.meta.url));

/** A loopback server that accepts connections and does what `onSocket` says with each. */
async function fakeServer(onSocket: (socket: Socket) => void): Promise<{
  server: Server;
  port: number;
  sockets: Socket[];
}> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return { server, port: address.port, sockets };
}

async function stop(fake: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of fake.sockets) s.destroy();
  await new Promise((resolve) => fake.server.close(resolve));
}

function urlFor(port: number, query = ""): URL {
  return new URL(`postgres://root@127.0.0.1:${port}/test${query}`);
}

for (const native of addon === undefined ? [] : [addon]) {
  const open = (target: URL | NativePgTarget, max = 1) =>
    NativePgDriver.open(native, target, { max });

  describe("native Postgres: aborted statements", () => {
    it("close() resolves after 1 to 20 aborted statements, no connection stays, the process exits", async () => {
      const app = `yara_aborts_${process.pid}_${Date.now()}`;
      const child = spawn(tsx, [abortsFixture, app, "20"], {
        env: { ...process.env, YARA_PG_URL: pgTarget().toString() },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = await within(
        new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code))),
        150_000,
      );
      if (exited === "hang") child.kill("SIGKILL");
      expect({ exited, stderr }).toEqual({ exited: 0, stderr: "" });
      const rounds = stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { k: number; closeMs: number; unexpected: string[] });
      expect(rounds.map((r) => r.k)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const r of rounds) {
        expect(r.unexpected, `round ${r.k}`).toEqual([]);
        expect(r.closeMs, `round ${r.k}`).toBeLessThan(5000);
      }
      // The server has seen every connection of the child go.
      const admin = await open(pgTarget());
      try {
        let left = -1;
        for (let i = 0; i < 30 && left !== 0; i++) {
          if (i > 0) await sleep(100);
          left = (
            await admin.query(
              "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = $1",
              [app],
            )
          ).reader.int(0, 0);
        }
        expect(left).toBe(0);
      } finally {
        await admin.close();
      }
    }, 180_000);

    it("close() resolves when statements are aborted while their connections open", async () => {
      // Regression: a statement cancelled (or failed by close) while its connection was being
      // opened left the pool counting that connection forever, so close() never resolved.
      const driver = await open(pgTarget(), 4);
      const controller = new AbortController();
      const pending = Array.from({ length: 3 }, () =>
        within(driver.query("SELECT pg_sleep(2)", [], { signal: controller.signal }), 5000),
      );
      controller.abort();
      expect(await within(driver.close(), 5000)).toBeUndefined();
      for (const outcome of await Promise.all(pending)) {
        expect(outcome).toBeInstanceOf(Error);
        expect(outcome).not.toBe("hang");
      }
    });
  });

  describe("native Postgres: one statement per call", () => {
    let driver: NativePgDriver;
    const table = `yara_stacked_${process.pid}`;
    beforeAll(async () => {
      driver = await open(pgTarget());
      await driver.execute(`CREATE TABLE ${table} (id int)`, []);
      await driver.execute(`INSERT INTO ${table} VALUES (1), (2)`, []);
    });
    afterAll(async () => {
      await driver.execute(`DROP TABLE IF EXISTS ${table}`, []);
      await driver.close();
    });

    it.each([
      ["query without parameters", () => driver.query(`SELECT 1; DELETE FROM ${table}`, [])],
      ["execute without parameters", () => driver.execute(`SELECT 1; DELETE FROM ${table}`, [])],
      ["query with parameters", () => driver.query(`SELECT $1::int; DELETE FROM ${table}`, [1])],
      [
        "inside a transaction",
        () => driver.transaction((tx) => tx.query(`SELECT 1; DELETE FROM ${table}`, [])),
      ],
      [
        "a comment between them",
        () => driver.query(`SELECT 1 /* ; */; DELETE FROM ${table} -- x`, []),
      ],
    ])("refuses stacked statements: %s", async (_, run) => {
      const err = await within(run());
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err).toMatchObject({ code: "42601" });
      expect((err as Error).message).toMatch(/cannot insert multiple commands/);
      const left = await driver.query(`SELECT count(*)::int FROM ${table}`, []);
      expect(left.reader.int(0, 0)).toBe(2);
    });

    it("still runs one statement followed by a semicolon", async () => {
      expect((await driver.query("SELECT 7;", [])).reader.int(0, 0)).toBe(7);
    });
  });

  describe("native Postgres: a wrong parameter count", () => {
    it("is the server's DatabaseError (08P01), never a ConnectionError, and the connection stays", async () => {
      const driver = await open(pgTarget());
      try {
        const pid = (await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0);
        for (const [sql, params, expected] of [
          ["SELECT $1::int, $2::int", [1], 2],
          ["SELECT $1::int", [1, 2], 1],
          ["SELECT 1", [1], 0],
        ] as const) {
          const message = `bind message supplies ${params.length} parameters, but prepared statement "" requires ${expected}`;
          for (const run of [() => driver.query(sql, params), () => driver.execute(sql, params)]) {
            const err = await within(run());
            expect(err).toBeInstanceOf(DatabaseError);
            expect(err).not.toBeInstanceOf(ConnectionError);
            expect(err).toMatchObject({ code: "08P01", message });
          }
        }
        expect((await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0)).toBe(pid);
        // Inside a transaction the statement never ran, so the transaction is not aborted.
        const table = `yara_params_${process.pid}`;
        await driver.execute(`CREATE TEMP TABLE ${table} (id int)`, []);
        await driver.transaction(async (tx) => {
          await tx.execute(`INSERT INTO ${table} VALUES ($1)`, [1]);
          const e = await within(tx.execute(`INSERT INTO ${table} VALUES ($1)`, [2, 3]));
          expect(e).toMatchObject({ code: "08P01" });
        });
        const rows = await driver.query(`SELECT count(*)::int FROM ${table}`, []);
        expect(rows.reader.int(0, 0)).toBe(1);
        expect((await driver.query("SELECT pg_backend_pid()", [])).reader.int(0, 0)).toBe(pid);
      } finally {
        await driver.close();
      }
    });
  });

  describe("native Postgres: connecting", () => {
    it.each([
      ["a server that never answers the startup message", "", () => undefined],
      ["a server that never answers the TLS request", "?sslmode=require", () => undefined],
      [
        "a server that accepts TLS and never starts the handshake",
        "?sslmode=require",
        (s: Socket) => s.once("data", () => s.write("S")),
      ],
    ])("gives up after connectTimeoutMs: %s", async (_, query, onSocket) => {
      const fake = await fakeServer(onSocket);
      try {
        const started = Date.now();
        const err = await within(
          open({ url: urlFor(fake.port, query), connectTimeoutMs: 300 }),
          5000,
        );
        const took = Date.now() - started;
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toContain(`127.0.0.1:${fake.port}`);
        expect((err as Error).message).toContain("within 300 ms");
        expect(err).toMatchObject({ code: "ETIMEDOUT" });
        expect(took).toBeGreaterThanOrEqual(280);
        expect(took).toBeLessThan(3000);
        expect(fake.sockets.length).toBeGreaterThan(0);
      } finally {
        await stop(fake);
      }
    });

    it("takes the URL's connect_timeout when the target has no connectTimeoutMs", async () => {
      const fake = await fakeServer(() => undefined);
      try {
        const started = Date.now();
        const err = await within(open(urlFor(fake.port, "?connect_timeout=1")), 5000);
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toContain("within 1000 ms");
        expect(Date.now() - started).toBeLessThan(4000);
      } finally {
        await stop(fake);
      }
    });

    it("says nothing is listening when the connection is refused", async () => {
      const port = await freePort();
      const err = await within(open({ url: urlFor(port), connectTimeoutMs: 2000 }));
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toBe(
        `nothing is listening on 127.0.0.1:${port} (connection refused)`,
      );
      expect(err).toMatchObject({ code: "ECONNREFUSED" });
    });

    it.each([
      ["an HTTP server", (s: Socket) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n")],
      ["an unknown message", (s: Socket) => s.end(Buffer.from("Q\x00\x00\x00\x05x", "latin1"))],
      ["a short length", (s: Socket) => s.write(Buffer.from("R\x00\x00\x00\x02xyz", "latin1"))],
    ])("says the server did not answer as PostgreSQL: %s", async (_, onSocket) => {
      const fake = await fakeServer((s) => s.once("data", () => onSocket(s)));
      try {
        const err = await within(open({ url: urlFor(fake.port), connectTimeoutMs: 2000 }), 5000);
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toMatch(
          new RegExp(`^the server at 127\\.0\\.0\\.1:${fake.port} did not answer as PostgreSQL`),
        );
        expect((err as Error).message).not.toMatch(/bytes remaining|os error/);
      } finally {
        await stop(fake);
      }
    });
  });

  describe("native Postgres: -0", () => {
    it("reads -0 as 0 from float4 and float8, in every getter", async () => {
      const driver = await open(pgTarget());
      try {
        const r = await driver.query(
          "SELECT '-0'::float8, '-0'::float4, -(0::float8), $1::float8",
          [-0],
        );
        for (let c = 0; c < 4; c++) {
          expect(Object.is(r.reader.float(c, 0), 0), `column ${c}`).toBe(true);
          expect(Object.is(r.reader.value(c, 0), 0), `column ${c}`).toBe(true);
        }
        const negative = await driver.query("SELECT '-1.5'::float8", []);
        expect(negative.reader.float(0, 0)).toBe(-1.5);
      } finally {
        await driver.close();
      }
    });
  });
}
