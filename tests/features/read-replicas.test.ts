// The read-replica router on a real streaming replica (tests/support/pg-cluster.ts), with both
// Postgres drivers: reads outside a transaction are answered by the replica (pg_is_in_recovery()
// says so), writes, reads in a transaction and selectForUpdate by the primary, and a replica
// stopped and restarted under load costs no request under whenReplicasDown "primary" — under
// "fail", only reads while it is out fail, with a ConnectionError.
import { beforeAll, describe, expect, it } from "vitest";
import {
  Author,
  Book,
  ConnectionError,
  ReadReplicaRouter,
  Tag,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";
import type { QueryEvent } from "../../runtime/driver/driver.js";
import { clusterPerFile, inSchema } from "../support/cluster-per-file.js";
import { one } from "../support/pg-cluster.js";
import { targets } from "../support/targets.js";

const running = clusterPerFile({}, () => YaraOrm.close());

/** Which server answers a read of Author: "replica" or "primary", by pg_is_in_recovery(). */
async function answeredBy(): Promise<string> {
  const [row] = await Author.raw(
    "SELECT 0 AS id, CASE WHEN pg_is_in_recovery() THEN 'replica' ELSE 'primary' END AS name",
  );
  return row!.name;
}

const WRITES = /^(INSERT|UPDATE|DELETE)\b/;

for (const target of targets().filter((t) => t.dialect === "postgres")) {
  describe(target.name, () => {
    const schema = `replicas_${target.driver}`;
    const events: QueryEvent[] = [];
    let router: ReadReplicaRouter;

    async function open(options: ConstructorParameters<typeof ReadReplicaRouter>[0]) {
      await YaraOrm.close();
      const c = running();
      router = new ReadReplicaRouter(options);
      await YaraOrm.init({
        connections: {
          default: inSchema(c.primaryUrl, schema),
          replica: { url: inSchema(c.replicaUrl, schema), pool: { max: 4 } },
        },
        driver: target.driver,
        routers: [router],
        connectTimeoutMs: 2_000,
        log: (e) => events.push(e),
      });
    }

    beforeAll(async () => {
      const c = running();
      await one(c.primaryUrl, `CREATE SCHEMA ${schema}`);
      await open({ replicas: ["replica"], readYourWritesMs: 60_000 });
      await YaraOrm.generateSchemas();
      await c.caughtUp();
    }, 60_000);

    it("sends reads outside a transaction to the replica, everything else to the primary", async () => {
      await open({ replicas: ["replica"] });
      expect(await answeredBy()).toBe("replica");
      expect(await inTransaction(answeredBy)).toBe("primary");
      // selectForUpdate is refused by a hot standby: it can only have run on the primary.
      const author = await Author.create({ name: "locked" });
      await running().caughtUp();
      events.length = 0;
      const locked = await inTransaction(() =>
        Author.filter({ id: author.id }).selectForUpdate().get(),
      );
      expect(locked.name).toBe("locked");
      const forUpdate = events.filter((e) => e.sql.includes("FOR UPDATE"));
      expect(forUpdate.map((e) => e.connection)).toEqual(["default"]);
      expect(await Author.filter({ id: author.id }).selectForUpdate().exists()).toBe(true);
    });

    it("runs a read/write mix: reads answered by the replica, writes never reach it", async () => {
      await open({ replicas: ["replica"], readYourWritesMs: 0 });
      events.length = 0;
      const ann = await Author.create({ name: "Ann", email: "ann@example.org" });
      const bob = await Author.create({ name: "Bob" });
      const [t1, t2] = await Tag.bulkCreate([{ name: "sf" }, { name: "poetry" }]);
      const b1 = await Book.create({ title: "One", authorId: ann.id, price: "10.00" });
      await Book.bulkCreate([
        { title: "Two", authorId: ann.id, price: "12.50" },
        { title: "Three", authorId: bob.id },
      ]);
      await b1.tags.add(t1!, t2!);
      await Book.filter({ title: "Three" }).update({ published: true });
      const [, created] = await Author.getOrCreate({ name: "Cid" });
      expect(created).toBe(true);
      await Author.filter({ name: "Cid" }).delete();
      b1.title = "One (2nd ed.)";
      await b1.save();
      await running().caughtUp();

      expect(await Author.all().orderBy("name").valuesList("name", { flat: true })).toEqual([
        "Ann",
        "Bob",
        "locked",
      ]);
      expect(await Book.filter({ author__name: "Ann" }).count()).toBe(2);
      expect((await Book.get({ id: b1.id })).title).toBe("One (2nd ed.)");
      const withTags = await Book.filter({ id: b1.id }).prefetchRelated("tags");
      expect(withTags[0]!.tags.loaded.map((t) => t.name).sort()).toEqual(["poetry", "sf"]);
      expect(await Book.filter({ published: true }).valuesList("title", { flat: true })).toEqual([
        "Three",
      ]);
      expect(await answeredBy()).toBe("replica");

      const reads = events.filter((e) => e.sql.startsWith("SELECT"));
      const writes = events.filter((e) => WRITES.test(e.sql));
      expect(writes.length).toBeGreaterThan(5);
      expect(writes.filter((e) => e.connection !== "default")).toEqual([]);
      expect(reads.filter((e) => e.connection === "replica").length).toBeGreaterThan(4);
      expect(events.filter((e) => e.error !== undefined)).toEqual([]);
    });

    it("reads from the primary for readYourWritesMs after a write, then from the replica", async () => {
      await open({ replicas: ["replica"], readYourWritesMs: 300 });
      await router.scope(async () => {
        await Author.create({ name: "fresh" });
        // Without waiting for replication: the read goes to the primary and sees the row.
        expect(await answeredBy()).toBe("primary");
        expect(await Author.filter({ name: "fresh" }).exists()).toBe(true);
      });
      // Another scope made no write: its reads go to the replica.
      expect(await router.scope(answeredBy)).toBe("replica");
      await new Promise((r) => setTimeout(r, 350));
      expect(await router.scope(answeredBy)).toBe("replica");
      // A transaction on the primary counts as a write once it ends.
      await router.scope(async () => {
        await inTransaction(async () => void (await Author.create({ name: "in tx" })));
        expect(await answeredBy()).toBe("primary");
      });
    });

    it("keeps every request working while the replica stops and restarts under load", async () => {
      await open({ replicas: ["replica"], retryAfterMs: 100, maxRetryAfterMs: 400 });
      const c = running();
      const failures: unknown[] = [];
      let reads = 0;
      let writes = 0;
      let stop = false;
      const worker = async (n: number): Promise<void> => {
        while (!stop) {
          try {
            if (n === 0) {
              await Tag.create({ name: `load-${target.driver}-${writes++}` });
            } else {
              await Author.filter({ name__startswith: "A" }).count();
              await Author.all().orderBy("id").first();
              reads += 2;
            }
          } catch (err) {
            failures.push(err);
          }
        }
      };
      const workers = [0, 1, 2, 3].map(worker);
      await new Promise((r) => setTimeout(r, 300));
      events.length = 0;
      await c.stopReplica();
      await new Promise((r) => setTimeout(r, 500));
      const duringOutage = events.filter(
        (e) => e.sql.startsWith("SELECT") && e.error === undefined,
      );
      await c.startReplica();
      await new Promise((r) => setTimeout(r, 1_000));
      events.length = 0;
      await new Promise((r) => setTimeout(r, 500));
      stop = true;
      await Promise.all(workers);
      expect(failures).toEqual([]);
      expect(reads).toBeGreaterThan(20);
      expect(writes).toBeGreaterThan(5);
      // While the replica was down, reads were answered by the primary…
      expect(duringOutage.some((e) => e.connection === "default")).toBe(true);
      // …and once it is back (after its back-off) it answers reads again.
      expect(events.some((e) => e.connection === "replica" && e.error === undefined)).toBe(true);
      expect(await answeredBy()).toBe("replica");
    }, 60_000);

    it("no read waits past readTimeoutMs on a replica that hangs: the primary answers", async () => {
      await open({ replicas: ["replica"], readTimeoutMs: 300, retryAfterMs: 60_000 });
      const c = running();
      expect(await answeredBy()).toBe("replica");
      c.pauseReplica();
      try {
        // The frozen replica would never answer: the timeout sends the read on.
        expect(await answeredBy()).toBe("primary");
        // Out of rotation for its back-off: the next read does not wait at all.
        expect(router.replicasInRotation()).toEqual([]);
        expect(await Author.all().count()).toBeGreaterThan(0);
      } finally {
        c.resumeReplica();
      }
    }, 60_000);

    it('whenReplicasDown "fail": reads fail with a ConnectionError while the replica is out, writes go on', async () => {
      await open({ replicas: ["replica"], whenReplicasDown: "fail", retryAfterMs: 200 });
      const c = running();
      expect(await answeredBy()).toBe("replica");
      await c.stopReplica();
      try {
        const err = await Author.all()
          .count()
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(err).toBeInstanceOf(ConnectionError);
        // Now out of rotation: the next read fails at once, naming the policy.
        await expect(Author.all().count()).rejects.toThrow(
          'every replica is out of rotation ("replica") and whenReplicasDown is "fail"',
        );
        await Author.create({ name: "written while the replica is down" });
      } finally {
        await c.startReplica();
      }
      await new Promise((r) => setTimeout(r, 250));
      await c.caughtUp();
      expect(await answeredBy()).toBe("replica");
      expect(await Author.filter({ name: "written while the replica is down" }).exists()).toBe(
        true,
      );
    }, 60_000);
  });
}
