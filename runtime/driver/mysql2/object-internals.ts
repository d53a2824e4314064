/**
 * Whether mysql2 may be unable to build its generated (fast) row parser for a statement.
 * mysql2 refuses, even for rows read as arrays, a result column named like one of an object's
 * internals (`__proto__`, `__defineGetter__`, …); its slower interpreted parser reads them.
 * A result column's name is an alias, a column or an expression written in the statement —
 * so in its text — or a column a `*` expands to. A statement whose text names no such
 * internal and has no `*` other than `COUNT(*)`'s gets the generated parser; any other takes
 * the interpreted one (a `*` that is a multiplication only costs speed).
 */
const INTERNALS = /__(?:proto|defineGetter|defineSetter|lookupGetter|lookupSetter)__/;

export function mayNameObjectInternals(sql: string): boolean {
  // Runs on every statement: the common case (no "*", no "__") costs two scans and no copy.
  if (sql.includes("*") && sql.replaceAll("(*)", "").includes("*")) return true;
  return sql.includes("__") && INTERNALS.test(sql);
}
