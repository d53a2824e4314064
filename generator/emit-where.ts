/**
 * Filter types, two per model:
 *
 *   BookOwnWhere  own fields × lookups, `pk`, and each relation itself (`author: Author | 1`)
 *   BookWhere     BookOwnWhere + PrefixedWhere<"tags", TagOwnWhere> for every relation, and
 *                 PrefixedWhere<"author__publisher", PublisherOwnWhere> for every to-one key
 *                 (foreign key / one-to-one) each relation's target declares
 *
 * So a path takes at most two relation hops: the first through any relation (forward, reverse,
 * many-to-many: `tags__name`, `books__title`), the second through a to-one key the first
 * target declares (`author__publisher__name`, `books__author__name`). Paths such as
 * `author__books__title` (to-many on the second hop) are left out: on a 300-model schema they
 * multiply the key count, and with it the type-check time, several times over.
 *
 * Both are interfaces (the own one extends the lookup helpers instead of intersecting them),
 * and every path is one prefix over an own-keys interface, never a prefix of a prefix: the
 * checker renames each key once and builds a model's key set only where it is used.
 */
import type { FieldIR, ModelIR } from "../schema/ir.js";
import { fieldOf, forwardToOne, targetOf, type ModelContext } from "./context.js";
import { inputType, lookupHelper, valueType } from "./kinds.js";
import { ownWhereName, whereName } from "./naming.js";
import { hardline, type Doc } from "./print/doc.js";
import {
  emptyInterface,
  intersectionType,
  typeAlias,
  typeReference,
  unionArgument,
} from "./print/syntax.js";

/** `string | number` as a type argument; a plain name or keyword otherwise. */
function typeDoc(type: string): Doc {
  const parts = type.split(" | ");
  return parts.length === 1 ? type : unionArgument(parts);
}

/** `TextLookups<"title", string>`, `Lookups<"price", string | number, null>`. */
function fieldLookups(field: FieldIR, ctx: ModelContext): Doc {
  const helper = lookupHelper(field);
  ctx.imports.type(helper);
  const args = [JSON.stringify(field.name), typeDoc(inputType(field, ctx))];
  if (field.nullable) args.push("null");
  return typeReference(helper, args);
}

/** The type of another model's primary key, importing it when it is that model's enum. */
export function pkType(target: ModelIR, ctx: ModelContext): string {
  const pk = fieldOf(target, target.pk);
  const type = valueType(pk, { model: target, modelNames: ctx.modelNames });
  if (pk.kind === "charEnum" || pk.kind === "intEnum") ctx.imports.model(target.name, type);
  return type;
}

/**
 * `RelationLookups<"author", Author | number>`: every relation named on its own takes an
 * instance or a key (the target's pk for to-many relations); `null` only on nullable keys.
 */
function relationLookups(ctx: ModelContext): Doc[] {
  return ctx.model.relations.map((r) => {
    const target = targetOf(ctx, r);
    ctx.imports.model(target.name, target.name);
    ctx.imports.type("RelationLookups");
    const args = [JSON.stringify(r.name), unionArgument([target.name, pkType(target, ctx)])];
    if (r.nullable && (r.kind === "foreignKey" || r.kind === "oneToOne")) args.push("null");
    return typeReference("RelationLookups", args);
  });
}

/** `pk` is an alias of the primary key in every filter. */
function pkAlias(ctx: ModelContext): Doc {
  const pk = fieldOf(ctx.model, ctx.model.pk);
  const helper = lookupHelper(pk);
  ctx.imports.type(helper);
  return typeReference(helper, ['"pk"', typeDoc(inputType(pk, ctx))]);
}

/**
 * `PrefixedWhere<"author", AuthorOwnWhere>` for each relation, then
 * `PrefixedWhere<"author__publisher", PublisherOwnWhere>` for each to-one key of its target:
 * every path is one prefix over an own-keys type, never a prefix over a prefix.
 */
function paths(ctx: ModelContext): Doc[] {
  const out: Doc[] = [];
  const prefix = (path: string, target: ModelIR) => {
    const type = ownWhereName(target.name);
    ctx.imports.model(target.name, type);
    ctx.imports.type("PrefixedWhere");
    out.push(typeReference("PrefixedWhere", [JSON.stringify(path), type]));
  };
  for (const r of ctx.model.relations) prefix(r.name, targetOf(ctx, r));
  for (const r of ctx.model.relations) {
    const target = targetOf(ctx, r);
    for (const hop of forwardToOne(target)) {
      prefix(`${r.name}__${hop.name}`, targetOf(ctx, hop));
    }
  }
  return out;
}

/**
 * The own keys as an interface extending the lookup helpers; as an intersection when a JSON
 * field brings an index signature (`data__${string}`), which on an interface would refuse the
 * unscoped conditions (`Case(When(…))` built outside a query) that the intersection accepts.
 */
function ownWhere(ctx: ModelContext, own: readonly Doc[]): Doc {
  const name = ownWhereName(ctx.model.name);
  if (ctx.model.fields.some((f) => lookupHelper(f) === "JsonLookups")) {
    return typeAlias(name, intersectionType(own.map((doc) => ({ doc, object: false }))));
  }
  return emptyInterface(name, own);
}

export function emitWhere(ctx: ModelContext): Doc {
  const m = ctx.model;
  const own = [...m.fields.map((f) => fieldLookups(f, ctx)), pkAlias(ctx), ...relationLookups(ctx)];
  return [
    `/** ${m.name}'s own filter keys: \`field\` (exact), \`field__lookup\`, \`relation\`. */`,
    hardline,
    ownWhere(ctx, own),
    hardline,
    hardline,
    `/** Every filter key of ${m.name}: own keys plus relation paths up to two hops. */`,
    hardline,
    emptyInterface(whereName(m.name), [ownWhereName(m.name), ...paths(ctx)]),
  ];
}
