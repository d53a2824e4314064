/**
 * `distinct("author", …)`: one row per distinct value of those paths, Postgres' `SELECT
 * DISTINCT ON (…)`. Postgres requires the DISTINCT ON expressions to be the leftmost ORDER BY
 * terms, and picks the first row of each group under the ordering; so the ordering written is
 * kept and the distinct paths it does not start with are moved (keeping the direction written)
 * or added (ascending) in front of the rest: `distinct("author").orderBy("-price")` orders by
 * `author, -price`, the most expensive book of each author. SQLite has no DISTINCT ON: a
 * NotSupportedError there, never rows picked some other way.
 */
import type { Dialect } from "../dialect/dialect.js";
import { NotSupportedError } from "../errors.js";
import type { ModelMeta } from "../model/meta.js";

const nameOf = (term: string): string => (term.startsWith("-") ? term.slice(1) : term);

/** `ordering` with the distinct `fields` as its leftmost terms, as Postgres requires. */
export function distinctOnOrdering(
  fields: readonly string[],
  ordering: readonly string[],
): string[] {
  const wanted = new Set(fields);
  const lead: string[] = [];
  const led = new Set<string>();
  let i = 0;
  for (; i < ordering.length; i++) {
    const name = nameOf(ordering[i]!);
    if (!wanted.has(name) || led.has(name)) break;
    lead.push(ordering[i]!);
    led.add(name);
  }
  const rest = ordering.slice(i);
  const missing = [...wanted].filter((f) => !led.has(f));
  const moved = missing.map((f) => rest.find((o) => nameOf(o) === f) ?? f);
  return [...lead, ...moved, ...rest.filter((o) => !missing.includes(nameOf(o)))];
}

/** Refuses DISTINCT ON where the database has none. */
export function checkDistinctOn(meta: ModelMeta, fields: readonly string[], dialect: Dialect) {
  if (dialect.supports.distinctOn) return;
  const list = fields.map((f) => JSON.stringify(f)).join(", ");
  throw new NotSupportedError(
    `${meta.name}: distinct(${list}) is SELECT DISTINCT ON, which ${dialect.name} does not have ` +
      "(Postgres only); use distinct() without fields, on values(), or groupBy() instead",
    dialect.name,
  );
}
