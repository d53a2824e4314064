/** Named literal unions for enum fields: `export type BookStatus = "draft" | "published";`. */
import type { ModelContext } from "./context.js";
import { enumUnion, isEnum, valueType } from "./kinds.js";

export function emitEnums(ctx: ModelContext): string | null {
  const enums = ctx.model.fields.filter(isEnum);
  if (enums.length === 0) return null;
  return enums
    .map(
      (f) =>
        `/** Values of ${ctx.model.name}.${f.name}. */\nexport type ${valueType(f, ctx)} = ${enumUnion(f)};`,
    )
    .join("\n\n");
}
