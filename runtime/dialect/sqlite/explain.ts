/**
 * SQLite's `explain()`: `EXPLAIN QUERY PLAN <select>`, whose rows form a tree (`id`, `parent`,
 * `detail`), drawn as the sqlite3 shell draws it:
 *
 *     |--SCAN books
 *     `--USE TEMP B-TREE FOR ORDER BY
 */
import type { Driver, Param, Result } from "../../driver/driver.js";

export async function explainSqlite(
  driver: Driver,
  sql: string,
  params: readonly Param[],
): Promise<string> {
  return sqliteTree(await driver.query(`EXPLAIN QUERY PLAN ${sql}`, params));
}

interface PlanRow {
  readonly id: number;
  readonly parent: number;
  readonly detail: string;
}

/** The rows of EXPLAIN QUERY PLAN (id, parent, notused, detail) drawn as a tree. */
function sqliteTree(result: Result): string {
  const rows: PlanRow[] = [];
  for (let i = 0; i < result.rowCount; i++)
    rows.push({
      id: result.reader.int(0, i),
      parent: result.reader.int(1, i),
      detail: result.reader.text(3, i),
    });
  const lines: string[] = [];
  const draw = (parent: number, prefix: string): void => {
    const children = rows.filter((r) => r.parent === parent);
    children.forEach((row, k) => {
      const last = k === children.length - 1;
      lines.push(`${prefix}${last ? "`--" : "|--"}${row.detail}`);
      if (row.id !== parent) draw(row.id, `${prefix}${last ? "   " : "|  "}`);
    });
  };
  draw(0, "");
  return lines.join("\n");
}
