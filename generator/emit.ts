/**
 * The generator core: a pure function from a validated schema to the files of its client,
 * keyed by path relative to the output directory, each already formatted as prettier would
 * format it. No I/O, and deterministic: the same IR always yields the same map, in schema order.
 * An `EmitCache` (watch mode) skips models whose file cannot have changed.
 */
import type { SchemaIR } from "../schema/ir.js";
import { modelContexts } from "./context.js";
import type { EmitCache } from "./emit-cache.js";
import { emitIndex, emitVersionCheck } from "./emit-index.js";
import { emitModelFile } from "./emit-model-file.js";
import { indexFile, modelFile, versionFile } from "./naming.js";

export { EmitCache } from "./emit-cache.js";

export interface EmitOptions {
  /**
   * How the `DO NOT EDIT` header names the schema file; the CLI passes its path relative to the
   * output directory so the output does not depend on where yara-gen runs. Default:
   * `ir.sourceFile`.
   */
  readonly schemaFile?: string;
  /** The files of the previous run, reused for models whose inputs are unchanged. */
  readonly cache?: EmitCache;
}

export function emit(ir: SchemaIR, options: EmitOptions = {}): Map<string, string> {
  const schemaFile = options.schemaFile ?? ir.sourceFile;
  const files = new Map<string, string>();
  const keys = options.cache?.keys(ir, schemaFile);
  for (const ctx of modelContexts(ir)) {
    const name = ctx.model.name;
    const key = keys?.get(name);
    let source = key === undefined ? undefined : options.cache?.get(name, key);
    if (source === undefined) {
      source = emitModelFile(ctx, schemaFile);
      if (key !== undefined) options.cache?.set(name, key, source);
    }
    files.set(modelFile(name), source);
  }
  files.set(indexFile, emitIndex(ir, schemaFile));
  files.set(versionFile, emitVersionCheck(schemaFile));
  options.cache?.retain(ir.models.map((m) => m.name));
  return files;
}
