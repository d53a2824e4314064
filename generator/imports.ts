/**
 * The import block of one generated model file, collected while its sections are emitted so it
 * names exactly what the file uses: runtime values and types from "yara-orm", type-only imports
 * of related models, and a side-effect import of each related model file so every relation
 * target is registered before a query resolves it.
 */
import type { EmitTarget } from "./context.js";
import { modelImport } from "./naming.js";
import { lines, type Doc } from "./print/doc.js";
import { importDeclaration } from "./print/syntax.js";

const byName = (a: string, b: string): number =>
  a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;

export class Imports {
  private readonly values = new Set<string>();
  private readonly types = new Set<string>();
  private readonly related = new Map<string, Set<string>>();

  constructor(private readonly self: string) {}

  /** A runtime value: `Model`, `z`, `registerModel`. */
  value(...names: string[]): void {
    for (const name of names) this.values.add(name);
  }

  /** A runtime type: `ModelMeta`, `Lookups`. */
  type(...names: string[]): void {
    for (const name of names) this.types.add(name);
  }

  /** Type names exported by another model's file (nothing for the model's own file). */
  model(model: string, ...names: string[]): void {
    if (model === this.self) return;
    const set = this.related.get(model) ?? new Set<string>();
    for (const name of names) set.add(name);
    this.related.set(model, set);
  }

  /** The other models this file names, each once (a `.js` file imports each to register it). */
  relatedModels(): string[] {
    return [...this.related.keys()];
  }

  /**
   * A `.js` file imports only values and the related model files; a `.d.ts` file only names,
   * its related models' types among them (registering models is the implementation's business).
   */
  render(target: EmitTarget = "ts"): Doc {
    const types = target === "js" ? [] : [...this.types];
    const runtime = [
      ...[...this.values].sort(byName),
      ...types
        .filter((t) => !this.values.has(t))
        .sort(byName)
        .map((t) => `type ${t}`),
    ];
    const out: Doc[] = [importDeclaration("import", runtime, "yara-orm")];
    const models = [...this.related.keys()].sort(byName);
    for (const model of target === "js" ? [] : models) {
      const names = [...(this.related.get(model) ?? [])].sort(byName);
      if (names.length > 0) out.push(importDeclaration("import type", names, modelImport(model)));
    }
    if (models.length > 0 && target !== "dts") {
      out.push("// Registers related models before any query resolves a relation target.");
      for (const model of models) out.push(`import "${modelImport(model)}";`);
    }
    return lines(out);
  }
}
