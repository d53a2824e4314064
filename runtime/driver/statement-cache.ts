/**
 * A bounded least-recently-used map from SQL text to whatever a driver keeps per statement
 * (a prepared better-sqlite3 statement, a Postgres statement name). A `Map` keeps insertion
 * order, so a hit re-inserts its key and eviction drops the first key.
 */
export class StatementCache<V> {
  readonly #entries = new Map<string, V>();

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
    const value = this.#entries.get(sql);
    if (value !== undefined) {
      this.#entries.delete(sql);
      this.#entries.set(sql, value);
    }
    return value;
  }

  set(sql: string, value: V): void {
    this.#entries.delete(sql);
    this.#entries.set(sql, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        const evicted = this.#entries.get(oldest.value);
        this.#entries.delete(oldest.value);
        if (evicted !== undefined) this.onEvict?.(evicted, oldest.value);
      }
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
