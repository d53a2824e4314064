/**
 * The generator core: a pure function from a validated schema to the files of its client,
 * keyed by path relative to the output directory, each already formatted as prettier would
 * format it. No I/O, and deterministic: the same IR always yields the same map, in schema order.
 * An `EmitCache` (watch mode) skips models whose file cannot have changed.
 */
import type { SchemaIR } from "../schema/ir.js";
import { modelContexts, type EmitTarget, type ModelContext } from "./context.js";
import type { EmitCache } from "./emit-cache.js";
import { declaredExports, emitIndex, emitVersionCheck } from "./emit-index.js";
import { emitModelFile } from "./emit-model-file.js";
import { EXTENSIONS, indexFile, modelFile, versionFile } from "./naming.js";

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
  /**
   * `js` (the default): each module as its implementation (`book.js`) and its declarations
   * (`book.d.ts`), so an application's type checker reads no generated body. `ts`: each module
   * as one TypeScript file, the form yara's tests type-check under strict.
   */
  readonly language?: "js" | "ts";
}

/** The targets a language writes each module as. */
const TARGETS: Record<"js" | "ts", readonly EmitTarget[]> = { js: ["js", "dts"], ts: ["ts"] };

export function emit(ir: SchemaIR, options: EmitOptions = {}): Map<string, string> {
  const schemaFile = options.schemaFile ?? ir.sourceFile;
  const language = options.language ?? "js";
  const targets = TARGETS[language];
  const files = new Map<string, string>();
  const keys = options.cache?.keys(ir, schemaFile, language);
  const contexts = targets.map((target) => modelContexts(ir, target));
  const declared = new Map<string, readonly string[]>();
  const dts = targets.indexOf("dts");
  ir.models.forEach((model, i) => {
    const name = model.name;
    const key = keys?.get(name);
    let output = key === undefined ? undefined : options.cache?.get(name, key);
    if (output === undefined) {
      const sources = emitModelFiles(
        contexts.map((ctxs) => ctxs[i]!),
        schemaFile,
      );
      output = { sources, exports: dts < 0 ? [] : declaredExports(sources[dts]!) };
      if (key !== undefined) options.cache?.set(name, key, output);
    }
    const { sources } = output;
    targets.forEach((target, t) => files.set(modelFile(name, EXTENSIONS[target]), sources[t]!));
    declared.set(name, output.exports);
  });
  for (const target of targets) {
    files.set(indexFile(EXTENSIONS[target]), emitIndex(ir, schemaFile, target, declared));
  }
  files.set(versionFile(language === "ts" ? ".ts" : ".js"), emitVersionCheck(schemaFile));
  options.cache?.retain(ir.models.map((m) => m.name));
  return files;
}

/**
 * One model's file for each of `contexts` (one per target), in their order. The declarations
 * (`dts`) are emitted first, so that the implementation (`js`) takes the models they name
 * instead of emitting its type sections only to find them (`emitModelFile`).
 */
function emitModelFiles(contexts: readonly ModelContext[], schemaFile: string): string[] {
  const declarations = contexts.find((ctx) => ctx.target === "dts");
  const declared = declarations === undefined ? undefined : emitModelFile(declarations, schemaFile);
  const relatedModels = declarations?.imports.relatedModels();
  return contexts.map((ctx) =>
    ctx === declarations ? declared! : emitModelFile(ctx, schemaFile, relatedModels),
  );
}
