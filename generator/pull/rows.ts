/** Rows of a catalog query as plain objects (cells as the driver reads them, bigints as numbers). */
import type { Driver, Param } from "yara-orm/internal";

export async function rowsOf(
  db: Driver,
  sql: string,
  params: readonly Param[] = [],
): Promise<Record<string, unknown>[]> {
  const result = await db.query(sql, params);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < result.rowCount; i++) {
    const row: Record<string, unknown> = {};
    result.columns.forEach((name, c) => {
      const v = result.reader.value(c, i);
      row[name] = typeof v === "bigint" ? Number(v) : v;
    });
    rows.push(row);
  }
  return rows;
}
