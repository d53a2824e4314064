/** Compiles a statement for the current connection's dialect and sends it. */
import type { CompiledQuery, StatementNode } from "../compiler/compiler.js";
import type { Driver, QueryOptions, Result } from "../driver/driver.js";
import type { Dialect } from "../dialect/dialect.js";
import { currentDriver } from "../transaction.js";

export type Builder = (dialect: Dialect) => StatementNode;

export async function runQuery(
  build: Builder,
  options?: QueryOptions,
  driver: Driver = currentDriver(),
): Promise<Result> {
  const { sql, params } = driver.dialect.compiler.compile(build(driver.dialect));
  return driver.query(sql, params, options);
}

/** Sends what `compile` gives for the current connection's dialect (a cached plan, say). */
export function runCompiled(
  compile: (dialect: Dialect) => CompiledQuery,
  options?: QueryOptions,
  driver: Driver = currentDriver(),
): Promise<Result> {
  const { sql, params } = compile(driver.dialect);
  return driver.query(sql, params, options);
}

export async function runExecute(
  build: Builder,
  driver: Driver = currentDriver(),
): Promise<number> {
  const { sql, params } = driver.dialect.compiler.compile(build(driver.dialect));
  return (await driver.execute(sql, params)).rowCount;
}
