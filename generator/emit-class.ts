/**
 * `BookTypes` (the one type parameter the runtime is generic over) and `class Book`: typed
 * fields, a positional constructor the decoder calls, a getter per relation (the loaded instance
 * of a to-one relation, the RelatedManager of a to-many one), `fetchRelated`, `save` and
 * `refreshFromDb` typed with the model's relation paths and field names, and the declarations of
 * the model statics of api.md §3, each typed as `Book.objects`' method of the same name, and of
 * the QuerySet entry points (`Book.count()`, `Book.annotate(…)`), each typed as the QuerySet
 * method it is (registerModel gives the class their implementations).
 */
import { MANAGER_STATICS, QUERY_STATICS } from "yara-orm/internal/codegen";
import type { RelationIR } from "../schema/ir.js";
import { forwardToOne, targetOf, type ModelContext } from "./context.js";
import { typedMember } from "./emit-field-types.js";
import { pkType } from "./emit-where.js";
import { valueType } from "./kinds.js";
import * as names from "./naming.js";
import { group, hardline, indent, join, type Doc } from "./print/doc.js";
import {
  callArguments,
  fluid,
  interfaceDoc,
  objectDoc,
  parameters,
  property,
  propertyKey,
  stringLiteral,
  typeReference,
  unionArgument,
  unionType,
  type Valued,
} from "./print/syntax.js";

const name = (text: string): Valued => ({ doc: text, kind: "other" });

/** `{` statements `}` indented one level. */
function block(statements: readonly Doc[]): Doc {
  return ["{", indent([hardline, join(hardline, statements)]), hardline, "}"];
}

/** A class member with a signature and a body: `head(params): returns {…}`. */
function method(
  comment: string | null,
  head: string,
  params: readonly Doc[],
  returns: Doc | null,
  body: readonly Doc[],
  rest = false,
): Doc {
  const signature = group([parameters(params, rest), returns === null ? "" : [": ", returns]]);
  return [comment === null ? "" : [comment, hardline], head, signature, " ", block(body)];
}

/**
 * A member as `ctx.target` writes it: the whole method (`ts`), its declaration (`dts`: the
 * signature, no body), or its implementation (`js`: untyped parameters, no return type).
 */
function member(
  ctx: ModelContext,
  comment: string | null,
  head: string,
  params: readonly (readonly [string, Doc | null])[],
  returns: Doc | null,
  body: readonly Doc[],
  rest = false,
): Doc {
  const typed = params.map(([name, type]) => (type === null ? name : [name, ": ", type]));
  if (ctx.target === "ts") return method(comment, head, typed, returns, body, rest);
  const plain = head.replace(/^override /, "");
  if (ctx.target === "js") {
    const untyped = params.map(([name]) => name.replace(/\?$/, ""));
    return method(comment, plain, untyped, null, body, rest);
  }
  const signature = group([parameters(typed, rest), returns === null ? "" : [": ", returns]]);
  return [comment === null ? "" : [comment, hardline], plain, signature, ";"];
}

export function emitTypes(ctx: ModelContext): Doc {
  const n = ctx.model.name;
  ctx.imports.type("ModelTypes");
  const members: [string, Doc][] = [
    ["model", n],
    ["where", names.whereName(n)],
    ["fields", names.fieldTypesName(n)],
    ["many", names.manyFieldTypesName(n)],
    ["create", names.createName(n)],
    ["update", names.updateName(n)],
    ["pk", pkType(ctx.model, ctx)],
    ["own", ownNames(ctx)],
    ["related", names.relatedPathName(n)],
    ["prefetch", names.prefetchPathName(n)],
  ];
  return [
    `/** Everything the runtime's ModelManager and QuerySet need to know about ${n}'s types. */`,
    hardline,
    interfaceDoc(
      names.typesName(n),
      members.map(([key, type]) => [key, ": ", type]),
      "ModelTypes",
    ),
  ];
}

/** Own field names and forward to-one relation names (`"id" | … | "authorId" | "author"`). */
function ownNames(ctx: ModelContext): Doc {
  const relations = forwardToOne(ctx.model).map((r) => JSON.stringify(r.name));
  return unionType([`keyof ${names.ownFieldTypesName(ctx.model.name)}`, ...relations]);
}

/**
 * Both lists as declarations only: `registerModel` gives each class its implementations (calls
 * of `Book.objects`, runtime/model/statics.ts), so a client of many models holds no body per
 * model for the type checker to read.
 */
function statics(ctx: ModelContext): Doc[] {
  if (ctx.target === "js") return [];
  const t = names.typesName(ctx.model.name);
  const declare = ctx.target === "ts" ? "declare " : "";
  ctx.imports.type("QuerySet");
  return [
    join(
      hardline,
      MANAGER_STATICS.map((m) => `${declare}static readonly ${m}: ModelManager<${t}>["${m}"];`),
    ),
    join(
      hardline,
      QUERY_STATICS.map((m) => `${declare}static readonly ${m}: QuerySet<${t}>["${m}"];`),
    ),
  ];
}

/**
 * One getter per relation: a to-one relation reads the loaded instance (a
 * RelationNotLoadedError until selectRelated, prefetchRelated or fetchRelated loaded it); a
 * to-many relation is a RelatedManager (`author.books.all()`, `book.tags.add(tag)`).
 */
function relationGetters(ctx: ModelContext): Doc[] {
  return ctx.model.relations.flatMap((r): Doc[] => {
    const target = targetOf(ctx, r).name;
    const key = name(stringLiteral(r.name));
    if (r.kind === "foreignKey" || r.kind === "oneToOne" || r.kind === "reverseOneToOne") {
      ctx.imports.model(target, target);
      const nullable = r.nullable || r.kind === "reverseOneToOne";
      const type = nullable ? unionType([target, "null"]) : target;
      const argument = nullable ? unionArgument([target, "null"]) : target;
      const getter = member(
        ctx,
        `/** The ${r.name}, once loaded (selectRelated, prefetchRelated, fetchRelated). */`,
        `get ${r.name}`,
        [],
        type,
        [
          [
            "return this._loaded",
            ctx.target === "js" ? "" : typeReference("", [argument], !nullable),
            callArguments([key]),
            ";",
          ],
        ],
      );
      if (r.kind === "reverseOneToOne") return [getter];
      if (ctx.target !== "dts") ctx.imports.value("setRelated");
      const setter = member(
        ctx,
        `/** Sets the ${r.name} (a saved instance) and its key; \`save()\` writes it. */`,
        `set ${r.name}`,
        [["value", type]],
        null,
        [["setRelated", callArguments([name("this"), key, name("value")]), ";"]],
      );
      return [getter, setter];
    }
    const typesName = names.typesName(target);
    ctx.imports.model(target, typesName);
    if (ctx.target === "dts") ctx.imports.type("RelatedManager");
    else ctx.imports.value("RelatedManager");
    // A reverse foreign key's manager knows the key its create() fills in (`author.books.create`);
    // a many-to-many one through a model, what add() may give its rows (`throughDefaults`).
    const throughDefaults = throughDefaultsType(ctx, r);
    const typeArguments =
      r.kind === "reverseForeignKey"
        ? [typesName, unionArgument([JSON.stringify(r.inverse), JSON.stringify(r.keyField)])]
        : throughDefaults === undefined
          ? [typesName]
          : [typesName, "never", throughDefaults];
    return [
      member(
        ctx,
        `/** The related ${target} rows: query them (all, filter, count) or change them (add, remove, clear). */`,
        `get ${r.name}`,
        [],
        typeReference("RelatedManager", typeArguments, true),
        [
          [
            "return new RelatedManager",
            ctx.target === "js" ? "" : typeReference("", typeArguments, typeArguments.length === 1),
            callArguments([name("this"), key]),
            ";",
          ],
        ],
      ),
    ];
  });
}

/**
 * `ThroughDefaults<BookTagTypes, "book" | "bookId" | "tag" | "tagId">`: the through model's
 * create input without the pair the manager fills in; undefined without a through model.
 */
function throughDefaultsType(ctx: ModelContext, r: RelationIR): Doc | undefined {
  const through = r.through?.model;
  if (through === undefined) return undefined;
  const model = ctx.models.get(through.name);
  if (!model) throw new Error(`${ctx.model.name}.${r.name}: unknown model ${through.name}`);
  const keys = [through.sourceField, through.targetField].flatMap((key) => {
    const relation = model.fields.find((f) => f.name === key)?.relation;
    return relation === undefined ? [key] : [relation, key];
  });
  const typesName = names.typesName(model.name);
  ctx.imports.model(model.name, typesName);
  ctx.imports.type("ThroughDefaults");
  return typeReference("ThroughDefaults", [
    typesName,
    unionArgument(keys.map((k) => JSON.stringify(k))),
  ]);
}

/** fetchRelated with the model's relation paths typed. */
function fetchRelated(ctx: ModelContext): Doc {
  return member(
    ctx,
    "/** Loads these relation paths onto this instance (one query per level). */",
    "override fetchRelated",
    [["...relations", `${names.prefetchPathName(ctx.model.name)}[]`]],
    "Promise<void>",
    ["return super.fetchRelated(...relations);"],
    true,
  );
}

/** save() and refreshFromDb() with the model's field names typed. */
function persistence(ctx: ModelContext): Doc[] {
  const t = names.typesName(ctx.model.name);
  ctx.imports.type("SaveOptions", "RefreshFields");
  return [
    member(
      ctx,
      "/** Writes the fields changed since loading (or `updateFields`); INSERTs when the key is unset. */",
      "override save",
      [["options?", typeReference("SaveOptions", [t], true)]],
      "Promise<void>",
      ["return super.save(options);"],
    ),
    member(
      ctx,
      "/** Reloads these fields (every field when none are named) from the database. */",
      "override refreshFromDb",
      [["fields?", typeReference("RefreshFields", [t], true)]],
      "Promise<void>",
      ["return super.refreshFromDb(fields);"],
    ),
  ];
}

export function emitClass(ctx: ModelContext): Doc {
  const m = ctx.model;
  const n = m.name;
  const t = names.typesName(n);
  const target = ctx.target;
  ctx.imports.value("Model");
  if (target === "dts") ctx.imports.type("ModelManager");
  else ctx.imports.value("ModelManager", "registerModel");
  ctx.imports.type("ModelMeta");
  const typed = m.fields.map((f) => typedMember(f.name, valueType(f, ctx), f.nullable));
  const options = objectDoc(
    [
      property("decode", name(names.decoderName(n))),
      property("columns", name(names.columnsName(n))),
      property("createSchema", name(names.createSchemaName(n))),
      property("updateSchema", name(names.updateSchemaName(n))),
    ],
    true,
  );
  const manager: Doc = [
    target === "js" ? "new ModelManager" : `new ModelManager<${t}>`,
    callArguments([name(n), { doc: options, kind: "other", entries: { of: "object", count: 4 } }]),
  ];
  const managers: Doc =
    target === "dts"
      ? [
          "static readonly meta: ModelMeta;",
          hardline,
          `static readonly objects: ModelManager<${t}>;`,
        ]
      : target === "js"
        ? [
            fluid("static meta =", names.metaName(n)),
            ";",
            hardline,
            fluid("static objects =", manager),
            ";",
          ]
        : [
            fluid("static readonly meta: ModelMeta =", names.metaName(n)),
            ";",
            hardline,
            fluid(`static readonly objects: ModelManager<${t}> =`, manager),
            ";",
          ];
  const constructor = m.fields.map((f) => [f.name, valueType(f, ctx), f.nullable] as const);
  const members: Doc[] = [
    managers,
    // Declared in `.js` too (`id;`), as a `.ts` class compiled with ES2022 fields declares
    // them: each field starts as `undefined`, so V8 keeps it a tagged slot. Without them the
    // constructor's first store sets the slot's representation: a number read from the native
    // result (boxed until the decoder is optimized) makes it a double field, boxed in every
    // instance, integers included (bench/memory.ts: 34 bytes a Book row).
    join(
      hardline,
      target === "js" ? m.fields.map((f) => `${f.name};`) : typed.map((member) => [member, ";"]),
    ),
    target === "ts"
      ? method(null, "constructor", typed, null, constructorBody(ctx))
      : member(
          ctx,
          null,
          "constructor",
          constructor.map(([field, type, nullable]) => [
            field,
            nullable ? unionType([type, "null"]) : type,
          ]),
          null,
          constructorBody(ctx),
        ),
    ...relationGetters(ctx),
    fetchRelated(ctx),
    ...persistence(ctx),
    ...statics(ctx),
  ].filter((doc) => doc !== "");
  const declaration = [
    target === "dts"
      ? `export declare class ${n} extends Model {`
      : `export class ${n} extends Model {`,
    indent([hardline, join([hardline, hardline], members)]),
    hardline,
    "}",
  ];
  return target === "dts" ? declaration : [declaration, hardline, hardline, `registerModel(${n});`];
}

function constructorBody(ctx: ModelContext): Doc[] {
  return ["super();", ...ctx.model.fields.map((f) => [fluid(`this.${f.name} =`, f.name), ";"])];
}
