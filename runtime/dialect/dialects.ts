/** The per-dialect facts the query layer needs: a compiler and the bind-parameter limit. */
import type { QueryCompiler } from "../compiler/compiler.js";
import type { Dialect } from "../driver/driver.js";
import { PostgresCompiler } from "./postgres.js";
import { SqliteCompiler } from "./sqlite.js";

export interface DialectSpec {
  readonly name: Dialect;
  /**
   * Most bind parameters the dialect's protocol allows one statement. A default only: each
   * driver reports its own ceiling (`Driver.maxParams`), which is what the runtime batches by.
   */
  readonly maxParams: number;
  readonly compiler: QueryCompiler;
}

const SPECS: Record<Dialect, DialectSpec> = {
  postgres: { name: "postgres", maxParams: 65_535, compiler: new PostgresCompiler() },
  sqlite: { name: "sqlite", maxParams: 32_766, compiler: new SqliteCompiler() },
};

export function dialectSpec(dialect: Dialect): DialectSpec {
  return SPECS[dialect];
}
