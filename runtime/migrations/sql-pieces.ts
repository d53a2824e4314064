/** Small SQL fragments the migration renderers share (identifiers from the schema state only). */
import type { Dialect } from "../driver/driver.js";
import { references, type ForeignKey } from "../dialect/ddl.js";
import { defaultLiteral, quoteIdent } from "../dialect/ddl-columns.js";
import type { FieldMeta } from "../model/meta.js";

/** `FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE` (Postgres). */
export function addForeignKeyClause(column: string, fk: ForeignKey): string {
  return `FOREIGN KEY (${quoteIdent(column)}) ${references(fk, "postgres")}`;
}

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
