/**
 * `bookMeta`: what the runtime knows about a model (the IR minus source locations;
 * `generateSchemas()` builds DDL and Postgres comments from it), written as `modelMeta({ … })`
 * with only what differs from the defaults (schema/meta-defaults.ts; `modelMeta` fills them in),
 * and
 * `BOOK_COLUMNS`: the explicit select list, in the order the decoder reads it.
 */
import { isDeepStrictEqual } from "node:util";
import type { FieldIR, ModelIR, RelationIR } from "../schema/ir.js";
import { fieldDefaults, modelDefaults, relationDefaults } from "../schema/meta-defaults.js";
import type { ModelContext } from "./context.js";
import { columnsName, decoderName, metaName } from "./naming.js";
import { hardline, type Doc } from "./print/doc.js";
import { callArguments, fluid, literalValue, objectDoc, property } from "./print/syntax.js";

/**
 * `entries` without those equal to their default (`modelMeta` puts them back) and those left
 * undefined, which are not written: most of a field's twenty entries, so the literal the meta is
 * written as walks a few.
 */
function withoutDefaults(
  entries: Record<string, unknown>,
  defaults: Record<string, unknown>,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const key in entries) {
    const value = entries[key];
    if (value !== undefined && !(key in defaults && sameValue(value, defaults[key])))
      kept[key] = value;
  }
  return kept;
}

/** Deep equality, without a call into util's comparison for the common case of two primitives. */
function sameValue(value: unknown, fallback: unknown): boolean {
  if (typeof value !== "object" || value === null) return Object.is(value, fallback);
  return isDeepStrictEqual(value, fallback);
}

function fieldMeta(m: ModelIR, f: FieldIR): Record<string, unknown> {
  return withoutDefaults(fieldEntries(f), fieldDefaults(f.name, m.pk));
}

function fieldEntries(f: FieldIR): Record<string, unknown> {
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
  return withoutDefaults(relationEntries(r), relationDefaults(r.name, r.kind, r.inverse));
}

function relationEntries(r: RelationIR): Record<string, unknown> {
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

/**
 * What `bookMeta` is written from: the model's meta without the properties at their default or
 * undefined.
 */
export function writtenMeta(m: ModelIR): Record<string, unknown> {
  return withoutDefaults(
    {
      name: m.name,
      table: m.table,
      pk: m.pk,
      fields: m.fields.map((f) => fieldMeta(m, f)),
      relations: m.relations.map(relationMeta),
      ordering: m.ordering,
      uniqueTogether: m.uniqueTogether,
      indexes: m.indexes,
      description: m.description,
      connection: m.connection,
    },
    modelDefaults(m.name),
  );
}

export function emitMeta(ctx: ModelContext): Doc {
  const m: ModelIR = ctx.model;
  if (ctx.target !== "js") ctx.imports.type("ModelMeta");
  if (ctx.target === "dts") return `export declare const ${metaName(m.name)}: ModelMeta;`;
  ctx.imports.value("modelMeta");
  const entries = Object.entries(writtenMeta(m));
  const object = objectDoc(
    entries.map(([key, value]) => property(key, literalValue(value))),
    true,
  );
  const call: Doc = [
    "modelMeta",
    callArguments([
      { doc: object, kind: "other", entries: { of: "object", count: entries.length } },
    ]),
  ];
  const annotation = ctx.target === "ts" ? ": ModelMeta" : "";
  return ["export const ", fluid(`${metaName(m.name)}${annotation} =`, call), ";"];
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export function emitColumns(ctx: ModelContext): Doc {
  const m = ctx.model;
  const comment = `/** The columns ${decoderName(m.name)} reads, in order: ${m.name}'s plain select list. */`;
  if (ctx.target === "dts") {
    return [comment, hardline, `export declare const ${columnsName(m.name)}: string;`];
  }
  const columns = m.fields.map((f) => `${quoteIdent(m.table)}.${quoteIdent(f.column)}`).join(", ");
  const text = columns.replace(/[`\\]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
  return [comment, hardline, `export const ${columnsName(m.name)} = \`${text}\`;`];
}
