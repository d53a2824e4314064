/** SQLite's CREATE TABLE pieces (design.md, "Storage per dialect"): storage classes, CHECKs for lengths. */
import type { FieldMeta } from "../../model/meta.js";
import { quoteString } from "../ddl-columns.js";
import type { DialectDdl } from "../dialect.js";

/** SQLite has no UUID function: a v4 UUID in lower case from random bytes. */
const SQLITE_UUID4 =
  "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || " +
  "substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

export const sqliteDdl: DialectDdl = {
  columnType: sqliteType,
  checksCharLength: true,
  autoPk: "PRIMARY KEY AUTOINCREMENT",
  functionDefault(fn, field) {
    if (fn === "uuid") return `(${SQLITE_UUID4})`;
    if (field.kind === "date") return "(strftime('%Y-%m-%d', 'now'))";
    if (field.kind === "time") return "(strftime('%H:%M:%f', 'now'))";
    return "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
  },
  booleanLiteral: (value) => (value ? "1" : "0"),
  decimalLiteral: (text) => quoteString(text),
  datetimeLiteral: (iso) => quoteString(iso),
  tableConstraints: false,
  tableOptions: "",
  addForeignKey: undefined,
  // SQLite reports a RESTRICT violation as a trigger failure (SQLITE_CONSTRAINT_TRIGGER), not a
  // foreign-key one; with yara's immediate keys NO ACTION refuses the same deletes (ddl.ts).
  onDeleteAction: (action) => (action === "RESTRICT" ? "NO ACTION" : action),
};

/**
 * SQLite's declared type keeps the storage class the runtime relies on (design.md) and names the
 * field kind after it, so `pull` can read the kind back: `TEXT DECIMAL(10, 2)` has TEXT affinity
 * (exact decimal text is never turned into a REAL), `BOOLEAN` stores 0 / 1 as integers. Integer
 * primary keys stay `INTEGER`, the one spelling that makes the column the rowid.
 */
function sqliteType(f: FieldMeta): string {
  switch (f.kind) {
    case "int":
    case "intEnum":
      return "INTEGER";
    case "smallint":
      return f.pk ? "INTEGER" : "SMALLINT";
    case "bigint":
      return f.pk ? "INTEGER" : "BIGINT";
    case "boolean":
      return "BOOLEAN";
    case "float":
      return "REAL";
    case "binary":
      return "BLOB";
    case "decimal":
      return `TEXT DECIMAL(${f.maxDigits ?? 18}, ${f.decimalPlaces ?? 0})`;
    case "datetime":
      return "TEXT DATETIME";
    case "date":
      return "TEXT DATE";
    case "time":
      return "TEXT TIME";
    case "uuid":
      return "TEXT UUID";
    case "json":
      return "TEXT JSON";
    default:
      return "TEXT";
  }
}
