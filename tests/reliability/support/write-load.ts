/**
 * Writing load for the fault tests, and the check of what it left behind: `tasks` loops of single
 * inserts and two-row transactions into `table (id BIGINT PRIMARY KEY, task INTEGER)`, each
 * outcome written down in a ledger. Afterwards every acknowledged row must be there, no row nobody
 * attempted, and each transaction's two rows both or neither.
 */
import assert from "node:assert/strict";
import type { Driver } from "../../../runtime/driver/driver.js";
import { ConnectionError } from "../../../runtime/errors.js";

/** What the load saw: ids acknowledged, ids attempted, and every error. */
export interface Ledger {
  readonly acked: Set<number>;
  readonly attempted: Set<number>;
  /** First ids of the two-row transactions attempted (rows id and id + 1). */
  readonly pairs: number[];
  readonly errors: unknown[];
}

export interface Load {
  readonly ledger: Ledger;
  /** Ends the loops after their current statement; resolves once all have. */
  stop(): Promise<Ledger>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `marks`: the driver's two parameter placeholders (Postgres `$1, $2`; MySQL `?, ?`). */
export function startLoad(
  driver: Driver,
  table: string,
  tasks: number,
  marks: readonly [string, string] = ["$1", "$2"],
): Load {
  const ledger: Ledger = { acked: new Set(), attempted: new Set(), pairs: [], errors: [] };
  let next = 1;
  let running = true;
  const insert = `INSERT INTO ${table} (id, task) VALUES (${marks[0]}, ${marks[1]})`;
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

/**
 * Every error a ConnectionError; the ids `present` in the table afterwards hold every
 * acknowledged id, only attempted ids, and both rows of a transaction or neither.
 */
export function checkLedger(ledger: Ledger, present: ReadonlySet<number>): void {
  for (const err of ledger.errors) {
    assert.ok(
      err instanceof ConnectionError,
      `an error other than ConnectionError: ${errorText(err)}`,
    );
  }
  for (const id of ledger.acked) assert.ok(present.has(id), `acknowledged write ${id} is lost`);
  for (const id of present) assert.ok(ledger.attempted.has(id), `row ${id} nobody wrote`);
  for (const id of ledger.pairs) {
    assert.equal(
      present.has(id + 1),
      present.has(id),
      `transaction ${id}, ${id + 1} is half there`,
    );
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err);
}
