/**
 * `explain()`: the database's plan for the SELECT a query sends, as one string. Postgres runs
 * `EXPLAIN <select>` and gives its lines as they are; SQLite runs `EXPLAIN QUERY PLAN <select>`,
 * whose rows form a tree (`id`, `parent`, `detail`), drawn as the sqlite3 shell draws it:
 *
 *     |--SCAN books
 *     `--USE TEMP B-TREE FOR ORDER BY
 *
 * The values bound are the query's own; nothing runs but the planner.
 */
import type { CompiledQuery } from "../compiler/compiler.js";
import type { Dialect, Result } from "../driver/driver.js";
import { currentDriver } from "../transaction.js";

export async function explainPlan(compile: (dialect: Dialect) => CompiledQuery): Promise<string> {
  const driver = currentDriver();
  const { sql, params } = compile(driver.dialect);
  if (driver.dialect === "postgres") {
    const result = await driver.query(`EXPLAIN ${sql}`, params);
    const lines: string[] = [];
    for (let i = 0; i < result.rowCount; i++) lines.push(result.reader.text(0, i));
    return lines.join("\n");
  }
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
