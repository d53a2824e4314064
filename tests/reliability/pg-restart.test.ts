/**
 * Guarantee: a Postgres restart in the middle of load loses no acknowledged write and leaks no
 * connection. Statements in flight fail with ConnectionError, the pool replaces its dead
 * connections, later statements succeed, every acknowledged row (single statements and both
 * rows of each committed transaction) is there afterwards, no transaction is half there, and
 * close() leaves nothing in pg_stat_activity. On a private cluster (the shared server is never
 * restarted), for the pg and the native driver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "../../runtime/driver/driver.js";
import { ConnectionError } from "../../runtime/errors.js";
import { leakedConnections } from "./support/backends.js";
import { pgDriverKinds } from "./support/drivers.js";
import { createPrivateCluster, type PrivateCluster } from "./support/private-cluster.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the load saw: ids acknowledged, ids attempted, and every error. */
interface Ledger {
  readonly acked: Set<number>;
  readonly attempted: Set<number>;
  /** First ids of the two-row transactions attempted (rows id and id + 1). */
  readonly pairs: number[];
  readonly errors: unknown[];
}

/** Until `stop()`: `tasks` loops of single inserts and two-row transactions. */
function startLoad(driver: Driver, table: string, tasks: number) {
  const ledger: Ledger = { acked: new Set(), attempted: new Set(), pairs: [], errors: [] };
  let next = 1;
  let running = true;
  const insert = `INSERT INTO ${table} (id, task) VALUES ($1, $2)`;
  const loops = Array.from({ length: tasks }, async (_, task) => {
    for (let round = 0; running; round++) {
      try {
        if (round % 3 === 2) {
          const id = next;
          next += 2;
          ledger.attempted.add(id).add(id + 1);
          ledger.pairs.push(id);
          await driver.transaction(async (tx) => {
            await tx.execute(insert, [id, task]);
            await tx.execute(insert, [id + 1, task]);
          });
          ledger.acked.add(id).add(id + 1);
        } else {
          const id = next++;
          ledger.attempted.add(id);
          await driver.execute(insert, [id, task]);
          ledger.acked.add(id);
        }
      } catch (err) {
        ledger.errors.push(err);
        await sleep(20); // a dead server refuses at once; do not spin
      }
    }
  });
  return {
    ledger,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return ledger;
    },
  };
}

/** Polls until a statement succeeds; the pool must recover within `ms`. */
async function firstSuccess(driver: Driver, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await driver.query("SELECT 1", []);
      return Date.now() - started;
    } catch (err) {
      if (Date.now() - started > ms) throw err;
      await sleep(50);
    }
  }
}

describe("Postgres restart under load", () => {
  let cluster: PrivateCluster;
  beforeAll(async () => {
    cluster = await createPrivateCluster("yara_restart");
  }, 60_000);
  afterAll(() => cluster.drop(), 60_000);

  for (const kind of pgDriverKinds()) {
    it(`${kind.name}: fails statements in flight with ConnectionError, recovers, loses no acknowledged write`, async () => {
      const app = `yara_restart_${kind.name}`;
      const table = `restart_${kind.name}`;
      const driver = await kind.open(cluster.url(app), { max: 4, acquireTimeoutMs: 5000 });
      let ledger: Ledger;
      try {
        await driver.execute(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, task INTEGER)`, []);
        const load = startLoad(driver, table, 16);
        await sleep(400);
        const before = load.ledger.acked.size;
        await cluster.restart();
        const recoveredIn = await firstSuccess(driver, 10_000);
        await sleep(400);
        ledger = await load.stop();

        expect(before).toBeGreaterThan(0);
        expect(recoveredIn).toBeLessThan(10_000);
        // Statements in flight when the server went away failed, and only with ConnectionError.
        expect(ledger.errors.length).toBeGreaterThan(0);
        for (const err of ledger.errors) expect(err).toBeInstanceOf(ConnectionError);
        // Writes acknowledged after the restart prove the pool replaced its connections.
        expect(ledger.acked.size).toBeGreaterThan(before);
        for (let i = 0; i < 20; i++) expect((await driver.query("SELECT 1", [])).rowCount).toBe(1);

        const rows = await driver.query(`SELECT id FROM ${table} ORDER BY id`, []);
        const present = new Set<number>();
        for (let i = 0; i < rows.rowCount; i++) present.add(rows.reader.int(0, i));
        expect(present.size).toBeGreaterThanOrEqual(ledger.acked.size);
        for (const id of ledger.acked) expect(present.has(id), `acknowledged id ${id}`).toBe(true);
        for (const id of present) expect(ledger.attempted.has(id), `unknown id ${id}`).toBe(true);
        // A transaction's two rows are both there or neither (never half-committed).
        for (const id of ledger.pairs) {
          expect(present.has(id + 1), `transaction ${id}, ${id + 1}`).toBe(present.has(id));
        }
      } finally {
        await driver.close();
      }
      expect(await leakedConnections(cluster.url(app), app)).toEqual([]);
    }, 60_000);
  }
});
