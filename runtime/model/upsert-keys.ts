/**
 * A bulk upsert (`bulkCreate` with `onConflict: { update }`) listing one conflict key twice is
 * refused before any SQL. The databases disagree on it: Postgres refuses the statement ("ON
 * CONFLICT DO UPDATE command cannot affect row a second time", and only when both rows share a
 * statement), SQLite and MariaDB write the row twice and return an instance per input row, the
 * earlier ones stale.
 *
 * Keys compare as the database compares them: the values as checked (query/insert.ts), which
 * makes them canonical — a decimal's text with the field's places, a datetime's instant, an
 * integer whatever its JavaScript type, a UUID in lower case, a relation instance its key. A
 * NULL in a conflict column matches nothing (UNIQUE treats NULLs as distinct), and a column the
 * database fills (identity, dbDefault) is left to it.
 */
import { ValidationError } from "../errors.js";
import { writableField } from "../query/mutate.js";
import type { InsertRow } from "../query/insert.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import { checkedKeyText } from "./key-identity.js";

export class UpsertKeys {
  readonly #fields: readonly FieldMeta[];
  /** Input position of the first row with each key. */
  readonly #seen = new Map<string, number>();

  /** `names`: the conflict fields as the caller wrote them (a relation names its key field). */
  constructor(
    private readonly meta: ModelMeta,
    private readonly names: readonly string[],
  ) {
    this.#fields = names.map((name) => writableField(meta, name).field);
  }

  /** Records the key of `row`, input row `index`; a ValidationError when an earlier row has it. */
  add(row: InsertRow, index: number): void {
    const values: unknown[] = [];
    for (const field of this.#fields) {
      const at = row.fields.indexOf(field);
      const value = at < 0 ? null : row.values[at];
      if (value === null || value === undefined) return;
      values.push(value);
    }
    const key = JSON.stringify(values.map(checkedKeyText));
    const first = this.#seen.get(key);
    if (first === undefined) {
      this.#seen.set(key, index);
      return;
    }
    // The fields, not the values: refused values never appear in messages (dialect/encode.ts).
    throw new ValidationError(
      `${this.meta.name}: bulkCreate() rows ${first} and ${index} have the same conflict key ` +
        `(${this.names.join(", ")}); an upsert writes each row once per call: merge them, or send them in separate calls`,
      this.meta.name,
      this.names.length === 1 ? this.names[0] : undefined,
    );
  }
}
