import type { FieldKind } from "../model/meta.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";

/**
 * A calendar or clock part of a date, datetime (at UTC) or time. All are integers except
 * `date` and `time`, the date and the time of day of a datetime. `week` is the ISO week,
 * `week_day` 1 = Sunday … 7 = Saturday (Django's), `iso_week_day` 1 = Monday … 7 = Sunday.
 */
export type DatePart =
  | "year"
  | "quarter"
  | "month"
  | "week"
  | "week_day"
  | "iso_week_day"
  | "day"
  | "hour"
  | "minute"
  | "second"
  | "date"
  | "time";

/** A part of a date, datetime (at UTC) or time (see DatePart). */
export interface ExtractNode {
  readonly kind: "extract";
  readonly part: DatePart;
  readonly operand: ExpressionNode;
  /** `date`, `datetime` or `time`. */
  readonly fieldKind: FieldKind;
}

export function extract(
  part: DatePart,
  operand: ExpressionNode,
  fieldKind: FieldKind,
): ExtractNode {
  return node({ kind: "extract", part, operand, fieldKind });
}
