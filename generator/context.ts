/**
 * What every per-model emitter receives: the model, the rest of the schema (relation targets),
 * and the import list of the file being written, which emitters add to as they use names.
 */
import type { ModelIR, RelationIR, SchemaIR } from "../schema/ir.js";
import { Imports } from "./imports.js";

/**
 * What a file is written as: TypeScript (`ts`: declarations and implementation in one file, the
 * form yara's tests type-check under strict), or the pair an application imports by default, the
 * implementation (`js`) and its declarations (`dts`), so the type checker never reads a body.
 */
export type EmitTarget = "ts" | "js" | "dts";

export interface ModelContext {
  readonly model: ModelIR;
  readonly target: EmitTarget;
  readonly models: ReadonlyMap<string, ModelIR>;
  readonly modelNames: ReadonlySet<string>;
  readonly imports: Imports;
}

export function modelContexts(ir: SchemaIR, target: EmitTarget = "ts"): ModelContext[] {
  const models = new Map(ir.models.map((m) => [m.name, m] as const));
  const modelNames = new Set(models.keys());
  return ir.models.map((model) => ({
    model,
    target,
    models,
    modelNames,
    imports: new Imports(model.name),
  }));
}

/** The model a relation points at; the IR is validated, so a missing target is a bug. */
export function targetOf(ctx: ModelContext, relation: RelationIR): ModelIR {
  const target = ctx.models.get(relation.target);
  if (!target)
    throw new Error(`${ctx.model.name}.${relation.name}: unknown model ${relation.target}`);
  return target;
}

/** Relations whose key column lives on this model: `foreignKey` and `oneToOne`. */
export function forwardToOne(model: ModelIR): RelationIR[] {
  return model.relations.filter((r) => r.kind === "foreignKey" || r.kind === "oneToOne");
}

/** The field named `name`; the IR is validated, so a missing one is a bug. */
export function fieldOf(model: ModelIR, name: string) {
  const field = model.fields.find((f) => f.name === name);
  if (!field) throw new Error(`${model.name}: no field ${name}`);
  return field;
}
