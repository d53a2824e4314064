/**
 * Filter types. Three per model, each built from the previous tier of related models, which is
 * what bounds relation paths even in cyclic schemas:
 *
 *   BookOwnWhere   own fields × lookups, `pk`, and each relation itself (`author: Author | 1`)
 *   BookNearWhere  BookOwnWhere + PrefixedWhere<"author", AuthorOwnWhere> for each foreign key /
 *                  one-to-one declared on Book (the relations a second hop may take)
 *   BookWhere      BookOwnWhere + PrefixedWhere<"tags", TagNearWhere> for every relation
 *
 * So a path takes at most two relation hops: the first through any relation (forward, reverse,
 * many-to-many: `tags__name`, `books__title`), the second through a to-one key the first
 * target declares (`author__publisher__name`, `books__author__name`). Paths such as
 * `author__books__title` (to-many on the second hop) are left out: on a 300-model schema they
 * multiply the key count, and with it the type-check time, several times over.
 *
 * The tiers above the own keys are interfaces, and the prefixing helpers are homomorphic mapped
 * types over them, so TypeScript builds a model's full key set only where it is used.
 */
import type { FieldIR, ModelIR, RelationIR } from "../schema/ir.js";
import { fieldOf, forwardToOne, targetOf, type ModelContext } from "./context.js";
import { inputType, lookupHelper, valueType } from "./kinds.js";
import { nearWhereName, ownWhereName, whereName } from "./naming.js";
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

/** `PrefixedWhere<"author", AuthorNearWhere>` for each relation, `inner` naming the target tier. */
function prefixes(
  ctx: ModelContext,
  relations: readonly RelationIR[],
  inner: (model: string) => string,
): Doc[] {
  return relations.map((r) => {
    const target = targetOf(ctx, r).name;
    const type = inner(target);
    ctx.imports.model(target, type);
    ctx.imports.type("PrefixedWhere");
    return typeReference("PrefixedWhere", [JSON.stringify(r.name), type]);
  });
}

export function emitWhere(ctx: ModelContext): Doc {
  const m = ctx.model;
  const own = [...m.fields.map((f) => fieldLookups(f, ctx)), pkAlias(ctx), ...relationLookups(ctx)];
  const near = [ownWhereName(m.name), ...prefixes(ctx, forwardToOne(m), ownWhereName)];
  const all = [ownWhereName(m.name), ...prefixes(ctx, m.relations, nearWhereName)];
  return [
    `/** ${m.name}'s own filter keys: \`field\` (exact), \`field__lookup\`, \`relation\`. */`,
    hardline,
    typeAlias(ownWhereName(m.name), intersectionType(own.map((doc) => ({ doc, object: false })))),
    hardline,
    hardline,
    `/** ${ownWhereName(m.name)} plus what its foreign keys reach: the last hop of a path. */`,
    hardline,
    emptyInterface(nearWhereName(m.name), near),
    hardline,
    hardline,
    `/** Every filter key of ${m.name}: own keys plus relation paths up to two hops. */`,
    hardline,
    emptyInterface(whereName(m.name), all),
  ];
}
