import type { FieldKind } from "../model/meta.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

export type DatePart = "year" | "month" | "day";

/** The year, month or day of a date or datetime (at UTC), as an integer. */
export interface ExtractNode {
  readonly kind: "extract";
  readonly part: DatePart;
  readonly operand: ExpressionNode;
  /** `date` or `datetime`. */
  readonly fieldKind: FieldKind;
}

export function extract(
  part: DatePart,
  operand: ExpressionNode,
  fieldKind: FieldKind,
): ExtractNode {
  return node({ kind: "extract", part, operand, fieldKind });
}
