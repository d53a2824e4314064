import type { Param } from "../driver/driver.js";
import { node } from "./node.js";

/** A bound value, already encoded for the dialect. The compiler numbers it. */
export interface ParamNode {
  readonly kind: "param";
  readonly value: Param;
}

export function param(value: Param): ParamNode {
  return node({ kind: "param", value });
}
