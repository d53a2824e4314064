/**
 * An altered enum field whose rows hold a value it no longer lists: a member removed from a
 * CharEnumField or IntEnumField (its maxLength shrunk with it), or a text or integer field made
 * an enum. Left to the table change, the database refuses the new CHECK in its own words
 * ("check constraint … is violated by some row", "CHECK constraint failed"), or the length
 * check of narrowing.ts fires first and speaks of text longer than the new maxLength, neither
 * naming the members the user removed. So the change first counts those rows, on the
 * migration's transaction before any statement of the table change, and fails naming the field,
 * the removed members the rows hold and how many (never any other value a row holds), and what
 * to do. One step for every dialect: a query, not SQL that raises (`migrations sql` prints its
 * description).
 */
import { quoteIdent, quoteString } from "../dialect/ddl-columns.js";
import type { FieldMeta } from "../model/meta.js";
import type { CodeStep } from "./operation.js";
import { matchedFields, type TableChange } from "./table-change.js";

type Member = string | number;

const ENUM_KINDS = new Set(["charEnum", "intEnum"]);
const TEXTS = new Set(["char", "text", "charEnum"]);
const INTEGERS = new Set(["int", "smallint", "bigint", "intEnum"]);

/**
 * `f1`'s members, when `f1` is an enum that does not list every value `f0` may hold. An integer
 * enum from a kind other than an integer is left to the checks of narrowing.ts (a fraction, text
 * that is no number).
 */
function narrowedMembers(f0: FieldMeta, f1: FieldMeta): readonly Member[] | undefined {
  const members = f1.enumValues;
  if (!ENUM_KINDS.has(f1.kind) || members === undefined || members.length === 0) return undefined;
  if (f1.kind === "intEnum" && !INTEGERS.has(f0.kind)) return undefined;
  if (f0.kind === f1.kind && f0.enumValues !== undefined && f0.enumValues.length > 0)
    return f0.enumValues.every((v) => members.includes(v)) ? undefined : members;
  return members;
}

/** The steps refusing a change of `change.from` to `change.to` while rows hold an unlisted value. */
export function enumMemberChecks(change: TableChange): CodeStep[] {
  const steps: CodeStep[] = [];
  for (const [f0, f1] of matchedFields(change)) {
    const members = narrowedMembers(f0, f1);
    if (members === undefined) continue;
    // The old enum's members the new one drops; any value when the old field was no enum.
    const removed =
      f0.kind === f1.kind && f0.enumValues !== undefined
        ? f0.enumValues.filter((v) => !members.includes(v))
        : [];
    steps.push(check(change, f0, f1, members, removed));
  }
  return steps;
}

function literal(value: Member): string {
  return typeof value === "number" ? String(value) : quoteString(value);
}

function shown(value: Member): string {
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

function rows(count: number): string {
  return count === 1 ? "1 row holds" : `${count} rows hold`;
}

function check(
  change: TableChange,
  f0: FieldMeta,
  f1: FieldMeta,
  members: readonly Member[],
  removed: readonly Member[],
): CodeStep {
  // Before the table change: the old table and column names.
  const table = quoteIdent(change.from.table);
  const column = quoteIdent(f0.column);
  // A char enum compares the text of a value of another kind (an integer, a decimal, a date).
  const col = f1.kind === "charEnum" && !TEXTS.has(f0.kind) ? `CAST(${column} AS TEXT)` : column;
  const unlisted = `${col} IS NOT NULL AND ${col} NOT IN (${members.map(literal).join(", ")})`;
  const counts = removed.map(
    (v, i) => `sum(CASE WHEN ${col} = ${literal(v)} THEN 1 ELSE 0 END) AS ${quoteIdent(`r${i}`)}`,
  );
  const sql = `SELECT ${[`count(*) AS "total"`, ...counts].join(", ")} FROM ${table} WHERE ${unlisted}`;
  const field = `${change.to.name}.${f1.name}`;
  const step: CodeStep = async (db) => {
    const [row] = await db.query(sql);
    const total = Number(row?.total ?? 0);
    if (total === 0) return;
    const counted = removed.map((_v, i) => Number(row?.[`r${i}`] ?? 0));
    const held = removed.flatMap((v, i) =>
      counted[i]! > 0 ? [`${rows(counted[i]!)} ${shown(v)}`] : [],
    );
    const other = total - counted.reduce((sum, n) => sum + n, 0);
    throw new Error(enumMessage(field, members, held, other));
  };
  return Object.assign(step, {
    description:
      `-- refuse the change while rows of ${table}.${column} hold a value ${field} no longer lists: ` +
      sql,
  });
}

/**
 * `Item.status: 2 rows hold "archived" (removed from the enum's values); the altered field lists
 * only "draft", "published": …`: the removed members held and how many rows hold each, then any
 * other unlisted values by count alone.
 */
function enumMessage(
  field: string,
  members: readonly Member[],
  held: readonly string[],
  other: number,
): string {
  const parts: string[] = [];
  if (held.length > 0) parts.push(`${held.join(", ")} (removed from the enum's values)`);
  if (other > 0) parts.push(`${rows(other)} a value that is not one of the enum's values`);
  return (
    `${field}: ${parts.join("; ")}; the altered field lists only ${members.map(shown).join(", ")}: ` +
    "update those rows to one of these values (or delete them) first, in a data migration " +
    "(an earlier migration, or a runSql or runCode step before this one)"
  );
}
