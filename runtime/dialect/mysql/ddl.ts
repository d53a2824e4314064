/**
 * MariaDB's CREATE TABLE pieces (design.md, "Storage per dialect"): exact types (DECIMAL,
 * DATETIME(6) at UTC, CHAR(36) UUIDs, LONGBLOB), AUTO_INCREMENT keys, constraints after the
 * columns (MySQL ignores a REFERENCES on a column), and every table in utf8mb4 with the binary
 * no-pad collation, so text compares byte-exact and 'a' <> 'a ' (docs/mysql.md).
 */
import type { FieldMeta } from "../../model/meta.js";
import { charLength, quoteString } from "../ddl-columns.js";
import type { DialectDdl } from "../dialect.js";

export const MYSQL_TABLE_OPTIONS =
  " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

/** A v4 UUID in lower case from random bytes (MariaDB's UUID() is version 1). */
const UUID4 =
  "LOWER(CONCAT(HEX(RANDOM_BYTES(4)), '-', HEX(RANDOM_BYTES(2)), '-4', SUBSTR(HEX(RANDOM_BYTES(2)), 2), '-', " +
  "SUBSTR('89ab', 1 + FLOOR(RAND() * 4), 1), SUBSTR(HEX(RANDOM_BYTES(2)), 2), '-', HEX(RANDOM_BYTES(6))))";

export const mysqlDdl: DialectDdl = {
  columnType: mysqlType,
  checksCharLength: false,
  autoPk: "AUTO_INCREMENT PRIMARY KEY",
  functionDefault(fn, field) {
    if (fn === "uuid") return `(${UUID4})`;
    if (field.kind === "date") return "(UTC_DATE())";
    if (field.kind === "time") return "(UTC_TIME(6))";
    return "(UTC_TIMESTAMP(3))";
  },
  booleanLiteral: (value) => (value ? "TRUE" : "FALSE"),
  decimalLiteral: (text) => text,
  datetimeLiteral: (iso) => quoteString(`${iso.slice(0, 10)} ${iso.slice(11, iso.length - 1)}`),
  tableConstraints: true,
  tableOptions: MYSQL_TABLE_OPTIONS,
  // MariaDB: FOREIGN KEY IF NOT EXISTS, so generateSchemas may run twice.
  addForeignKey: (table, name, clause) =>
    `ALTER TABLE ${table} ADD CONSTRAINT ${name} ${clause.replace(/^FOREIGN KEY /, "FOREIGN KEY IF NOT EXISTS ")}`,
  onDeleteAction: (action) => action,
};

function mysqlType(f: FieldMeta): string {
  switch (f.kind) {
    case "int":
    case "intEnum":
      return "INT";
    case "smallint":
      return "SMALLINT";
    case "bigint":
      return "BIGINT";
    case "char":
    case "charEnum":
      return `VARCHAR(${charLength(f)})`;
    case "text":
      return "LONGTEXT";
    case "boolean":
      return "BOOLEAN";
    case "float":
      return "DOUBLE";
    case "decimal":
      return `DECIMAL(${f.maxDigits ?? 18}, ${f.decimalPlaces ?? 0})`;
    case "datetime":
      return "DATETIME(6)";
    case "date":
      return "DATE";
    case "time":
      return "TIME(6)";
    case "uuid":
      return "CHAR(36)";
    case "json":
      return "JSON";
    case "binary":
      return "LONGBLOB";
  }
}
