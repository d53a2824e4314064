/**
 * `BookTypes` (the one type parameter the runtime is generic over) and `class Book`: typed
 * fields, a positional constructor the decoder calls, a getter per to-one relation it holds the
 * key of, and the model statics of api.md §3, each a one-line delegation to `Book.objects`.
 */
import { forwardToOne, targetOf, type ModelContext } from "./context.js";
import { pkType } from "./emit-where.js";
import { valueType } from "./kinds.js";
import { propertyKey } from "./literal.js";
import * as names from "./naming.js";

export function emitTypes(ctx: ModelContext): string {
  const n = ctx.model.name;
  ctx.imports.type("ModelTypes");
  return `/** Everything the runtime's ModelManager and QuerySet need to know about ${n}'s types. */
export interface ${names.typesName(n)} extends ModelTypes {
  model: ${n};
  where: ${names.whereName(n)};
  fields: ${names.fieldTypesName(n)};
  create: ${names.createName(n)};
  update: ${names.updateName(n)};
  pk: ${pkType(ctx.model, ctx)};
}`;
}

function statics(ctx: ModelContext): string[] {
  const n = ctx.model.name;
  const t = names.typesName(n);
  const where = names.whereName(n);
  const filter = `${where} | Q<${where}>`;
  const create = names.createName(n);
  const update = names.updateName(n);
  const pk = pkType(ctx.model, ctx);
  ctx.imports.type("BulkCreateOptions", "Q", "QuerySet", "Param");
  const one = (signature: string, call: string): string =>
    `  static ${signature} {\n    return ${n}.objects.${call};\n  }`;
  return [
    one(`create(data: ${create}): Promise<${n}>`, "create(data)"),
    one(
      `bulkCreate(rows: readonly ${create}[], options?: BulkCreateOptions<${t}>): Promise<${n}[]>`,
      "bulkCreate(rows, options)",
    ),
    one(`get(where: ${filter}): Promise<${n}>`, "get(where)"),
    one(`getOrNone(where: ${filter}): Promise<${n} | null>`, "getOrNone(where)"),
    one(
      `getOrCreate(where: ${where}, defaults?: ${update}): Promise<[${n}, boolean]>`,
      "getOrCreate(where, defaults)",
    ),
    one(
      `updateOrCreate(where: ${where}, defaults?: ${update}): Promise<[${n}, boolean]>`,
      "updateOrCreate(where, defaults)",
    ),
    one(`all(): QuerySet<${t}>`, "all()"),
    one(`filter(where: ${filter}): QuerySet<${t}>`, "filter(where)"),
    one(`exclude(where: ${filter}): QuerySet<${t}>`, "exclude(where)"),
    one(`first(): Promise<${n} | null>`, "first()"),
    one(`inBulk(ids: readonly ${pk}[]): Promise<Map<${pk}, ${n}>>`, "inBulk(ids)"),
    one(`raw(sql: string, params?: readonly Param[]): Promise<${n}[]>`, "raw(sql, params)"),
  ];
}

function relationGetters(ctx: ModelContext): string[] {
  return forwardToOne(ctx.model).map((r) => {
    const target = targetOf(ctx, r).name;
    ctx.imports.model(target, target);
    const type = r.nullable ? `${target} | null` : target;
    return `  /** The ${r.name}, once loaded (selectRelated, prefetchRelated, fetchRelated). */
  get ${r.name}(): ${type} {
    return this.loaded<${type}>(${JSON.stringify(r.name)});
  }`;
  });
}

export function emitClass(ctx: ModelContext): string {
  const m = ctx.model;
  const n = m.name;
  ctx.imports.value("Model", "ModelManager", "registerModel");
  ctx.imports.type("ModelMeta");
  const typed = m.fields.map(
    (f) => `${propertyKey(f.name)}: ${valueType(f, ctx)}${f.nullable ? " | null" : ""}`,
  );
  const assign = m.fields.map((f) => `    this.${f.name} = ${f.name};`);
  const manager = `new ModelManager<${names.typesName(n)}>(${n}, {
    decode: ${names.decoderName(n)},
    columns: ${names.columnsName(n)},
    createSchema: ${names.createSchemaName(n)},
    updateSchema: ${names.updateSchemaName(n)},
  })`;
  const members = [
    `  static readonly meta: ModelMeta = ${names.metaName(n)};
  static readonly objects: ModelManager<${names.typesName(n)}> = ${manager};`,
    typed.map((t) => `  ${t};`).join("\n"),
    `  constructor(${typed.join(", ")}) {
    super();
${assign.join("\n")}
  }`,
    ...relationGetters(ctx),
    ...statics(ctx),
  ];
  return `export class ${n} extends Model {
${members.join("\n\n")}
}

registerModel(${n});`;
}
