/**
 * `distinct("author", …)`: one row per distinct value of those paths, Postgres' `SELECT
 * DISTINCT ON (…)`. Postgres requires the DISTINCT ON expressions to be the leftmost ORDER BY
 * terms, and picks the first row of each group under the ordering; so the ordering written is
 * kept and the distinct paths it does not start with are moved (keeping the direction written)
 * or added (ascending) in front of the rest: `distinct("author").orderBy("-price")` orders by
 * `author, -price`, the most expensive book of each author. SQLite has no DISTINCT ON: a
 * NotSupportedError there (compiler.ts), never rows picked some other way.
 */
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

/**
 * How a query asked for DISTINCT ON, as the NotSupportedError of a database without it starts
 * (`Book: distinct("authorId")`): the dialect's compiler refuses it there
 * (Dialect.supports.distinctOn), before anything is sent.
 */
export function distinctOnAsked(meta: ModelMeta, fields: readonly string[]): string {
  return `${meta.name}: distinct(${fields.map((f) => JSON.stringify(f)).join(", ")})`;
}
