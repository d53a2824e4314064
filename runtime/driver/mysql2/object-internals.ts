/**
 * Whether mysql2 may be unable to build its generated (fast) row parser for a statement.
 * mysql2 refuses, even for rows read as arrays, a result column named like one of an object's
 * internals (`__proto__`, `__defineGetter__`, …); its slower interpreted parser reads them.
 * A result column's name is an alias, a column or an expression written in the statement —
 * so in its text — or a column a `*` expands to. A statement whose text names no such
 * internal and has no `*` other than `COUNT(*)`'s or one inside a quoted string or name (the
 * `'$[*]'` of the JSON_TABLE a bound list is read through) gets the generated parser; any
 * other takes the interpreted one (a `*` that is a multiplication only costs speed).
 */
const INTERNALS = /__(?:proto|defineGetter|defineSetter|lookupGetter|lookupSetter)__/;

/** Quoted strings and names, in the order they start; none holds a backslash (see below). */
const QUOTED = /'[^']*'|"[^"]*"|`[^`]*`/g;

/**
 * Comment starts and the backslash: a quote inside a comment, or one a backslash escapes
 * (outside NO_BACKSLASH_ESCAPES), would pair the quotes wrongly, so with any of these every
 * `*` counts, quoted or not.
 */
const UNSURE = /\\|#|--|\/\*/;

export function mayNameObjectInternals(sql: string): boolean {
  // Runs on every statement: the common case (no "*", no "__") costs two scans and no copy.
  if (sql.includes("*") && expandingStar(sql)) return true;
  return sql.includes("__") && INTERNALS.test(sql);
}

/** Whether `sql` has a `*` outside COUNT(*), quoted strings and quoted names. */
function expandingStar(sql: string): boolean {
  const text = sql.includes("'") || sql.includes('"') || sql.includes("`") ? unquoted(sql) : sql;
  return text.replaceAll("(*)", "").includes("*");
}

/** `sql` without the insides of its quoted strings and names; itself when unsure how they pair. */
function unquoted(sql: string): string {
  return UNSURE.test(sql) ? sql : sql.replace(QUOTED, "''");
}
