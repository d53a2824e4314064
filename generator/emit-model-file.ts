/**
 * One model's file, sections in the order of docs/design.md: header, imports, enum unions,
 * meta, columns, decoder, filter and field types, relation paths, inputs, zod schemas, `XTypes`, the class.
 * Sections are emitted first so the import block lists exactly the names they used; the file is
 * then laid out as prettier would format it (`print/printer.ts`).
 */
import type { ModelContext } from "./context.js";
import { emitClass, emitTypes } from "./emit-class.js";
import { emitDecoder } from "./emit-decoder.js";
import { emitEnums } from "./emit-enums.js";
import { emitFieldTypes } from "./emit-field-types.js";
import { emitRelationPaths } from "./emit-relation-paths.js";
import { emitCreate, emitUpdate } from "./emit-inputs.js";
import { emitColumns, emitMeta } from "./emit-meta.js";
import { emitCreateSchema, emitUpdateSchema } from "./emit-schemas.js";
import { emitWhere } from "./emit-where.js";
import { header } from "./naming.js";
import { hardline, join, lines, type Doc } from "./print/doc.js";
import { printDoc } from "./print/printer.js";

/** Top-level sections separated by one blank line, the file ending in a newline. */
export function printSections(sections: readonly Doc[]): string {
  return printDoc([join([hardline, hardline], sections), hardline]);
}

/**
 * The model's file as `ctx.target`. A `.js` file holds no type sections, but imports (registers)
 * every model they name. Given `relatedModels`, the models the same model's `.d.ts` file named
 * (`Imports.relatedModels`; no emitter names a model for one target only, as
 * tests/generator/emitters.test.ts checks), it imports those and skips the type sections:
 * emitted for a `.js` file only to collect those names, they were an eighth of a cold 300-model
 * run's emitting. Without it, the type sections are emitted for their names alone.
 */
export function emitModelFile(
  ctx: ModelContext,
  schemaFile: string,
  relatedModels?: readonly string[],
): string {
  const printsTypes = ctx.target !== "js";
  const emitsTypes = printsTypes || relatedModels === undefined;
  for (const model of relatedModels ?? []) ctx.imports.model(model);
  const typeSection = (emitter: (ctx: ModelContext) => Doc | null): Doc | null => {
    if (!emitsTypes) return null;
    const doc = emitter(ctx);
    return printsTypes ? doc : null;
  };
  const sections = [
    typeSection(emitEnums),
    emitMeta(ctx),
    emitColumns(ctx),
    emitDecoder(ctx),
    typeSection(emitWhere),
    typeSection(emitFieldTypes),
    typeSection(emitRelationPaths),
    typeSection(emitCreate),
    typeSection(emitUpdate),
    emitCreateSchema(ctx),
    emitUpdateSchema(ctx),
    typeSection(emitTypes),
    emitClass(ctx),
  ].filter((s): s is Doc => s !== null);
  return printSections([
    lines(header(schemaFile).split("\n")),
    ctx.imports.render(ctx.target),
    ...sections,
  ]);
}
