/**
 * The `?` placeholders of a statement as MariaDB reads it with yara's session (driver/mysql2/
 * session.ts: ANSI_QUOTES, NO_BACKSLASH_ESCAPES): not inside a '…' string, a "…" or `…`
 * identifier, or a comment (`-- ` or `#` to the end of the line, `/* … *\/` — but an executable
 * comment, `/*! … *\/`, is SQL). mysql2 binds a prepared statement's parameters without comparing
 * their count with the statement's, and one parameter too many shifts the others into garbage
 * it then writes (`"\u0000\u0003Zed"` for "Zed"), so raw statements count them first.
 */
export function countPlaceholders(sql: string): number {
  let count = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "?") count++;
    else if (c === "'" || c === '"' || c === "`") {
      // A doubled quote inside is read as two strings back to back: the same count.
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end;
    } else if (c === "#" || (c === "-" && sql[i + 1] === "-" && /[\s]/.test(sql[i + 2] ?? "\n"))) {
      const end = sql.indexOf("\n", i);
      i = end < 0 ? sql.length : end;
    } else if (c === "/" && sql[i + 1] === "*" && sql[i + 2] !== "!") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 1;
    }
  }
  return count;
}
