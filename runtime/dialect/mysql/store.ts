/**
 * MariaDB's stored form of a checked value: booleans as 0 / 1 (BOOLEAN is TINYINT(1)),
 * datetimes as DATETIME(6) text at UTC ("2024-05-01 12:30:00.123"; the session's time_zone is
 * UTC), UUIDs in lower case (they are CHAR(36), compared byte-exact); the rest as it is.
 */
import type { Param } from "../../driver/driver.js";
import type { FieldMeta } from "../../model/meta.js";

export function storeMysql(field: FieldMeta, checked: Param): Param {
  switch (field.kind) {
    case "boolean":
      return checked ? 1 : 0;
    case "datetime": {
      const iso = checked as string; // toISOString(): "2024-05-01T12:30:00.123Z"
      return `${iso.slice(0, 10)} ${iso.slice(11, iso.length - 1)}`;
    }
    case "uuid":
      return (checked as string).toLowerCase();
    default:
      return checked;
  }
}
