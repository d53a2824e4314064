/**
 * The generator core: a pure function from a validated schema to the files of its client,
 * keyed by path relative to the output directory. No I/O, no formatting (see `format.ts`),
 * and deterministic: the same IR always yields the same map, in schema order.
 */
import type { SchemaIR } from "../schema/ir.js";
import { modelContexts } from "./context.js";
import { emitIndex } from "./emit-index.js";
import { emitModelFile } from "./emit-model-file.js";
import { indexFile, modelFile } from "./naming.js";

export interface EmitOptions {
  /**
   * How the `DO NOT EDIT` header names the schema file; the CLI passes its path relative to the
   * output directory so the output does not depend on where yara-gen runs. Default:
   * `ir.sourceFile`.
   */
  readonly schemaFile?: string;
}

export function emit(ir: SchemaIR, options: EmitOptions = {}): Map<string, string> {
  const schemaFile = options.schemaFile ?? ir.sourceFile;
  const files = new Map<string, string>();
  for (const ctx of modelContexts(ir)) {
    files.set(modelFile(ctx.model.name), emitModelFile(ctx, schemaFile));
  }
  files.set(indexFile, emitIndex(ir, schemaFile));
  return files;
}
