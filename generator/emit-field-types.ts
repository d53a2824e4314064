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
import {
  fieldTypesName,
  manyFieldTypesName,
  nearFieldTypesName,
  ownFieldTypesName,
} from "./naming.js";
import { hardline, join, type Doc } from "./print/doc.js";
import {
  emptyInterface,
  interfaceDoc,
  propertyKey,
  typeReference,
  typedName,
} from "./print/syntax.js";

function prefixes(ctx: ModelContext, inner: (model: string) => string): Doc[] {
  return forwardToOne(ctx.model).map((r) => {
    const target = targetOf(ctx, r).name;
    const type = inner(target);
    const helper = r.nullable ? "NullablePrefixedFields" : "PrefixedFields";
    ctx.imports.model(target, type);
    ctx.imports.type(helper);
    return typeReference(helper, [JSON.stringify(r.name), type]);
  });
}

/** `PrefixedFields<"books", BookOwnFieldTypes>` for each to-many relation. */
function manyPrefixes(ctx: ModelContext): Doc[] {
  return ctx.model.relations
    .filter((r) => r.kind === "reverseForeignKey" || r.through !== undefined)
    .map((r) => {
      const type = ownFieldTypesName(targetOf(ctx, r).name);
      ctx.imports.model(targetOf(ctx, r).name, type);
      ctx.imports.type("PrefixedFields");
      return typeReference("PrefixedFields", [JSON.stringify(r.name), type]);
    });
}

/** `name: Type` or `name: Type | null` as an interface member or property declaration. */
export function typedMember(name: string, type: string, nullable: boolean): Doc {
  return typedName(propertyKey(name), nullable ? [type, "null"] : [type]);
}

export function emitFieldTypes(ctx: ModelContext): Doc {
  const m = ctx.model;
  const own = m.fields.map((f) => typedMember(f.name, valueType(f, ctx), f.nullable));
  const one = [ownFieldTypesName(m.name), ...prefixes(ctx, ownFieldTypesName)];
  const two = [ownFieldTypesName(m.name), ...prefixes(ctx, nearFieldTypesName)];
  return join(
    [hardline, hardline],
    [
      [
        `/** Value types of ${m.name}'s own fields. */`,
        hardline,
        interfaceDoc(ownFieldTypesName(m.name), own),
      ],
      [
        `/** ${ownFieldTypesName(m.name)} plus the fields of models one to-one relation away. */`,
        hardline,
        emptyInterface(nearFieldTypesName(m.name), one),
      ],
      [
        `/** Every path of ${m.name} for orderBy, values, valuesList and only, with its value type. */`,
        hardline,
        emptyInterface(fieldTypesName(m.name), two),
      ],
      [
        '/** Fields one to-many relation away, read by aggregates such as `Sum("books__price")`. */',
        hardline,
        emptyInterface(manyFieldTypesName(m.name), manyPrefixes(ctx)),
      ],
    ],
  );
}
