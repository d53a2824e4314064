/** Small SQL fragments the migration renderers share (identifiers from the schema state only). */
import type { Dialect } from "../dialect/dialect.js";
import { defaultLiteral } from "../dialect/ddl-columns.js";
import type { FieldMeta } from "../model/meta.js";

/** A value for existing rows (`fill`) as the SQL literal the column stores. */
export function fillLiteral(
  field: FieldMeta,
  fill: string | number | boolean,
  dialect: Dialect,
): string {
  return defaultLiteral(field, fill, dialect);
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
