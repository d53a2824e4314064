// A replica read cancelled by replay ("canceling statement due to conflict with recovery",
// SQLSTATE 40001): the primary removes rows the replica query's snapshot still needs (DELETE +
// VACUUM) and the replica, told not to hold replay back (max_standby_streaming_delay = 0),
// cancels the query. The read must not fail: it goes to the next candidate (the primary), and
// the replica stays in rotation — the server is healthy, only that statement was cancelled.
import { beforeAll, describe, expect, it } from "vitest";
import { Author, ReadReplicaRouter, SerializationError, YaraOrm } from "./generated/index.js";
import type { QueryEvent } from "../../runtime/driver/driver.js";
import { clusterPerFile, inSchema } from "../support/cluster-per-file.js";
import { one } from "../support/pg-cluster.js";
import { targets } from "../support/targets.js";

const running = clusterPerFile({ cancelOnReplayConflict: true }, () => YaraOrm.close());

/** Waits until the replica runs a statement containing `marker`. */
async function runningOnReplica(marker: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const n = await one(
      running().replicaUrl,
      `SELECT count(*)::int AS v FROM pg_stat_activity
        WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%${marker}%'`,
    );
    if (n === 1) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the replica never ran the statement marked ${marker}`);
}

for (const target of targets().filter((t) => t.dialect === "postgres")) {
  describe(target.name, () => {
    const schema = `conflicts_${target.driver}`;
    const events: QueryEvent[] = [];
    let router: ReadReplicaRouter;

    beforeAll(async () => {
      const c = running();
      await one(c.primaryUrl, `CREATE SCHEMA ${schema}`);
      await YaraOrm.close();
      router = new ReadReplicaRouter({ replicas: ["replica"] });
      await YaraOrm.init({
        connections: {
          default: inSchema(c.primaryUrl, schema),
          replica: inSchema(c.replicaUrl, schema),
        },
        driver: target.driver,
        routers: [router],
        log: (e) => events.push(e),
      });
      await YaraOrm.generateSchemas();
    }, 60_000);

    it("moves a read the replica cancelled for a replay conflict to the primary", async () => {
      const c = running();
      await Author.bulkCreate(Array.from({ length: 100 }, (_, i) => ({ name: `a${i}` })));
      await c.caughtUp();
      events.length = 0;
      const marker = `conflict_${target.driver}`;
      // The sleep holds the replica's snapshot while the primary removes half the rows.
      const read = Author.raw(
        `SELECT a.id, CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END AS name
           FROM author a CROSS JOIN pg_sleep(2) AS ${marker} ORDER BY a.id`,
      );
      await runningOnReplica(marker);
      await one(c.primaryUrl, `DELETE FROM ${schema}.author WHERE id % 2 = 0`);
      await one(c.primaryUrl, `VACUUM ${schema}.author`);
      const rows = await read;

      expect(rows).toHaveLength(50);
      expect(new Set(rows.map((r) => r.name))).toEqual(new Set(["primary"]));
      const attempts = events.filter((e) => e.sql.includes(marker));
      expect(attempts.map((e) => e.connection)).toEqual(["replica", "default"]);
      expect(attempts[0]!.error).toBeInstanceOf(SerializationError);
      expect(attempts[0]!.error!.message).toMatch(/conflict with recovery/);
      expect(router.replicasInRotation()).toEqual(["replica"]);
    }, 30_000);
  });
}
