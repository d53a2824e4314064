/**
 * What watch mode keeps between runs so an edit of one model re-emits only the files it can
 * change. A model's file is made from the model, the models its relation paths reach (up to
 * three hops: `RELATED_DEPTH`), the set of model names (enum type names avoid them) and the
 * schema file's label; its key is a digest of exactly those, source positions left out (an edit
 * above a model moves it without changing its file).
 */
import { createHash } from "node:crypto";
import type { ModelIR, SchemaIR } from "../schema/ir.js";
import { PREFETCH_DEPTH, RELATED_DEPTH } from "./emit-relation-paths.js";

const REACH = Math.max(RELATED_DEPTH, PREFETCH_DEPTH);

const digest = (text: string): string => createHash("sha1").update(text).digest("base64");

/** Every `"loc":{...}` a model's JSON holds (a string value holding one is escaped, so never matches). */
const LOCATIONS = /"loc":\{"line":\d+,"column":\d+\}/g;

/**
 * The model as its file sees it: everything but source locations. JSON.stringify without a
 * replacer, the locations cut out of its text after: a replacer called for every key took most
 * of a watch regeneration. A bigint (which JSON cannot hold) takes the replacer.
 */
function modelText(model: ModelIR): string {
  try {
    return JSON.stringify(model).replace(LOCATIONS, "");
  } catch {
    return JSON.stringify(model, (key, value: unknown) =>
      key === "loc" ? undefined : typeof value === "bigint" ? `${value}n` : value,
    );
  }
}

/** What one model emits: its file's sources, one per target, and the names its `.d.ts` exports. */
export interface ModelOutput {
  readonly sources: readonly string[];
  /** `declaredExports` of the declarations (none when the language writes no `.d.ts`). */
  readonly exports: readonly string[];
}

export class EmitCache {
  /** Per model: its key and what it emitted. */
  private readonly entries = new Map<string, { key: string; output: ModelOutput }>();
  /** Models whose file the latest run emitted (the others came from the cache). */
  emitted: string[] = [];

  /** The key of every model's file: a digest of its model and the models within reach. */
  keys(ir: SchemaIR, schemaFile: string, language = "js"): Map<string, string> {
    this.emitted = [];
    const own = new Map(ir.models.map((m) => [m.name, digest(modelText(m))] as const));
    const byName = new Map(ir.models.map((m) => [m.name, m] as const));
    const common = digest(`${language}\n${schemaFile}\n${[...own.keys()].join("\n")}`);
    const keys = new Map<string, string>();
    for (const model of ir.models) {
      const reached = new Set([model.name]);
      let level = [model];
      for (let hop = 0; hop < REACH; hop++) {
        const next: ModelIR[] = [];
        for (const m of level) {
          for (const r of m.relations) {
            if (reached.has(r.target)) continue;
            reached.add(r.target);
            const target = byName.get(r.target);
            if (target) next.push(target);
          }
        }
        level = next;
      }
      keys.set(model.name, [common, ...[...reached].map((n) => own.get(n))].join(","));
    }
    return keys;
  }

  get(model: string, key: string): ModelOutput | undefined {
    const entry = this.entries.get(model);
    return entry?.key === key ? entry.output : undefined;
  }

  set(model: string, key: string, output: ModelOutput): void {
    this.entries.set(model, { key, output });
    this.emitted.push(model);
  }

  /** Forgets models that are gone. */
  retain(models: readonly string[]): void {
    const keep = new Set(models);
    for (const name of this.entries.keys()) if (!keep.has(name)) this.entries.delete(name);
  }
}
