/**
 * Which date parts each field kind has (`created__hour__gte`, `day__week`, `clock__minute`)
 * and what a part is compared with: integers, except `date` (a date) and `time` (a time).
 */
import type { DatePart } from "../ast/extract.js";
import type { FieldKind, FieldMeta } from "../model/meta.js";

const DATE_PARTS: readonly DatePart[] = [
  "year",
  "quarter",
  "month",
  "week",
  "week_day",
  "iso_week_day",
  "day",
];
const TIME_PARTS: readonly DatePart[] = ["hour", "minute", "second"];

export const PARTS_OF: Partial<Record<FieldKind, ReadonlySet<string>>> = {
  date: new Set(DATE_PARTS),
  datetime: new Set<string>([...DATE_PARTS, ...TIME_PARTS, "date", "time"]),
  time: new Set(TIME_PARTS),
};

/** Every part name, for parsing filter keys. */
export const PART_NAMES: ReadonlySet<string> = PARTS_OF.datetime!;

/**
 * The field a part's value is checked and encoded as: a date or time of the same model for
 * `date` / `time`, undefined for the integer parts.
 */
export function partField(field: FieldMeta, part: DatePart): FieldMeta | undefined {
  if (part !== "date" && part !== "time") return undefined;
  return { ...field, kind: part, nullable: true, pk: false, unique: false };
}
