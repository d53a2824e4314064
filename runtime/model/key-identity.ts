/**
 * A primary key's identity as the database compares it, for refusing a list that names one row
 * twice (bulk-update.ts). The key is checked as a filter value of its field (dialect/encode.ts),
 * which makes it canonical: an integer whatever its JavaScript type (5 and 5n are one key, on an
 * IntField and on a BigIntField alike), a UUID in lower case (Postgres stores a uuid, and MariaDB
 * and SQLite are sent the lower-case text of every UUID, dialect/mysql/store.ts). Text keys
 * stay as they are: every database compares them byte-exact (MariaDB's utf8mb4_nopad_bin).
 * Primary keys are a single integer, string or UUID field (schema/scalar.ts), so there is no
 * composite key to combine.
 */
import { encodeValue } from "../dialect/encode.js";
import type { FieldMeta } from "./meta.js";

const FILTER = { dialect: undefined, mode: "filter" } as const;

/**
 * The text two keys of `field` share only when the database holds them equal; undefined for a
 * key the field refuses (compared with nothing: the value checks refuse it, with the field's
 * message).
 */
export function keyIdentity(model: string, field: FieldMeta, key: unknown): string | undefined {
  let checked: unknown;
  try {
    checked = encodeValue({ ...FILTER, model }, field, key);
  } catch {
    return undefined;
  }
  if (typeof checked === "number" || typeof checked === "bigint") return `n${String(checked)}`;
  return `${typeof checked}:${String(checked)}`;
}
