/**
 * `bookMeta`: what the runtime knows about a model (the IR minus source locations;
 * `generateSchemas()` builds DDL and Postgres comments from it), and
 * `BOOK_COLUMNS`: the explicit select list, in the order the decoder reads it.
 */
import type { FieldIR, ModelIR, RelationIR } from "../schema/ir.js";
import type { ModelContext } from "./context.js";
import { literal } from "./literal.js";
import { columnsName, decoderName, metaName } from "./naming.js";

function fieldMeta(f: FieldIR): Record<string, unknown> {
  return {
    name: f.name,
    column: f.column,
    kind: f.kind,
    pk: f.pk,
    nullable: f.nullable,
    unique: f.unique,
    index: f.index,
    generated: f.generated,
    default: f.default,
    autoNow: f.autoNow,
    autoNowAdd: f.autoNowAdd,
    maxLength: f.maxLength,
    maxDigits: f.maxDigits,
    decimalPlaces: f.decimalPlaces,
    enumValues: f.enumValues,
    relation: f.relation,
    description: f.description,
  };
}

function relationMeta(r: RelationIR): Record<string, unknown> {
  return {
    name: r.name,
    kind: r.kind,
    target: r.target,
    keyField: r.keyField,
    inverse: r.inverse,
    onDelete: r.onDelete,
    nullable: r.nullable,
    through: r.through && {
      table: r.through.table,
      sourceColumn: r.through.sourceColumn,
      targetColumn: r.through.targetColumn,
    },
    description: r.description,
  };
}

/** Each field and relation on its own line, so a diff of the meta reads like a schema diff. */
function list(items: readonly Record<string, unknown>[]): string {
  return items.length === 0 ? "[]" : `[\n${items.map((i) => `${literal(i)},`).join("\n")}\n]`;
}

export function emitMeta(ctx: ModelContext): string {
  const m: ModelIR = ctx.model;
  ctx.imports.type("ModelMeta");
  return `export const ${metaName(m.name)}: ModelMeta = {
  name: ${literal(m.name)},
  table: ${literal(m.table)},
  pk: ${literal(m.pk)},
  fields: ${list(m.fields.map(fieldMeta))},
  relations: ${list(m.relations.map(relationMeta))},
  ordering: ${literal(m.ordering)},
  uniqueTogether: ${literal(m.uniqueTogether)},
  indexes: ${literal(m.indexes)},${m.description === undefined ? "" : `\n  description: ${literal(m.description)},`}
};`;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function emitColumns(ctx: ModelContext): string {
  const m = ctx.model;
  const columns = m.fields.map((f) => `${quoteIdent(m.table)}.${quoteIdent(f.column)}`).join(", ");
  const text = columns.replace(/[`\\]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
  return `/** The columns ${decoderName(m.name)} reads, in order: ${m.name}'s plain select list. */
export const ${columnsName(m.name)} = \`${text}\`;`;
}
