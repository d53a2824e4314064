/**
 * Filter types. Three per model, each built from the previous one's of related models, which is
 * what bounds relation paths at two hops (`author__books__title`) even in cyclic schemas:
 *
 *   BookOwnWhere   own fields × lookups, `pk`, and each relation itself (`author: Author | number`)
 *   BookNearWhere  FlatWhere<BookOwnWhere & PrefixedWhere<"author", AuthorOwnWhere> & …>   one hop
 *   BookWhere      FlatWhere<BookOwnWhere & PrefixedWhere<"author", AuthorNearWhere> & …>  two hops
 *
 * Every relation kind (forward, reverse, many-to-many) contributes a prefix. The helpers are
 * non-homomorphic mapped types, so the checker expands a model's filter keys only where a filter
 * object is checked against them (see runtime/types/paths.ts for why that matters).
 */
import type { FieldIR, ModelIR } from "../schema/ir.js";
import { fieldOf, targetOf, type ModelContext } from "./context.js";
import { inputType, lookupHelper, valueType } from "./kinds.js";
import { nearWhereName, ownWhereName, whereName } from "./naming.js";

/** `TextLookups<"title", string>`, `Lookups<"price", string | number, null>`. */
function fieldLookups(field: FieldIR, ctx: ModelContext): string {
  const helper = lookupHelper(field);
  ctx.imports.type(helper);
  const args = [JSON.stringify(field.name), inputType(field, ctx)];
  if (field.nullable) args.push("null");
  return `${helper}<${args.join(", ")}>`;
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
function relationLookups(ctx: ModelContext): string[] {
  return ctx.model.relations.map((r) => {
    const target = targetOf(ctx, r);
    ctx.imports.model(target.name, target.name);
    ctx.imports.type("RelationLookups");
    const args = [JSON.stringify(r.name), `${target.name} | ${pkType(target, ctx)}`];
    if (r.nullable && (r.kind === "foreignKey" || r.kind === "oneToOne")) args.push("null");
    return `RelationLookups<${args.join(", ")}>`;
  });
}

/** `pk` is an alias of the primary key in every filter. */
function pkAlias(ctx: ModelContext): string {
  const pk = fieldOf(ctx.model, ctx.model.pk);
  const helper = lookupHelper(pk);
  ctx.imports.type(helper);
  return `${helper}<"pk", ${inputType(pk, ctx)}>`;
}

/** `Prefixed<"author", AuthorNearWhere>` for every relation, with `inner` naming the target's type. */
function prefixes(ctx: ModelContext, inner: (model: string) => string): string[] {
  return ctx.model.relations.map((r) => {
    const target = targetOf(ctx, r).name;
    const type = inner(target);
    if (target !== ctx.model.name) ctx.imports.model(target, type);
    ctx.imports.type("PrefixedWhere");
    return `PrefixedWhere<${JSON.stringify(r.name)}, ${type}>`;
  });
}

/** `FlatWhere<A & B>`: one lazily expanded object type (see runtime/types/paths.ts). */
function flat(ctx: ModelContext, parts: readonly string[]): string {
  if (parts.length === 1) return parts[0] ?? "";
  ctx.imports.type("FlatWhere");
  return `FlatWhere<${parts.join(" & ")}>`;
}

export function emitWhere(ctx: ModelContext): string {
  const m = ctx.model;
  const own = [...m.fields.map((f) => fieldLookups(f, ctx)), pkAlias(ctx), ...relationLookups(ctx)];
  const one = flat(ctx, [ownWhereName(m.name), ...prefixes(ctx, ownWhereName)]);
  const two = flat(ctx, [ownWhereName(m.name), ...prefixes(ctx, nearWhereName)]);
  return `/** Filter keys of ${m.name}'s own fields: \`field\` (exact) and \`field__lookup\`. */
export type ${ownWhereName(m.name)} = ${own.join(" & ")};

/** ${ownWhereName(m.name)} plus the own filter keys of every related model, one relation hop away. */
export type ${nearWhereName(m.name)} = ${one};

/** Every filter key of ${m.name}: own fields and relation paths up to two hops deep. */
export type ${whereName(m.name)} = ${two};`;
}
