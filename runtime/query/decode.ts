/**
 * Generic cell decoding by FieldKind, for results the generated decoders do not cover:
 * `values()`, `valuesList()`, `only()` and `raw()`.
 */
import type { RowReader } from "../driver/driver.js";
import type { FieldKind, FieldMeta } from "../model/meta.js";

export function decodeCell(r: RowReader, col: number, row: number, kind: FieldKind): unknown {
  if (r.isNull(col, row)) return null;
  switch (kind) {
    case "int":
    case "smallint":
    case "intEnum":
      return r.int(col, row);
    case "bigint":
      return r.bigint(col, row);
    case "float":
      return r.float(col, row);
    case "boolean":
      return r.boolean(col, row);
    case "char":
    case "text":
    case "charEnum":
      return r.text(col, row);
    case "decimal":
      return r.decimal(col, row);
    case "datetime":
      return r.datetime(col, row);
    case "date":
      return r.date(col, row);
    case "time":
      return r.time(col, row);
    case "uuid":
      return r.uuid(col, row);
    case "json":
      return r.json(col, row);
    case "binary":
      return r.binary(col, row);
  }
}

/** Whether reading these fields needs exact 64-bit integers (QueryOptions.bigints). */
export function needsBigints(fields: readonly FieldMeta[]): boolean {
  return fields.some((f) => f.kind === "bigint");
}
