/**
 * Streaming by a snapshot of keys: the keys of the rows a query selects are read first, in its
 * order, then the rows are loaded a chunk of keys at a time and yielded in the keys' order.
 * Unlike paging by OFFSET, what the loop writes cannot shift a chunk: each row that matched
 * when the stream started is visited once (read when its chunk is), rows inserted meanwhile are
 * not, rows deleted before their chunk is read are skipped.
 */

/** What `streamByKeys` needs of a query: its keys, its rows by key, the key of a row. */
export interface KeySource<R> {
  /** The keys of the rows, in the order to yield them (read once, when streaming starts). */
  keys(): Promise<readonly unknown[]>;
  /** The rows with these keys, in any order (rows gone meanwhile are missing). */
  load(keys: readonly unknown[]): Promise<readonly R[]>;
  keyOf(row: R): unknown;
}

/** A key as a Map key: the same value decoded as a number or a bigint is one key. */
const mapKey = (key: unknown): unknown =>
  typeof key === "bigint" || typeof key === "number" ? String(key) : key;

/** The rows of `source`, `size` keys a query, in the order of its keys. */
export async function* streamByKeys<R>(source: KeySource<R>, size: number): AsyncGenerator<R> {
  const keys = await source.keys();
  for (let at = 0; at < keys.length; at += size) {
    const chunk = keys.slice(at, at + size);
    const byKey = new Map<unknown, R>();
    for (const row of await source.load(chunk)) byKey.set(mapKey(source.keyOf(row)), row);
    for (const key of chunk) {
      const row = byKey.get(mapKey(key));
      if (row !== undefined) yield row;
    }
  }
}
