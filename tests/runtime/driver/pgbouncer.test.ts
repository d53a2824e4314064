/**
 * Both Postgres drivers behind a real PgBouncer (Debian's package, tests/support/pgbouncer.ts)
 * in transaction pooling mode, with two server connections shared by many client connections,
 * so that consecutive statements of one client land on different server connections: with
 * `pgbouncer: true` nothing of one transaction (a named statement, a SET LOCAL, an isolation
 * level) is seen by another, statements outside transactions work, and without it PgBouncer
 * refuses the connection. The whole feature suite also runs through PgBouncer
 * (YARA_PGBOUNCER=1, tests/support/targets.ts).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../../runtime/config.js";
import type { Driver, DriverName } from "../../../runtime/driver/driver.js";
import { openDriver } from "../../../runtime/driver/open.js";
import { ConfigurationError, ConnectionError } from "../../../runtime/errors.js";
import { startPgBouncer, type PgBouncer } from "../../support/pgbouncer.js";
import { pgUrl } from "../../support/targets.js";

const DRIVERS: readonly DriverName[] = ["pg", "native"];
/** The server connections' own time zone: the pg driver must still see UTC. */
const SERVER_TIME_ZONE = "America/New_York";

let bouncer: PgBouncer;
let database: string;
let url: string;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  bouncer = await startPgBouncer(pgUrl(), {
    poolSize: 2,
    serverSettings: `timezone=${SERVER_TIME_ZONE}`,
  });
  database = `yara_pgb_${randomBytes(5).toString("hex")}`;
  await admin(`CREATE DATABASE ${database}`);
  const through = new URL(bouncer.url);
  through.pathname = `/${database}`;
  url = through.toString();
});

afterAll(async () => {
  await bouncer?.stop();
  if (database !== undefined) await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

function open(driver: DriverName, target: string, pgbouncer?: boolean): Promise<Driver> {
  return openDriver(parseDatabaseUrl(target, undefined, pgbouncer), {
    driver,
    pool: { max: 12 },
  });
}

async function one(driver: Driver, sql: string, params: readonly string[] = []): Promise<string> {
  const { reader } = await driver.query(sql, params);
  return String(reader.value(0, 0));
}

describe("PgBouncer in transaction mode", () => {
  for (const name of DRIVERS) {
    describe(name, () => {
      let driver: Driver;
      const table = `items_${name}`;
      beforeAll(async () => {
        driver = await open(name, url, true);
        await driver.execute(`CREATE TABLE ${table} (id int PRIMARY KEY, label text NOT NULL)`, []);
      });
      afterAll(() => driver?.close());

      it("is refused by PgBouncer without pgbouncer: true (it rejects the startup options)", async () => {
        const err = await open(name, url).then(
          (d) => d.close().then(() => undefined),
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(ConnectionError);
        expect((err as Error).message).toContain("unsupported startup parameter: options");
      });

      it("takes the mode from the URL as well, and refuses the options parameter with it", async () => {
        const viaUrl = await open(name, `${url}?pgbouncer=true`);
        expect(await one(viaUrl, "SELECT $1::text", ["ok"])).toBe("ok");
        await viaUrl.close();
        expect(() => parseDatabaseUrl(`${url}?pgbouncer=true&options=-c%20a%3Db`)).toThrow(
          ConfigurationError,
        );
        expect(() => parseDatabaseUrl(`${url}?pgbouncer=yes`)).toThrow(
          'pgbouncer must be true or false, got "yes"',
        );
      });

      it("interleaved transactions and statements of many clients share two server connections without leaking state", async () => {
        const clients = 24;
        const work = Array.from({ length: clients }, (_, i) =>
          driver.transaction(
            async (tx) => {
              await tx.execute(`SET LOCAL statement_timeout = '${i + 1}s'`, []);
              await tx.execute(`INSERT INTO ${table} (id, label) VALUES ($1, $2)`, [i, `row ${i}`]);
              const label = await one(tx, `SELECT label FROM ${table} WHERE id = $1`, [String(i)]);
              const timeout = await one(tx, "SHOW statement_timeout");
              return [label, timeout];
            },
            i % 3 === 0 ? { isolation: "serializable" } : undefined,
          ),
        );
        // Statements outside any transaction, with parameters, in between.
        const reads = Array.from({ length: 60 }, (_, i) =>
          one(driver, "SELECT $1::text || current_setting('statement_timeout')", [`r${i}:`]),
        );
        const results = await Promise.all(work);
        expect(results).toEqual(
          Array.from({ length: clients }, (_, i) => [`row ${i}`, `${i + 1}s`]),
        );
        for (const [i, read] of (await Promise.all(reads)).entries()) expect(read).toBe(`r${i}:0`);
        // Nothing stayed behind on the server connections.
        for (let i = 0; i < 8; i++) {
          expect(await one(driver, "SHOW statement_timeout")).toBe("0");
          expect(await driver.transaction((tx) => one(tx, "SHOW transaction_isolation"))).toBe(
            "read committed",
          );
        }
        expect(await one(driver, `SELECT count(*)::text FROM ${table}`)).toBe(String(clients));
      });

      it("a statement repeated inside transactions is reused there and left on no server connection", async () => {
        const runs = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            driver.transaction(async (tx) => {
              const seen: string[] = [];
              for (let n = 0; n < 5; n++) {
                seen.push(
                  await one(tx, "SELECT $1::text || '/' || $2::text", [String(i), String(n)]),
                );
              }
              return seen.join(",");
            }),
          ),
        );
        expect(runs[7]).toBe("7/0,7/1,7/2,7/3,7/4");
        // No statement a transaction prepared is still on a server connection afterwards (the
        // native engine's lone statement is itself prepared, in its own transaction: not counted).
        for (let i = 0; i < 6; i++) {
          expect(
            await one(
              driver,
              "SELECT count(*)::text FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'",
            ),
          ).toBe("0");
        }
      });

      it("reads enum types in statements and transactions without leaving a statement behind", async () => {
        // The native engine's client looks up a type it does not know (an enum) with statements
        // of its own: they too must stay inside one transaction on one server connection.
        const types = [`mood_${name}`, `size_${name}`, `tone_${name}`];
        for (const [i, type] of types.entries()) {
          await driver.execute(`CREATE TYPE ${type} AS ENUM ('a${i}', 'b${i}')`, []);
        }
        for (let round = 0; round < 4; round++) {
          for (const [i, type] of types.entries()) {
            expect(await one(driver, `SELECT $1::text::${type} AS v`, [`b${i}`])).toBe(`b${i}`);
            const inTx = await driver.transaction((tx) =>
              one(tx, `SELECT CAST($1 AS ${type}) AS v`, [`a${i}`]),
            );
            expect(inTx).toBe(`a${i}`);
            // Refused after the lookup (at Bind): rolled back, the statements dropped as well.
            await expect(one(driver, `SELECT $1::text::${type} AS v`, ["c"])).rejects.toThrow(
              `invalid input value for enum ${type}`,
            );
          }
        }
        const table = `moods_${name}`;
        await driver.execute(`CREATE TABLE ${table} (id int PRIMARY KEY, mood ${types[0]})`, []);
        await driver.transaction((tx) =>
          tx.execute(`INSERT INTO ${table} VALUES (1, $1::text::${types[0]})`, ["a0"]),
        );
        await driver.execute(`INSERT INTO ${table} VALUES (2, $1::text::${types[0]})`, ["b0"]);
        expect(
          await one(driver, `SELECT string_agg(mood::text, ',' ORDER BY id) FROM ${table}`),
        ).toBe("a0,b0");
        for (let i = 0; i < 6; i++) {
          expect(
            await one(
              driver,
              "SELECT count(*)::text FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'",
            ),
          ).toBe("0");
        }
      });

      it("a failed statement outside a transaction leaves the server connection usable", async () => {
        await expect(driver.query("SELECT 1/0", [])).rejects.toThrow("division by zero");
        expect(await one(driver, "SELECT $1::text", ["after"])).toBe("after");
      });

      if (name === "pg") {
        it("sends TimeZone and DateStyle as startup parameters PgBouncer restores on every server connection", async () => {
          for (let i = 0; i < 4; i++) {
            expect(await one(driver, "SHOW TimeZone")).toBe("UTC");
            expect(await one(driver, "SHOW DateStyle")).toBe("ISO, MDY");
          }
        });
      } else {
        it("reads instants in binary, whatever the server connection's TimeZone", async () => {
          expect(await one(driver, "SHOW TimeZone")).toBe(SERVER_TIME_ZONE);
          const { reader } = await driver.query("SELECT CAST($1 AS timestamptz) AS at", [
            "2026-03-01T23:30:00Z",
          ]);
          expect(reader.datetime(0, 0).toISOString()).toBe("2026-03-01T23:30:00.000Z");
        });
      }
    });
  }
});
