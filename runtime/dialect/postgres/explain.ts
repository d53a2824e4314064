/** Postgres' `explain()`: `EXPLAIN <select>`, its lines as they are. */
import type { Driver, Param } from "../../driver/driver.js";

export async function explainPostgres(
  driver: Driver,
  sql: string,
  params: readonly Param[],
): Promise<string> {
  const result = await driver.query(`EXPLAIN ${sql}`, params);
  const lines: string[] = [];
  for (let i = 0; i < result.rowCount; i++) lines.push(result.reader.text(0, i));
  return lines.join("\n");
}
