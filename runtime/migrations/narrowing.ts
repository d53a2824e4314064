/**
 * What an altered column may not keep: rows whose value the new field cannot store exactly.
 * Left to the databases, Postgres' `ALTER COLUMN … TYPE t USING col::t` casts explicitly, which
 * cuts text to the new length and rounds fractions without an error, and SQLite's table rebuild
 * copies values as they are stored, which leaves a fraction in an INTEGER column. So a migration
 * first looks for such rows and fails, naming the field and what a row holds, before anything
 * changes (the dialects write the check: postgres/alter-table.ts, sqlite/rebuild-table.ts).
 * A change of kind the databases convert differently is refused for any value at all.
 */
import { integerRange } from "../dialect/integer-operand.js";
import type { FieldKind, FieldMeta } from "../model/meta.js";

export type Narrowing =
  /** Any value: the kinds convert differently on each database (a datetime to a date, text to JSON). */
  | { readonly to: "kind"; readonly from: FieldKind; readonly kind: FieldKind }
  /** Text (or the text of a value) longer than `max` characters. */
  | { readonly to: "length"; readonly max: number }
  /** A fraction, or an integer outside `min`…`max`. */
  | { readonly to: "integer"; readonly min: bigint; readonly max: bigint }
  /** More than `places` decimal places, or more than `digits - places` digits before the point. */
  | { readonly to: "decimal"; readonly digits: number; readonly places: number };

const TEXT_KINDS: ReadonlySet<FieldKind> = new Set(["char", "charEnum"]);
const NUMBERS: ReadonlySet<FieldKind> = new Set([
  "int",
  "smallint",
  "bigint",
  "intEnum",
  "float",
  "decimal",
]);

/** Integers, floats and decimals: the kinds whose values the checks compare as numbers. */
export function isNumberKind(kind: FieldKind): boolean {
  return NUMBERS.has(kind);
}
const TEXTS: ReadonlySet<FieldKind> = new Set(["char", "text", "charEnum"]);
const INTEGERS: ReadonlySet<FieldKind> = new Set(["int", "smallint", "bigint", "intEnum"]);

/**
 * Whether every value of kind `from` that a field of kind `to` can hold becomes the same value
 * on every database (the checks below refuse the others): text from text, integers, decimals,
 * UUIDs and dates (their text is the same on both); integers from integers, text, floats and
 * decimals; decimals and floats from numbers. Not, for instance, a datetime to a date (Postgres
 * drops the time, SQLite keeps the text), a boolean to text (`true` or `1`), text to JSON.
 */
function convertsExactly(from: FieldKind, to: FieldKind): boolean {
  if (from === to) return true;
  if (TEXTS.has(to))
    return TEXTS.has(from) || INTEGERS.has(from) || ["decimal", "uuid", "date"].includes(from);
  if (INTEGERS.has(to))
    return INTEGERS.has(from) || TEXTS.has(from) || from === "float" || from === "decimal";
  if (to === "decimal") return INTEGERS.has(from) || from === "float";
  if (to === "float") return INTEGERS.has(from) || from === "decimal";
  return false;
}

/** What `f1` may not hold of the values `f0` holds, or undefined when it holds every one. */
export function narrowing(f0: FieldMeta, f1: FieldMeta): Narrowing | undefined {
  if (!convertsExactly(f0.kind, f1.kind)) return { to: "kind", from: f0.kind, kind: f1.kind };
  if (TEXT_KINDS.has(f1.kind) && f1.maxLength !== undefined) {
    const wider = TEXT_KINDS.has(f0.kind) && f0.maxLength !== undefined;
    return wider && f0.maxLength! <= f1.maxLength ? undefined : { to: "length", max: f1.maxLength };
  }
  const range = integerRange(f1.kind);
  if (range !== undefined) {
    const from = integerRange(f0.kind);
    if (from !== undefined && from[0] >= range[0] && from[1] <= range[1]) return undefined;
    return { to: "integer", min: range[0], max: range[1] };
  }
  if (f1.kind === "decimal" && f1.maxDigits !== undefined && f1.decimalPlaces !== undefined) {
    const places = f1.decimalPlaces;
    const digits = f1.maxDigits;
    if (
      f0.kind === "decimal" &&
      f0.maxDigits !== undefined &&
      f0.decimalPlaces !== undefined &&
      f0.decimalPlaces <= places &&
      f0.maxDigits - f0.decimalPlaces <= digits - places
    )
      return undefined;
    return { to: "decimal", digits, places };
  }
  return undefined;
}

/** The error a migration fails with when a row holds what `n` refuses. */
export function narrowingMessage(model: string, field: string, n: Narrowing): string {
  if (n.to === "kind")
    return (
      `${model}.${field}: a row holds a value, and ${article(n.from)} field does not become ${article(n.kind)} ` +
      "field with the same value on every database; move the values yourself (add the new field, " +
      "fill it in a runSql or runCode step, remove the old one), or empty the column first"
    );
  const what =
    n.to === "length"
      ? `text longer than ${n.max} characters`
      : n.to === "integer"
        ? `a value that is not a whole number from ${n.min} to ${n.max}`
        : `a number with more than ${plural(n.places, "decimal place")} or ${plural(n.digits - n.places, "digit")} before the point`;
  return (
    `${model}.${field}: a row holds ${what}, which the altered field cannot store exactly; ` +
    "update or delete those rows first (in an earlier migration, or a runSql step before this one)"
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function article(kind: FieldKind): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind}`;
}
