/**
 * `bookCreateSchema` / `bookUpdateSchema`: zod schemas the model manager parses input with
 * before any SQL, turning failures into `ValidationError`s. Each field's value is checked by
 * `inputs.<kind>(…)`, the same check the runtime encoder applies to filter values, update() and
 * save(); the object rejects unknown keys.
 * Which of `author` / `authorId` is given is left to the types and the runtime.
 */
import type { FieldIR } from "../schema/ir.js";
import { forwardToOne, type ModelContext } from "./context.js";
import { zodSchema } from "./kinds.js";
import { isRequiredOnCreate } from "./emit-inputs.js";
import { propertyKey } from "./literal.js";
import { createSchemaName, updateSchemaName } from "./naming.js";

function uses(ctx: ModelContext, fields: readonly FieldIR[]): void {
  ctx.imports.value("z");
  if (fields.length > 0) ctx.imports.value("inputs");
}

function relationMembers(ctx: ModelContext): string[] {
  const relations = forwardToOne(ctx.model);
  if (relations.length > 0) ctx.imports.value("Model");
  return relations.map(
    (r) =>
      `  ${propertyKey(r.name)}: z.instanceof(Model)${r.nullable ? ".nullable()" : ""}.optional(),`,
  );
}

export function emitCreateSchema(ctx: ModelContext): string {
  const m = ctx.model;
  uses(ctx, m.fields);
  const members = m.fields.map((f) => {
    let schema = zodSchema(f);
    if (f.nullable) schema += ".nullable()";
    // A key column may be replaced by its relation (`author` instead of `authorId`).
    if (!isRequiredOnCreate(f) || f.relation !== undefined) schema += ".optional()";
    return `  ${propertyKey(f.name)}: ${schema},`;
  });
  return `/** Checks create input before any SQL; the manager reports failures as ValidationError. */
export const ${createSchemaName(m.name)} = z.strictObject({
${[...members, ...relationMembers(ctx)].join("\n")}
});`;
}

export function emitUpdateSchema(ctx: ModelContext): string {
  const m = ctx.model;
  uses(ctx, m.fields);
  ctx.imports.value("inputs");
  const members = m.fields.map((f) => {
    const schema = zodSchema(f) + (f.nullable ? ".nullable()" : "");
    return `  ${propertyKey(f.name)}: inputs.orExpression(${schema}).optional(),`;
  });
  return `/** Checks update input (values or expressions) before any SQL. */
export const ${updateSchemaName(m.name)} = z.strictObject({
${[...members, ...relationMembers(ctx)].join("\n")}
});`;
}
