/**
 * Generated model classes register themselves here (`registerModel(Book)` at the end of each
 * model file) so the runtime can resolve relation targets by name when it builds a query.
 */
import { ConfigurationError } from "./errors.js";
import type { ModelMeta } from "./model/meta.js";
import type { Model } from "./model/model.js";

/** A generated model class: its metadata and its positional constructor (fields in meta order). */
export interface ModelClass<M extends Model = Model> {
  readonly meta: ModelMeta;
  readonly name: string;
  // Generated constructors take each field positionally; the runtime passes them in meta order.
  new (...args: never[]): M;
}

const models = new Map<string, ModelClass>();

export function registerModel(model: ModelClass): void {
  const existing = models.get(model.meta.name);
  if (existing && existing !== model) {
    throw new ConfigurationError(
      `Two different classes are registered as model ${model.meta.name}`,
    );
  }
  models.set(model.meta.name, model);
}

/** The registered class of model `name`; a ConfigurationError when its file was never imported. */
export function modelByName(name: string): ModelClass {
  const model = models.get(name);
  if (!model) {
    throw new ConfigurationError(
      `Model ${name} is not registered; import its generated file (or the generated index) first`,
    );
  }
  return model;
}

export function registeredModels(): readonly ModelClass[] {
  return [...models.values()];
}

/** Builds an instance from field values in meta order (what `raw`, `only` and `values` decoding use). */
export function construct<M extends Model>(model: ModelClass<M>, values: readonly unknown[]): M {
  const ctor = model as unknown as new (...args: unknown[]) => M;
  return new ctor(...values);
}
