/** SQLite's stored form of a checked value: booleans as the integers 0 and 1, the rest as it is. */
import type { Param } from "../../driver/driver.js";
import type { FieldMeta } from "../../model/meta.js";

export function storeSqlite(field: FieldMeta, checked: Param): Param {
  return field.kind === "boolean" ? (checked ? 1 : 0) : checked;
}
