/**
 * Value types of every path `orderBy`, `values`, `valuesList` and `only` accept: own fields plus
 * paths through to-one relations the model holds the key of, up to two hops
 * (`author__name`, `author__publisher__name`), built in the same tiers as the filter types.
 * Paths through a nullable key (a LEFT JOIN) may be `null`. A fourth interface lists the own
 * fields of models one to-many relation away (`books__price`), which aggregates read
 * (`Sum("books__price")` is `string | null` because `price` is a decimal).
 */
import { forwardToOne, targetOf, type ModelContext } from "./context.js";
import { valueType } from "./kinds.js";
import { propertyKey } from "./literal.js";
import {
  fieldTypesName,
  manyFieldTypesName,
  nearFieldTypesName,
  ownFieldTypesName,
} from "./naming.js";

function prefixes(ctx: ModelContext, inner: (model: string) => string): string[] {
  return forwardToOne(ctx.model).map((r) => {
    const target = targetOf(ctx, r).name;
    const type = inner(target);
    const helper = r.nullable ? "NullablePrefixedFields" : "PrefixedFields";
    ctx.imports.model(target, type);
    ctx.imports.type(helper);
    return `${helper}<${JSON.stringify(r.name)}, ${type}>`;
  });
}

function tier(name: string, bases: readonly string[]): string {
  return bases.length === 0
    ? `export interface ${name} {}`
    : `export interface ${name} extends ${bases.join(", ")} {}`;
}

/** `PrefixedFields<"books", BookOwnFieldTypes>` for each to-many relation. */
function manyPrefixes(ctx: ModelContext): string[] {
  return ctx.model.relations
    .filter((r) => r.kind === "reverseForeignKey" || r.through !== undefined)
    .map((r) => {
      const type = ownFieldTypesName(targetOf(ctx, r).name);
      ctx.imports.model(targetOf(ctx, r).name, type);
      ctx.imports.type("PrefixedFields");
      return `PrefixedFields<${JSON.stringify(r.name)}, ${type}>`;
    });
}

export function emitFieldTypes(ctx: ModelContext): string {
  const m = ctx.model;
  const own = m.fields
    .map((f) => `  ${propertyKey(f.name)}: ${valueType(f, ctx)}${f.nullable ? " | null" : ""};`)
    .join("\n");
  const one = [ownFieldTypesName(m.name), ...prefixes(ctx, ownFieldTypesName)];
  const two = [ownFieldTypesName(m.name), ...prefixes(ctx, nearFieldTypesName)];
  return `/** Value types of ${m.name}'s own fields. */
export interface ${ownFieldTypesName(m.name)} {
${own}
}

/** ${ownFieldTypesName(m.name)} plus the fields of models one to-one relation away. */
${tier(nearFieldTypesName(m.name), one)}

/** Every path of ${m.name} for orderBy, values, valuesList and only, with its value type. */
${tier(fieldTypesName(m.name), two)}

/** Fields one to-many relation away, read by aggregates such as \`Sum("books__price")\`. */
${tier(manyFieldTypesName(m.name), manyPrefixes(ctx))}`;
}
