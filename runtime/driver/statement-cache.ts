/**
 * A bounded map from SQL text to whatever a driver keeps per statement (a prepared
 * better-sqlite3 statement, a Postgres statement name), evicting roughly the least recently used
 * entry ("second chance"): a hit only sets a flag on its entry, so the hot path never rewrites
 * the map; on overflow the oldest entries that were hit since they were last looked at move to
 * the back (flag cleared), and the first one that was not is evicted.
 */
interface Entry<V> {
  readonly value: V;
  used: boolean;
}

export class StatementCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    readonly capacity: number,
    private readonly onEvict?: (value: V, sql: string) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`statement cache capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  get(sql: string): V | undefined {
    const entry = this.#entries.get(sql);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(sql: string, value: V): void {
    this.#entries.delete(sql);
    this.#entries.set(sql, { value, used: false });
    // The entry just set is never the one evicted. Each pass evicts, clears a flag or passes
    // over the new entry once, so this ends within 2 * size passes.
    while (this.#entries.size > this.capacity) {
      const [oldest, entry] = this.#entries.entries().next().value as [string, Entry<V>];
      this.#entries.delete(oldest);
      if (entry.used || oldest === sql) {
        entry.used = false;
        this.#entries.set(oldest, entry);
      } else {
        this.onEvict?.(entry.value, oldest);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
