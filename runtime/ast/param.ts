import type { Param } from "../driver/driver.js";
import { node } from "./node.js";

/**
 * A bound value, already encoded for the dialect. The compiler numbers it. `slot` says which of
 * the query's filter values it is (see query/param-slots.ts), so a compiled plan can bind the
 * values of a later query of the same shape without building it again.
 */
export interface ParamNode {
  readonly kind: "param";
  readonly value: Param;
  readonly slot: number | undefined;
}

export function param(value: Param, slot?: number): ParamNode {
  return node({ kind: "param", value, slot });
}
