/**
 * The options of `inTransaction(fn, options)`: checked once against the database in use, and
 * turned into the statements that open the transaction (driver/transaction-begin.ts). Postgres
 * takes an isolation level and access mode (`BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY
 * DEFERRABLE`), MySQL an isolation level and access mode (`SET TRANSACTION ISOLATION LEVEL …`,
 * `START TRANSACTION READ ONLY`), SQLite a locking behavior (`BEGIN IMMEDIATE`); an option the
 * database cannot honour is refused, never ignored.
 * `retry` re-runs the whole callback after a TransactionConflictError (transaction-retry.ts).
 */
import type { Dialect } from "./dialect/dialect.js";
import type { IsolationLevel, SqliteBehavior, TransactionOptions } from "./driver/driver.js";
import { ConfigurationError, NotSupportedError, TransactionError } from "./errors.js";

export interface InTransactionOptions {
  /**
   * Postgres and MySQL. Default: read committed (Postgres' `default_transaction_isolation`;
   * the session setting yara gives every MySQL connection).
   */
  readonly isolation?: IsolationLevel;
  /** Postgres and MySQL: `READ ONLY`; a write inside fails (SQLSTATE 25006, MySQL ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION). */
  readonly readOnly?: boolean;
  /** Postgres only, with isolation "serializable" and readOnly: waits for a safe snapshot. */
  readonly deferrable?: boolean;
  /** SQLite only. Default "immediate". */
  readonly behavior?: SqliteBehavior;
  /**
   * Runs the callback again, up to this many more times, when the transaction fails with a
   * TransactionConflictError (serialization failure or deadlock). Default 0. The callback must
   * be safe to re-run: only its database work is rolled back.
   */
  readonly retry?: number;
}

/** The part of the options that shapes BEGIN. */
export type TransactionMode = Pick<
  TransactionOptions,
  "isolation" | "readOnly" | "deferrable" | "behavior"
>;

const ISOLATION: readonly IsolationLevel[] = ["serializable", "repeatable read", "read committed"];
const BEHAVIOR: readonly SqliteBehavior[] = ["deferred", "immediate", "exclusive"];
/**
 * The options `inTransaction` accepts, listed once (`using` is read by transaction.ts); anything
 * else is refused with a ConfigurationError naming them.
 */
export const TRANSACTION_OPTION_KEYS: readonly string[] = [
  "using",
  "isolation",
  "readOnly",
  "deferrable",
  "behavior",
  "retry",
];
const KEYS = new Set(TRANSACTION_OPTION_KEYS);
const POSTGRES_ONLY = ["isolation", "readOnly", "deferrable"] as const;

/** Checks `options` for `dialect`; throws a ConfigurationError or NotSupportedError naming the problem. */
export function transactionOptions(
  options: InTransactionOptions | undefined,
  dialect: Dialect,
): { readonly mode: TransactionMode; readonly retry: number } {
  if (options === undefined) return { mode: {}, retry: 0 };
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError("inTransaction's options must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!KEYS.has(key)) {
      throw new ConfigurationError(
        `unknown inTransaction option "${key}"; known: ${TRANSACTION_OPTION_KEYS.join(", ")}`,
      );
    }
  }
  const { isolation, readOnly, deferrable, behavior, retry = 0 } = options;
  if (isolation !== undefined && !ISOLATION.includes(isolation)) {
    throw new ConfigurationError(
      `isolation must be one of ${ISOLATION.map((i) => `"${i}"`).join(", ")}, got ${JSON.stringify(isolation)}`,
    );
  }
  for (const [key, value] of [
    ["readOnly", readOnly],
    ["deferrable", deferrable],
  ] as const) {
    if (value !== undefined && typeof value !== "boolean") {
      throw new ConfigurationError(`${key} must be true or false, got ${JSON.stringify(value)}`);
    }
  }
  if (behavior !== undefined && !BEHAVIOR.includes(behavior)) {
    throw new ConfigurationError(
      `behavior must be one of ${BEHAVIOR.map((b) => `"${b}"`).join(", ")}, got ${JSON.stringify(behavior)}`,
    );
  }
  if (!Number.isInteger(retry) || retry < 0) {
    throw new ConfigurationError(
      `retry must be a whole number of extra attempts (0 or more), got ${JSON.stringify(retry)}`,
    );
  }
  const { supports } = dialect;
  if (!supports.lockingBehaviors && behavior !== undefined) {
    throw new NotSupportedError(
      `behavior "${behavior}" is a SQLite locking mode; ${dialect.title} does not have it` +
        (supports.isolationLevels
          ? ': choose an isolation level (isolation: "serializable" | "repeatable read" | "read committed") and readOnly' +
            (supports.deferrable ? " / deferrable" : "")
          : ""),
      dialect.name,
    );
  }
  if (!supports.isolationLevels) {
    const given = POSTGRES_ONLY.filter((key) => options[key] !== undefined);
    if (given.length > 0) {
      throw new NotSupportedError(
        `${given.join(", ")} ${given.length > 1 ? "are" : "is a"} Postgres transaction option${given.length > 1 ? "s" : ""}; ` +
          `${dialect.title} does not have ${given.length > 1 ? "them" : "it"}` +
          (supports.lockingBehaviors
            ? ': its transactions are always serializable; choose when they lock with behavior ("deferred" | "immediate" | "exclusive")'
            : ""),
        dialect.name,
      );
    }
  }
  if (supports.isolationLevels && !supports.deferrable && deferrable !== undefined) {
    throw new NotSupportedError(
      `deferrable is a Postgres transaction option (a serializable read-only transaction waiting for a snapshot no concurrent write can invalidate); ${dialect.title} does not have it: ` +
        "leave it out (isolation and readOnly work)",
      dialect.name,
    );
  }
  if (deferrable === true && (isolation !== "serializable" || readOnly !== true)) {
    throw new ConfigurationError(
      'deferrable only has an effect on a serializable read-only transaction: pass isolation: "serializable" and readOnly: true with it',
    );
  }
  const mode: { -readonly [K in keyof TransactionMode]: TransactionMode[K] } = {};
  if (isolation !== undefined) mode.isolation = isolation;
  if (readOnly !== undefined) mode.readOnly = readOnly;
  if (deferrable !== undefined) mode.deferrable = deferrable;
  if (behavior !== undefined) mode.behavior = behavior;
  return { mode, retry };
}

/**
 * A nested inTransaction becomes a savepoint of the outer transaction, which cannot change its
 * isolation, access mode or locking: asking for a different one is refused.
 */
export function checkNestedMode(
  outer: TransactionMode,
  inner: TransactionMode,
  retry: number,
): void {
  if (retry > 0) {
    throw new TransactionError(
      "retry re-runs a whole transaction, but this inTransaction is nested in another (it becomes a savepoint); " +
        "pass retry to the outermost inTransaction",
    );
  }
  for (const key of ["isolation", "readOnly", "deferrable", "behavior"] as const) {
    const wanted = inner[key];
    if (wanted === undefined || wanted === outer[key]) continue;
    if (key === "readOnly" && wanted === false && outer.readOnly === undefined) continue;
    throw new TransactionError(
      `a nested inTransaction asks for ${key} ${JSON.stringify(wanted)}, but it runs as a savepoint of a ` +
        `transaction opened with ${outer[key] === undefined ? `no ${key} option` : `${key} ${JSON.stringify(outer[key])}`}, ` +
        "and a savepoint cannot change it: give the option to the outermost inTransaction",
    );
  }
}
