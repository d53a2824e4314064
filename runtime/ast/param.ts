import type { Param } from "../driver/driver.js";
import type { FieldMeta } from "../model/meta.js";
import { node } from "./node.js";

/** The field a bound value belongs to: the dialect stores the value as that column holds it. */
export interface StoredAs {
  readonly model: string;
  readonly field: FieldMeta;
}

/**
 * A bound value. The compiler numbers it. With `column`, `value` is the field's value as
 * field-checks.ts accepted it, the same for every database, and the compiler stores it for its
 * dialect (`Dialect.store`: SQLite's 0 / 1 booleans, Postgres' refusal of NUL in text);
 * without, it is bound as it is. `slot` says which of the query's filter values it is (see
 * query/param-slots.ts), so a compiled plan can bind the values of a later query of the same
 * shape without building it again.
 */
export interface ParamNode {
  readonly kind: "param";
  readonly value: Param;
  readonly slot: number | undefined;
  readonly column: StoredAs | undefined;
}

export function param(value: Param, slot?: number, column?: StoredAs): ParamNode {
  return node({ kind: "param", value, slot, column });
}
