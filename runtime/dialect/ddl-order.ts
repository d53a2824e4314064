/**
 * The order `generateSchemas` creates tables in: every table after the tables its foreign keys
 * reference, so Postgres can check REFERENCES at CREATE time. A foreign key that closes a cycle
 * (A → B → A) cannot be created inline; it is reported as deferred and added afterwards with
 * ALTER TABLE. Self-references are fine inline.
 */
import type { ModelMeta } from "../model/meta.js";

export interface TableOrder {
  readonly models: readonly ModelMeta[];
  /** `${model}.${field}` of each foreign-key field whose target is created later. */
  readonly deferred: ReadonlySet<string>;
}

/** Names of the models a model's foreign keys (and one-to-ones) point at, self excluded. */
function referencedModels(model: ModelMeta): string[] {
  return model.relations
    .filter((r) => (r.kind === "foreignKey" || r.kind === "oneToOne") && r.target !== model.name)
    .map((r) => r.target);
}

/** Depth-first topological order, declaration order as the tie-break, cycles broken by deferral. */
export function tableOrder(models: readonly ModelMeta[]): TableOrder {
  const byName = new Map(models.map((m) => [m.name, m]));
  const state = new Map<string, "visiting" | "done">();
  const ordered: ModelMeta[] = [];

  const visit = (model: ModelMeta): void => {
    if (state.has(model.name)) return;
    state.set(model.name, "visiting");
    for (const target of referencedModels(model)) {
      const next = byName.get(target);
      if (next !== undefined && state.get(target) === undefined) visit(next);
    }
    state.set(model.name, "done");
    ordered.push(model);
  };
  for (const model of models) visit(model);

  const created = new Set<string>();
  const deferred = new Set<string>();
  for (const model of ordered) {
    created.add(model.name);
    for (const r of model.relations) {
      if ((r.kind !== "foreignKey" && r.kind !== "oneToOne") || r.keyField === undefined) continue;
      if (!created.has(r.target)) deferred.add(`${model.name}.${r.keyField}`);
    }
  }
  return { models: ordered, deferred };
}
