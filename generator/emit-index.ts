/**
 * `index.ts`: the one module an application imports. Importing it registers every model; it
 * re-exports each model file and the runtime's public API (`YaraOrm`, `inTransaction`, `Q`,
 * `F`, aggregates, errors), so `import { Book, YaraOrm } from "./generated/index.js"` is enough.
 */
import type { SchemaIR } from "../schema/ir.js";
import { header, modelImport } from "./naming.js";

export function emitIndex(ir: SchemaIR, schemaFile: string): string {
  const models = ir.models.map((m) => `export * from "${modelImport(m.name)}";`);
  return [header(schemaFile), models.join("\n"), `export * from "yara-orm";`].join("\n\n") + "\n";
}
