/** Named literal unions for enum fields: `export type BookStatus = "draft" | "published";`. */
import type { ModelContext } from "./context.js";
import { enumMembers, isEnum, valueType } from "./kinds.js";
import { hardline, join, type Doc } from "./print/doc.js";
import { unionTypeAlias } from "./print/syntax.js";

export function emitEnums(ctx: ModelContext): Doc | null {
  const enums = ctx.model.fields.filter(isEnum);
  if (enums.length === 0) return null;
  return join(
    [hardline, hardline],
    enums.map((f) => [
      `/** Values of ${ctx.model.name}.${f.name}. */`,
      hardline,
      unionTypeAlias(valueType(f, ctx), enumMembers(f)),
    ]),
  );
}
