/**
 * `bookMeta`: what the runtime knows about a model (the IR minus source locations;
 * `generateSchemas()` builds DDL and Postgres comments from it), and
 * `BOOK_COLUMNS`: the explicit select list, in the order the decoder reads it.
 */
import type { FieldIR, ModelIR, RelationIR } from "../schema/ir.js";
import type { ModelContext } from "./context.js";
import { columnsName, decoderName, metaName } from "./naming.js";
import { hardline, type Doc } from "./print/doc.js";
import { fluid, literalValue, objectDoc, property } from "./print/syntax.js";

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
    defaultFactory: f.defaultFactory,
    dbDefault: f.dbDefault,
    validators: f.validators,
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
      model: r.through.model && {
        name: r.through.model.name,
        sourceField: r.through.model.sourceField,
        targetField: r.through.model.targetField,
      },
    },
    description: r.description,
  };
}

export function emitMeta(ctx: ModelContext): Doc {
  const m: ModelIR = ctx.model;
  ctx.imports.type("ModelMeta");
  const entries: [string, unknown][] = [
    ["name", m.name],
    ["table", m.table],
    ["pk", m.pk],
    ["fields", m.fields.map(fieldMeta)],
    ["relations", m.relations.map(relationMeta)],
    ["ordering", m.ordering],
    ["uniqueTogether", m.uniqueTogether],
    ["indexes", m.indexes],
  ];
  if (m.description !== undefined) entries.push(["description", m.description]);
  const object = objectDoc(
    entries.map(([key, value]) => property(key, literalValue(value))),
    true,
  );
  return ["export const ", fluid(`${metaName(m.name)}: ModelMeta =`, object), ";"];
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function emitColumns(ctx: ModelContext): Doc {
  const m = ctx.model;
  const columns = m.fields.map((f) => `${quoteIdent(m.table)}.${quoteIdent(f.column)}`).join(", ");
  const text = columns.replace(/[`\\]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
  return [
    `/** The columns ${decoderName(m.name)} reads, in order: ${m.name}'s plain select list. */`,
    hardline,
    `export const ${columnsName(m.name)} = \`${text}\`;`,
  ];
}
