/**
 * Date parts on MariaDB (see ast/extract.ts). Datetimes are stored at UTC (the session's
 * time_zone is UTC too), so no conversion: `week` is WEEK(…, 3), the ISO week; `week_day` is
 * DAYOFWEEK (1 = Sunday), `iso_week_day` WEEKDAY + 1 (1 = Monday); `date` and `time` are casts.
 */
import type { ExtractNode } from "../../ast/extract.js";

export function mysqlDatePart(node: ExtractNode, operand: string): string {
  switch (node.part) {
    case "year":
      return `YEAR(${operand})`;
    case "quarter":
      return `QUARTER(${operand})`;
    case "month":
      return `MONTH(${operand})`;
    case "week":
      return `WEEK(${operand}, 3)`;
    case "week_day":
      return `DAYOFWEEK(${operand})`;
    case "iso_week_day":
      return `(WEEKDAY(${operand}) + 1)`;
    case "day":
      return `DAYOFMONTH(${operand})`;
    case "hour":
      return `HOUR(${operand})`;
    case "minute":
      return `MINUTE(${operand})`;
    case "second":
      return `SECOND(${operand})`;
    case "date":
      return `CAST(${operand} AS DATE)`;
    case "time":
      return `CAST(${operand} AS TIME(6))`;
  }
}
