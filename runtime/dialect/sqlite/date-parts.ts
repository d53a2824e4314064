/**
 * Date parts on SQLite, from the stored text (`YYYY-MM-DDTHH:MM:SS.sssZ` datetimes at UTC,
 * `YYYY-MM-DD` dates, `HH:MM:SS[.ffffff]` times) with strftime, giving the numbers Postgres
 * gives (postgres-date-parts.ts). The ISO week is computed from the Thursday of the value's
 * week (`%V` needs SQLite 3.46, older than the system SQLite the native engine may link).
 * `time` is written as a time field stores it: no trailing fractional zeros.
 */
import type { ExtractNode } from "../../ast/extract.js";

const FORMAT: Partial<Record<ExtractNode["part"], string>> = {
  year: "%Y",
  month: "%m",
  day: "%d",
  hour: "%H",
  minute: "%M",
  second: "%S",
};

/** The SQL of `node`'s part; `operand` compiles the operand (called once per use, in text order). */
export function sqliteDatePart(node: ExtractNode, operand: () => string): string {
  const int = (format: string, x = operand()): string =>
    `CAST(strftime('${format}', ${x}) AS INTEGER)`;
  switch (node.part) {
    case "date":
      return `date(${operand()})`;
    case "time":
      return `rtrim(rtrim(strftime('%H:%M:%f', ${operand()}), '0'), '.')`;
    case "quarter":
      return `((${int("%m")} + 2) / 3)`;
    case "week_day":
      return `(${int("%w")} + 1)`;
    case "iso_week_day":
      return `((${int("%w")} + 6) % 7 + 1)`;
    case "week": {
      // Day of the year of this ISO week's Thursday, in weeks.
      const thursday = `julianday(${operand()}) - (${int("%w")} + 6) % 7 + 3`;
      return `((${int("%j", thursday)} - 1) / 7 + 1)`;
    }
    default:
      return int(FORMAT[node.part]!);
  }
}
