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
 * The model's file as `ctx.target`. A `.js` file holds no type sections, but they are emitted
 * all the same: the models they name are the related models it imports (registers) too.
 */
export function emitModelFile(ctx: ModelContext, schemaFile: string): string {
  const types = ctx.target !== "js";
  const typesOnly = (doc: Doc | null): Doc | null => (types ? doc : null);
  const sections = [
    typesOnly(emitEnums(ctx)),
    emitMeta(ctx),
    emitColumns(ctx),
    emitDecoder(ctx),
    typesOnly(emitWhere(ctx)),
    typesOnly(emitFieldTypes(ctx)),
    typesOnly(emitRelationPaths(ctx)),
    typesOnly(emitCreate(ctx)),
    typesOnly(emitUpdate(ctx)),
    emitCreateSchema(ctx),
    emitUpdateSchema(ctx),
    typesOnly(emitTypes(ctx)),
    emitClass(ctx),
  ].filter((s): s is Doc => s !== null);
  return printSections([
    lines(header(schemaFile).split("\n")),
    ctx.imports.render(ctx.target),
    ...sections,
  ]);
}
