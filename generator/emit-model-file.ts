/**
 * One model's file, sections in the order of docs/design.md: header, imports, enum unions,
 * meta, columns, decoder, filter and field types, relation paths, inputs, zod schemas, `XTypes`, the class.
 * Sections are emitted first so the import block lists exactly the names they used.
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

export function emitModelFile(ctx: ModelContext, schemaFile: string): string {
  const sections = [
    emitEnums(ctx),
    emitMeta(ctx),
    emitColumns(ctx),
    emitDecoder(ctx),
    emitWhere(ctx),
    emitFieldTypes(ctx),
    emitRelationPaths(ctx),
    emitCreate(ctx),
    emitUpdate(ctx),
    emitCreateSchema(ctx),
    emitUpdateSchema(ctx),
    emitTypes(ctx),
    emitClass(ctx),
  ].filter((s): s is string => s !== null);
  return [header(schemaFile), ctx.imports.render(), ...sections].join("\n\n") + "\n";
}
