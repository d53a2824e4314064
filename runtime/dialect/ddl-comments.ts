/**
 * Postgres `COMMENT ON TABLE` / `COMMENT ON COLUMN` from the schema's `description` options: a
 * model's on its table, a field's on its column, a foreign key's or one-to-one's on its key
 * column (unless the key field has its own), a many-to-many's on its join table. SQLite has no
 * comments. COMMENT sets (or replaces) the text, so running the statements again is harmless.
 * The text comes from the schema file, never from user input, written as a quoted literal
 * (utility statements take no bound parameters).
 */
import type { Dialect } from "./dialect.js";
import type { ModelMeta } from "../model/meta.js";
import { quoteIdent, quoteString } from "./ddl-columns.js";

export function commentStatements(models: readonly ModelMeta[], dialect: Dialect): string[] {
  if (!dialect.supports.comments) return [];
  const out: string[] = [];
  for (const model of models) {
    const table = quoteIdent(model.table);
    if (model.description !== undefined)
      out.push(`COMMENT ON TABLE ${table} IS ${quoteString(model.description)}`);
    for (const field of model.fields) {
      const relation = model.relations.find(
        (r) => r.keyField === field.name && (r.kind === "foreignKey" || r.kind === "oneToOne"),
      );
      const text = field.description ?? relation?.description;
      if (text !== undefined)
        out.push(`COMMENT ON COLUMN ${table}.${quoteIdent(field.column)} IS ${quoteString(text)}`);
    }
    for (const r of model.relations) {
      if (
        r.kind === "manyToMany" &&
        r.through !== undefined &&
        r.through.model === undefined &&
        r.description !== undefined
      )
        out.push(
          `COMMENT ON TABLE ${quoteIdent(r.through.table)} IS ${quoteString(r.description)}`,
        );
    }
  }
  return out;
}
