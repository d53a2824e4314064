import { node } from "./node.js";

/** A constant the runtime itself writes (TRUE, FALSE, 1); never user input. */
export interface LiteralNode {
  readonly kind: "literal";
  readonly value: boolean | 1;
}

export function literal(value: boolean | 1): LiteralNode {
  return node({ kind: "literal", value });
}
