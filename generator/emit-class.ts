/**
 * `BookTypes` (the one type parameter the runtime is generic over) and `class Book`: typed
 * fields, a positional constructor the decoder calls, a getter per relation (the loaded instance
 * of a to-one relation, the RelatedManager of a to-many one), `fetchRelated`, `save` and
 * `refreshFromDb` typed with the model's relation paths and field names, the model statics of
 * api.md §3, each a one-line delegation to `Book.objects`, and the QuerySet entry points
 * (`Book.count()`, `Book.annotate(…)`), each typed as the QuerySet method it returns.
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
  many: ${names.manyFieldTypesName(n)};
  create: ${names.createName(n)};
  update: ${names.updateName(n)};
  pk: ${pkType(ctx.model, ctx)};
  own: ${ownNames(ctx)};
  related: ${names.relatedPathName(n)};
  prefetch: ${names.prefetchPathName(n)};
}`;
}

/** Own field names and forward to-one relation names (`"id" | … | "authorId" | "author"`). */
function ownNames(ctx: ModelContext): string {
  const relations = forwardToOne(ctx.model).map((r) => JSON.stringify(r.name));
  return [`keyof ${names.ownFieldTypesName(ctx.model.name)}`, ...relations].join(" | ");
}

/**
 * QuerySet entry points as statics (`Book.annotate(…)`, `Book.count()`, `Book.values(…)`), as in
 * Tortoise: each is the method of `Book.all()`, typed as that method (overloads and generics
 * included), so the two can never disagree.
 */
const QUERY_STATICS = [
  "annotate",
  "count",
  "exists",
  "orderBy",
  "values",
  "valuesList",
  "only",
  "selectRelated",
  "prefetchRelated",
  "selectForUpdate",
] as const;

function queryStatics(ctx: ModelContext): string[] {
  const n = ctx.model.name;
  const t = names.typesName(n);
  return QUERY_STATICS.map(
    (m) => `  static get ${m}(): QuerySet<${t}>["${m}"] {
    const all = ${n}.all();
    return all.${m}.bind(all);
  }`,
  );
}

function statics(ctx: ModelContext): string[] {
  const n = ctx.model.name;
  const t = names.typesName(n);
  const where = names.whereName(n);
  const filter = `${where} | Q<${where}>`;
  const create = names.createName(n);
  const update = names.updateName(n);
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
    one(`raw(sql: string, params?: readonly Param[]): Promise<${n}[]>`, "raw(sql, params)"),
  ];
}

/**
 * One getter per relation: a to-one relation reads the loaded instance (a
 * RelationNotLoadedError until selectRelated, prefetchRelated or fetchRelated loaded it); a
 * to-many relation is a RelatedManager (`author.books.all()`, `book.tags.add(tag)`).
 */
function relationGetters(ctx: ModelContext): string[] {
  return ctx.model.relations.map((r) => {
    const target = targetOf(ctx, r).name;
    const name = JSON.stringify(r.name);
    if (r.kind === "foreignKey" || r.kind === "oneToOne" || r.kind === "reverseOneToOne") {
      ctx.imports.model(target, target);
      const type = r.nullable || r.kind === "reverseOneToOne" ? `${target} | null` : target;
      const getter = `  /** The ${r.name}, once loaded (selectRelated, prefetchRelated, fetchRelated). */
  get ${r.name}(): ${type} {
    return this._loaded<${type}>(${name});
  }`;
      if (r.kind === "reverseOneToOne") return getter;
      ctx.imports.value("setRelated");
      return `${getter}

  /** Sets the ${r.name} (a saved instance) and its key; \`save()\` writes it. */
  set ${r.name}(value: ${type}) {
    setRelated(this, ${name}, value);
  }`;
    }
    // A reverse foreign key's manager knows the key its create() fills in (`author.books.create`).
    const key =
      r.kind === "reverseForeignKey"
        ? `, ${JSON.stringify(r.inverse)} | ${JSON.stringify(r.keyField)}`
        : "";
    const types = `${names.typesName(target)}${key}`;
    ctx.imports.model(target, names.typesName(target));
    ctx.imports.value("RelatedManager");
    return `  /** The related ${target} rows: query them (all, filter, count) or change them (add, remove, clear). */
  get ${r.name}(): RelatedManager<${types}> {
    return new RelatedManager<${types}>(this, ${name});
  }`;
  });
}

/** fetchRelated with the model's relation paths typed. */
function fetchRelated(ctx: ModelContext): string {
  return `  /** Loads these relation paths onto this instance (one query per level). */
  override fetchRelated(...relations: ${names.prefetchPathName(ctx.model.name)}[]): Promise<void> {
    return super.fetchRelated(...relations);
  }`;
}

/** save() and refreshFromDb() with the model's field names typed. */
function persistence(ctx: ModelContext): string[] {
  const t = names.typesName(ctx.model.name);
  ctx.imports.type("SaveOptions", "RefreshFields");
  return [
    `  /** Writes the fields changed since loading (or \`updateFields\`); INSERTs when the key is unset. */
  override save(options?: SaveOptions<${t}>): Promise<void> {
    return super.save(options);
  }`,
    `  /** Reloads these fields (every field when none are named) from the database. */
  override refreshFromDb(fields?: RefreshFields<${t}>): Promise<void> {
    return super.refreshFromDb(fields);
  }`,
  ];
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
    fetchRelated(ctx),
    ...persistence(ctx),
    ...statics(ctx),
    ...queryStatics(ctx),
  ];
  return `export class ${n} extends Model {
${members.join("\n\n")}
}

registerModel(${n});`;
}
