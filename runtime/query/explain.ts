/**
 * `explain()`: the database's plan for the SELECT a query sends, as one string, as the dialect
 * draws it (Postgres: `EXPLAIN` lines; SQLite: the `EXPLAIN QUERY PLAN` tree). The values bound
 * are the query's own; nothing runs but the planner.
 */
import type { CompiledQuery } from "../compiler/compiler.js";
import type { Dialect } from "../dialect/dialect.js";
import type { Driver } from "../driver/driver.js";

export async function explainPlan(
  compile: (dialect: Dialect) => CompiledQuery,
  driver: Driver,
): Promise<string> {
  const { sql, params } = compile(driver.dialect);
  return driver.dialect.explain(driver, sql, params);
}
