/**
 * inTransaction's options: Postgres and MySQL isolation levels and access modes (applied: the
 * server reports them inside), serialization failures and deadlocks as typed errors, `retry`, SQLite's
 * locking behaviors, and the options a database cannot honour refused with a clear error.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  Author,
  ConfigurationError,
  DatabaseError,
  DeadlockError,
  NotSupportedError,
  SerializationError,
  TransactionConflictError,
  TransactionError,
  YaraOrm,
  inTransaction,
} from "./generated/index.js";
import { forEachTarget, rejects, resetData } from "./harness.js";
import { targets } from "../support/targets.js";

/** A promise and its resolve, for stepping two transactions through a conflict. */
function signal(): { done: Promise<void>; fire: () => void } {
  let fire: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (fire = resolve));
  return { done, fire };
}

async function setting(name: string): Promise<string> {
  const rows = await YaraOrm.query(`SHOW ${name}`);
  return String(rows[0]?.[name]);
}

forEachTarget((target) => {
  beforeEach(resetData);

  if (target.dialect === "postgres") {
    it("sends the isolation level and access mode with BEGIN", async () => {
      for (const isolation of ["serializable", "repeatable read", "read committed"] as const) {
        const seen = await inTransaction(() => setting("transaction_isolation"), { isolation });
        expect(seen).toBe(isolation);
      }
      const mode = await inTransaction(
        async () => [
          await setting("transaction_isolation"),
          await setting("transaction_read_only"),
          await setting("transaction_deferrable"),
        ],
        { isolation: "serializable", readOnly: true, deferrable: true },
      );
      expect(mode).toEqual(["serializable", "on", "on"]);
      // The next transaction on the same pool is back to the defaults.
      expect(await inTransaction(() => setting("transaction_isolation"))).toBe("read committed");
      expect(await inTransaction(() => setting("transaction_read_only"))).toBe("off");
    });

    it("a read-only transaction refuses writes", async () => {
      const err = await rejects(
        inTransaction(() => Author.create({ name: "no" }), { readOnly: true }),
      );
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe("25006");
      expect(await Author.all().count()).toBe(0);
    });

    it("a concurrent update makes a repeatable-read transaction fail with SerializationError", async () => {
      const a = await Author.create({ name: "start" });
      const read = signal();
      const gate = signal();
      const tx = inTransaction(
        async () => {
          await Author.get({ id: a.id }); // takes the snapshot
          read.fire();
          await gate.done;
          await Author.filter({ id: a.id }).update({ name: "in tx" });
        },
        { isolation: "repeatable read" },
      );
      await read.done;
      await Author.filter({ id: a.id }).update({ name: "outside" });
      gate.fire();
      const err = await rejects(tx);
      expect(err).toBeInstanceOf(SerializationError);
      expect(err).toBeInstanceOf(TransactionConflictError);
      expect((err as SerializationError).code).toBe("40001");
      expect((err as SerializationError).attempts).toBe(1);
      expect((await Author.get({ id: a.id })).name).toBe("outside");
    });

    it("retry runs the callback again after a serialization failure, and says how often it tried", async () => {
      const a = await Author.create({ name: "start" });
      // Each attempt listed here meets a concurrent update between its read and its write.
      const conflicted = async (conflicts: number, retry: number) => {
        let runs = 0;
        const steps = Array.from({ length: conflicts }, () => ({ read: signal(), gate: signal() }));
        const tx = inTransaction(
          async () => {
            const step = steps[runs++];
            const current = await Author.get({ id: a.id });
            if (step !== undefined) {
              step.read.fire();
              await step.gate.done;
            }
            await Author.filter({ id: a.id }).update({ name: `${current.name}+tx` });
            return runs;
          },
          { isolation: "serializable", retry },
        );
        for (const [i, step] of steps.entries()) {
          await step.read.done;
          await Author.filter({ id: a.id }).update({ name: `outside${i}` });
          step.gate.fire();
        }
        return tx;
      };
      expect(await conflicted(1, 2)).toBe(2);
      expect((await Author.get({ id: a.id })).name).toBe("outside0+tx");

      const err = await rejects(conflicted(2, 1));
      expect(err).toBeInstanceOf(SerializationError);
      expect((err as SerializationError).attempts).toBe(2);
      expect(err).toBeInstanceOf(TransactionConflictError);
      expect((await Author.get({ id: a.id })).name).toBe("outside1");
    });

    it("a deadlock fails one of the two transactions with DeadlockError", async () => {
      const x = await Author.create({ name: "x" });
      const y = await Author.create({ name: "y" });
      const firstLocked = signal();
      const secondLocked = signal();
      const fast = async () => {
        // Superuser-only setting: detection after 50 ms instead of the default second.
        await YaraOrm.execute("SET LOCAL deadlock_timeout = '50ms'");
      };
      const one = inTransaction(async () => {
        await fast();
        await Author.filter({ id: x.id }).update({ name: "one" });
        firstLocked.fire();
        await secondLocked.done;
        await Author.filter({ id: y.id }).update({ name: "one" });
      });
      const two = inTransaction(async () => {
        await fast();
        await firstLocked.done;
        await Author.filter({ id: y.id }).update({ name: "two" });
        secondLocked.fire();
        await Author.filter({ id: x.id }).update({ name: "two" });
      });
      const results = await Promise.allSettled([one, two]);
      const failed = results.filter((r) => r.status === "rejected");
      expect(failed).toHaveLength(1);
      const reason = (failed[0] as PromiseRejectedResult).reason as DeadlockError;
      expect(reason).toBeInstanceOf(DeadlockError);
      expect(reason.code).toBe("40P01");
      expect(reason).toBeInstanceOf(TransactionConflictError);
    });

    it("refuses SQLite's behavior option", async () => {
      const err = await rejects(inTransaction(async () => 1, { behavior: "immediate" }));
      expect(err).toBeInstanceOf(NotSupportedError);
      expect((err as Error).message).toContain("SQLite locking mode");
    });
  } else if (target.dialect === "mysql") {
    /**
     * The running transaction's level and access mode as InnoDB reports them. InnoDB lists a
     * transaction once it has read or locked something, and refreshes the list it shows at
     * most every 100 ms: the pause keeps an earlier transaction's row from being read.
     */
    const innodbTrx = async (): Promise<Record<string, unknown>[]> => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return YaraOrm.query(
        "SELECT trx_isolation_level AS level, trx_is_read_only AS ro FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()",
      );
    };
    const innodbMode = async (): Promise<[string, number]> => {
      await Author.all().selectForUpdate();
      const rows = await innodbTrx();
      expect(rows).toHaveLength(1);
      return [String(rows[0]!.level), Number(rows[0]!.ro)];
    };

    it("sets the isolation level before START TRANSACTION, for that transaction only", async () => {
      await Author.create({ name: "a" });
      for (const [isolation, level] of [
        ["serializable", "SERIALIZABLE"],
        ["repeatable read", "REPEATABLE READ"],
        ["read committed", "READ COMMITTED"],
      ] as const) {
        expect(await inTransaction(innodbMode, { isolation })).toEqual([level, 0]);
        // The session's level (READ COMMITTED, docs/mysql.md) is back for the next one.
        expect(await inTransaction(innodbMode)).toEqual(["READ COMMITTED", 0]);
      }
      const rows = await YaraOrm.query("SELECT @@tx_isolation AS v");
      expect(rows[0]!.v).toBe("READ-COMMITTED");
    });

    it("repeatable read keeps its snapshot where read committed sees a concurrent update", async () => {
      const a = await Author.create({ name: "start" });
      const seen = async (isolation: "repeatable read" | "read committed") => {
        await Author.filter({ id: a.id }).update({ name: "start" });
        const read = signal();
        const gate = signal();
        const tx = inTransaction(
          async () => {
            const before = (await Author.get({ id: a.id })).name;
            read.fire();
            await gate.done;
            return [before, (await Author.get({ id: a.id })).name];
          },
          { isolation },
        );
        await read.done;
        await Author.filter({ id: a.id }).update({ name: "outside" });
        gate.fire();
        return tx;
      };
      expect(await seen("repeatable read")).toEqual(["start", "start"]);
      expect(await seen("read committed")).toEqual(["start", "outside"]);
    });

    it("a read-only transaction refuses writes", async () => {
      const [listed, readOnly] = await inTransaction(
        async () => {
          await Author.all().count();
          const rows = await innodbTrx();
          return [rows.length, Number(rows[0]?.ro)];
        },
        { readOnly: true, isolation: "serializable" },
      );
      expect([listed, readOnly]).toEqual([1, 1]);
      const err = await rejects(
        inTransaction(() => Author.create({ name: "no" }), { readOnly: true }),
      );
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe("ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION");
      expect(await Author.all().count()).toBe(0);
      // readOnly: false is READ WRITE, the default.
      await inTransaction(() => Author.create({ name: "yes" }), { readOnly: false });
      expect(await Author.all().count()).toBe(1);
    });

    it("a deadlock fails one of the two transactions with DeadlockError, and retry runs it again", async () => {
      const x = await Author.create({ name: "x" });
      const y = await Author.create({ name: "y" });
      const crossed = (retry: number) => {
        const firstLocked = signal();
        const secondLocked = signal();
        let runs = 0;
        const one = inTransaction(
          async () => {
            runs++;
            await Author.filter({ id: x.id }).update({ name: "one" });
            firstLocked.fire();
            await secondLocked.done;
            await Author.filter({ id: y.id }).update({ name: "one" });
          },
          { retry },
        );
        const two = inTransaction(
          async () => {
            runs++;
            await firstLocked.done;
            await Author.filter({ id: y.id }).update({ name: "two" });
            secondLocked.fire();
            await Author.filter({ id: x.id }).update({ name: "two" });
          },
          { retry },
        );
        return Promise.allSettled([one, two]).then((results) => ({ results, runs: () => runs }));
      };
      const { results } = await crossed(0);
      const failed = results.filter((r) => r.status === "rejected");
      expect(failed).toHaveLength(1);
      const reason = (failed[0] as PromiseRejectedResult).reason as DeadlockError;
      expect(reason).toBeInstanceOf(DeadlockError);
      expect(reason).toBeInstanceOf(TransactionConflictError);
      expect(reason.code).toBe("ER_LOCK_DEADLOCK");
      expect(reason.attempts).toBe(1);

      // With retry, the loser runs again once the winner committed: both succeed.
      const again = await crossed(1);
      expect(again.results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
      expect(again.runs()).toBe(3);
      const names = (await Author.filter({ id__in: [x.id, y.id] })).map((a) => a.name);
      expect(new Set(names).size).toBe(1);
    });

    it("a repeatable-read write over a concurrent change is a SerializationError (innodb_snapshot_isolation)", async () => {
      const a = await Author.create({ name: "start" });
      const read = signal();
      const gate = signal();
      const tx = inTransaction(
        async () => {
          // MariaDB's Postgres-like check, off by default before 11.8; this connection only.
          await YaraOrm.execute("SET SESSION innodb_snapshot_isolation = ON");
          try {
            await Author.get({ id: a.id });
            read.fire();
            await gate.done;
            await Author.filter({ id: a.id }).update({ name: "in tx" });
          } finally {
            await YaraOrm.execute("SET SESSION innodb_snapshot_isolation = OFF");
          }
        },
        { isolation: "repeatable read" },
      );
      await read.done;
      await Author.filter({ id: a.id }).update({ name: "outside" });
      gate.fire();
      const err = await rejects(tx);
      expect(err).toBeInstanceOf(SerializationError);
      expect((err as SerializationError).code).toBe("ER_CHECKREAD");
      expect((await Author.get({ id: a.id })).name).toBe("outside");
    });

    it("refuses deferrable and SQLite's locking behaviors", async () => {
      const deferrable = await rejects(
        inTransaction(async () => 1, {
          isolation: "serializable",
          readOnly: true,
          deferrable: true,
        }),
      );
      expect(deferrable).toBeInstanceOf(NotSupportedError);
      expect((deferrable as NotSupportedError).dialect).toBe("mysql");
      expect((deferrable as Error).message).toMatch(
        /^deferrable is a Postgres transaction option .*; MySQL does not have it/,
      );
      const behavior = await rejects(inTransaction(async () => 1, { behavior: "immediate" }));
      expect(behavior).toBeInstanceOf(NotSupportedError);
      expect((behavior as Error).message).toBe(
        'behavior "immediate" is a SQLite locking mode; MySQL does not have it: choose an isolation level (isolation: "serializable" | "repeatable read" | "read committed") and readOnly',
      );
    });
  } else {
    it("refuses Postgres isolation and access modes", async () => {
      const err = await rejects(inTransaction(async () => 1, { isolation: "serializable" }));
      expect(err).toBeInstanceOf(NotSupportedError);
      expect((err as Error).message).toBe(
        'isolation is a Postgres transaction option; SQLite does not have it: its transactions are always serializable; choose when they lock with behavior ("deferred" | "immediate" | "exclusive")',
      );
      expect(await rejects(inTransaction(async () => 1, { readOnly: true }))).toBeInstanceOf(
        NotSupportedError,
      );
    });

    it("runs with each locking behavior", async () => {
      for (const behavior of ["deferred", "immediate", "exclusive"] as const) {
        await inTransaction(() => Author.create({ name: behavior }), { behavior });
      }
      expect(await Author.all().count()).toBe(3);
    });
  }

  it("refuses unknown options and bad values", async () => {
    const bad = [
      [{ isolaton: "serializable" }, 'unknown inTransaction option "isolaton"'],
      [{ retry: -1 }, "retry must be a whole number"],
      [{ retry: 1.5 }, "retry must be a whole number"],
      [{ isolation: "snapshot" }, "isolation must be one of"],
      [{ behavior: "lazy" }, "behavior must be one of"],
    ] as const;
    for (const [options, message] of bad) {
      const err = await rejects(inTransaction(async () => 1, options as never));
      expect(err).toBeInstanceOf(ConfigurationError);
      expect((err as Error).message).toContain(message);
    }
  });

  it("a nested transaction cannot change the outer one's mode, nor retry", async () => {
    const outer = target.dialect === "sqlite" ? {} : { isolation: "serializable" as const };
    const other =
      target.dialect === "sqlite"
        ? { behavior: "exclusive" as const }
        : { isolation: "read committed" as const };
    await inTransaction(async () => {
      const changed = await rejects(inTransaction(async () => 1, other));
      expect(changed).toBeInstanceOf(TransactionError);
      expect((changed as Error).message).toMatch(/a savepoint cannot change it/);
      const retried = await rejects(inTransaction(async () => 1, { retry: 2 }));
      expect(retried).toBeInstanceOf(TransactionError);
      // The same mode (or none) nests as a savepoint.
      expect(await inTransaction(async () => 2, outer)).toBe(2);
      expect(await inTransaction(async () => 3)).toBe(3);
    }, outer);
  });

  it("retry does not re-run the callback for other errors", async () => {
    let runs = 0;
    const boom = new Error("boom");
    const err = await rejects(
      inTransaction(
        async () => {
          runs++;
          throw boom;
        },
        { retry: 3 },
      ),
    );
    expect(err).toBe(boom);
    expect(runs).toBe(1);
  });
});

// SQLite's behaviors decide when the write lock is taken: seen from a second connection.
for (const target of targets().filter((t) => t.dialect === "sqlite")) {
  describe(`${target.name} locking behaviors on a file`, () => {
    let dir: string;
    let file: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "yara-behavior-"));
      file = join(dir, "app.db");
      await YaraOrm.init(`sqlite://${file}`, { driver: target.driver });
      await YaraOrm.generateSchemas();
    });
    afterAll(async () => {
      await YaraOrm.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Another process: POSIX locks do not separate two SQLite libraries in one process (the
    // native engine links its own copy), so the second connection must live elsewhere.
    const otherWrites = (): string =>
      execFileSync(
        process.execPath,
        [
          "-e",
          `const db = new (require("better-sqlite3"))(process.argv[1], { timeout: 0 });
           try { db.prepare("INSERT INTO author (name, created_at) VALUES ('other', '2026-01-01')").run(); console.log("written"); }
           catch (e) { console.log(e.code); }`,
          file,
        ],
        { encoding: "utf8" },
      ).trim();

    it("deferred takes no lock before the first write; immediate and exclusive lock at BEGIN", async () => {
      const seen: Record<string, unknown> = {};
      for (const behavior of ["deferred", "immediate", "exclusive"] as const) {
        await inTransaction(
          async () => {
            await Author.all().count();
            seen[behavior] = otherWrites();
          },
          { behavior },
        );
      }
      expect(seen).toEqual({
        deferred: "written",
        immediate: "SQLITE_BUSY",
        exclusive: "SQLITE_BUSY",
      });
    });
  });
}
