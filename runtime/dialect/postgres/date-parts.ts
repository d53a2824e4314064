/**
 * Date parts on Postgres (see ast/extract.ts): EXTRACT of the value, a datetime first moved
 * to UTC. `week` is EXTRACT's ISO week; `week_day` is DOW + 1 (1 = Sunday), `iso_week_day`
 * ISODOW (1 = Monday); `second` drops the fraction; `date` and `time` are casts.
 */
import type { ExtractNode } from "../../ast/extract.js";

const FIELD: Partial<Record<ExtractNode["part"], string>> = {
  year: "YEAR",
  quarter: "QUARTER",
  month: "MONTH",
  week: "WEEK",
  iso_week_day: "ISODOW",
  day: "DAY",
  hour: "HOUR",
  minute: "MINUTE",
};

/** The SQL of `node`'s part of `operand` (the operand's SQL, compiled once). */
export function postgresDatePart(node: ExtractNode, operand: string): string {
  const source = node.fieldKind === "datetime" ? `${operand} AT TIME ZONE 'UTC'` : operand;
  switch (node.part) {
    case "date":
      return `CAST(${source} AS DATE)`;
    case "time":
      return `CAST(${source} AS TIME)`;
    case "week_day":
      return `(CAST(EXTRACT(DOW FROM ${source}) AS INTEGER) + 1)`;
    case "second":
      return `CAST(FLOOR(EXTRACT(SECOND FROM ${source})) AS INTEGER)`;
    default:
      return `CAST(EXTRACT(${FIELD[node.part]!} FROM ${source}) AS INTEGER)`;
  }
}
