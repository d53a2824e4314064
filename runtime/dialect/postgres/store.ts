/** Postgres' stored form of a checked value: as it is, but no NUL in text or JSON. */
import type { Param } from "../../driver/driver.js";
import type { FieldMeta } from "../../model/meta.js";
import { Rejected } from "../field-checks.js";

/**
 * NUL written as JSON.stringify writes it, not preceded by an escaped backslash: the string
 * `"\\u0000"` (backslash, u, 0000) is `"\\\\u0000"` in JSON and does not match.
 */
const JSON_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

export function storePostgres(field: FieldMeta, checked: Param): Param | Rejected {
  switch (field.kind) {
    case "char":
    case "text":
    case "charEnum":
      return (checked as string).includes("\0")
        ? new Rejected("text may not contain NUL bytes on Postgres")
        : checked;
    case "json":
      return JSON_NUL.test(checked as string)
        ? new Rejected("JSON may not contain NUL characters on Postgres")
        : checked;
    default:
      return checked;
  }
}
