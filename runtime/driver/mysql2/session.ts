/**
 * The session settings every mysql2 connection gets before its first statement, so MariaDB
 * behaves as the other two databases do (docs/mysql.md, "Session settings"):
 * - `sql_mode`: ANSI_QUOTES ("x" is an identifier, as the compiler writes them), PIPES_AS_CONCAT
 *   (`||` concatenates), NO_BACKSLASH_ESCAPES (a backslash in a literal is a backslash, as the
 *   LIKE escape `ESCAPE '\'` and GROUP_CONCAT separators are written), STRICT_ALL_TABLES (a
 *   value that does not fit is an error, never truncated), ERROR_FOR_DIVISION_BY_ZERO (with strict
 *   mode, a division by zero written by INSERT or UPDATE is an error, not a NULL written over the
 *   data), NO_ENGINE_SUBSTITUTION;
 * - `time_zone` UTC: datetimes are stored and read as UTC wall-clock times;
 * - READ COMMITTED, Postgres' default isolation (MariaDB's is REPEATABLE READ);
 * - the connection's collation `utf8mb4_nopad_bin`: literals and computed text compare byte-exact
 *   and without PAD SPACE (`utf8mb4_bin` says 'a' = 'a '), as every column yara creates does;
 * - a GROUP_CONCAT limit of 1 GiB (the largest packet MariaDB sends) rather than 1 MiB, which would cut StringAgg short silently.
 */
export const SESSION_SETTINGS: readonly string[] = [
  "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin",
  "SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'",
  "SET SESSION time_zone = '+00:00'",
  "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
  "SET SESSION group_concat_max_len = 1073741824",
];

/** The oldest MariaDB with everything the dialect uses (JSON_TABLE, JSON_VALUE, PCRE2 REGEXP, utf8mb4_nopad_bin). */
export const MIN_MARIADB: readonly [number, number] = [10, 11];

/**
 * Why the server reporting `version` cannot be used, or undefined when it can. MySQL (not
 * MariaDB) is refused for what it spells differently and no test here can run: the servers
 * yara has been tested on are MariaDB only (docs/mysql.md, "MySQL 8"). Its lack of
 * INSERT … RETURNING is no longer a reason: create() and bulkCreate() read rows back by key
 * there (model/insert-read-back.ts).
 */
export function serverProblem(version: string): string | undefined {
  if (!/mariadb/i.test(version)) {
    return (
      `the server is MySQL ${version.split("-")[0]}, which yara does not support yet: MySQL spells ` +
      "differently what yara's MySQL dialect relies on, and no MySQL server has tested it — the " +
      "byte-exact text collation (MariaDB's utf8mb4_nopad_bin is utf8mb4_0900_bin on MySQL), regular " +
      "expressions (ICU rather than PCRE2) and JSON columns (a binary type that rewrites the text " +
      "stored). Use MariaDB 10.11 or later"
    );
  }
  const [major, minor] = version.split(/[.-]/).map(Number);
  if (major! < MIN_MARIADB[0] || (major === MIN_MARIADB[0] && minor! < MIN_MARIADB[1]))
    return `the server is MariaDB ${major}.${minor}; yara needs MariaDB ${MIN_MARIADB.join(".")} or later`;
  return undefined;
}
