/** MariaDB's `explain()`: `EXPLAIN FORMAT=JSON <select>`, the plan as one JSON document. */
import type { Driver, Param } from "../../driver/driver.js";

export async function explainMysql(
  driver: Driver,
  sql: string,
  params: readonly Param[],
): Promise<string> {
  const result = await driver.query(`EXPLAIN FORMAT=JSON ${sql}`, params);
  const lines: string[] = [];
  for (let i = 0; i < result.rowCount; i++) lines.push(result.reader.text(0, i));
  return lines.join("\n");
}
