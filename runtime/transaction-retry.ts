/**
 * `inTransaction(fn, { retry: n })`: a transaction that Postgres aborted because it conflicted
 * with a concurrent one (serialization failure 40001, deadlock 40P01) is run again from the
 * start, up to n more times, after a short random pause that grows with each attempt (two
 * transactions that conflicted once should not collide again in lockstep). Any other error, and
 * the last conflict, reach the caller; a conflict's `attempts` says how many runs were made.
 */
import { TransactionConflictError } from "./errors.js";

/** Longest pause between two attempts, in ms. */
const MAX_PAUSE_MS = 100;

export async function retried<T>(attempt: () => Promise<T>, retries: number): Promise<T> {
  for (let run = 1; ; run++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof TransactionConflictError)) throw err;
      err.attempts = run;
      if (run > retries) throw err;
    }
    const ceiling = Math.min(MAX_PAUSE_MS, 2 ** run);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}
