/**
 * A key's identity as the database compares it: for refusing a list that names one row twice
 * (bulk-update.ts, `keyIdentity`), and for matching keys held in memory with keys read back
 * (`keyMatch`: prefetchRelated matching a foreign key set in JavaScript, query/prefetch.ts, and
 * inBulk() finding the rows of the values it was given, query/queryset.ts). The key is checked
 * as a filter value of its field (dialect/encode.ts), which makes it canonical: an integer
 * whatever its JavaScript type (5 and 5n are one key, on an IntField and on a BigIntField
 * alike), a UUID in lower case (Postgres stores a uuid, and MariaDB and SQLite are sent the
 * lower-case text of every UUID, dialect/mysql/store.ts). Text keys stay as they are: every
 * database compares them byte-exact (MariaDB's utf8mb4_nopad_bin). Primary keys are a single
 * integer, string or UUID field (schema/scalar.ts), so there is no composite key to combine.
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
  return checkedKeyText(checked);
}

/**
 * A value already checked for its field (dialect/encode.ts) as text that two values share only
 * when the database holds them equal: an integer as a number or a bigint, and -0 as 0, alike;
 * bytes by their hex (also upsert-keys.ts, for a bulk upsert's conflict keys).
 */
export function checkedKeyText(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return `n${String(value)}`;
  if (value instanceof Uint8Array) return `x${hex(value)}`;
  return `${typeof value}:${String(value)}`;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A key of one field as a Map or a Set compares it: two keys give the same value (SameValueZero)
 * exactly when the database holds them equal. For matching keys held in memory (a foreign key
 * set in JavaScript, the values given to inBulk()) with the keys a query read back. Null and
 * undefined come back as they are (they name no row).
 */
export type KeyMatch = (key: unknown) => unknown;

/** Within this range a bigint and the number of its value are one key. */
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An integer key as a number (5n is 5), as a bigint only past 2^53 where no number is exact.
 * A value of another type stays itself: no string, boolean or object is SameValueZero-equal to
 * a number or a bigint, so it matches no integer key (the field refuses it anyway).
 */
function integerKey(key: unknown): unknown {
  if (typeof key !== "bigint") return key;
  return key >= SAFE_MIN && key <= SAFE_MAX ? Number(key) : key;
}

/** A UUID in lower case (a string already in lower case comes back as it is, not copied). */
function uuidKey(key: unknown): unknown {
  return typeof key === "string" ? key.toLowerCase() : key;
}

/** Text keys compare byte-exact on every database (see the top of this file). */
function textKey(key: unknown): unknown {
  return key;
}

/**
 * The KeyMatch of `field` (of model `model`). The kinds a key has (integers, UUIDs, text) take
 * a plain function that allocates nothing for a number key or a lower-case UUID; any other kind
 * (a unique date, decimal, … field inBulk() keys by) takes keyIdentity's text, a value the field
 * refuses matching nothing.
 */
export function keyMatch(model: string, field: FieldMeta): KeyMatch {
  switch (field.kind) {
    case "int":
    case "smallint":
    case "intEnum":
    case "bigint":
      return integerKey;
    case "uuid":
      return uuidKey;
    case "char":
    case "text":
    case "charEnum":
      return textKey;
    default:
      return (key) =>
        key === null || key === undefined
          ? key
          : (keyIdentity(model, field, key) ?? Symbol("refused key"));
  }
}
