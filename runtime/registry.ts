/**
 * Generated model classes register themselves here (`registerModel(Book)` at the end of each
 * model file) so the runtime can resolve relation targets by name when it builds a query;
 * registering also gives the class the model statics it declares (model/statics.ts). A
 * model's manager is its class's `objects`: `modelByName("Book").objects` is the one way to it.
 */
import { ConfigurationError } from "./errors.js";
import type { ModelMeta } from "./model/meta.js";
import type { ModelRecord } from "./model/record.js";
import type { RowReader } from "./driver/driver.js";
import { defineModelStatics } from "./model/statics.js";

/** What queries read of a model's manager found through its class (relation targets). */
export interface ClassManager {
  /** The generated decoder (selectRelated reads joined rows with it). */
  readonly decode: (r: RowReader, i: number, c?: number) => ModelRecord;
  /** A query set of every row (a QuerySet of the model; prefetchRelated starts from it). */
  all(): unknown;
}

/** A generated model class: its metadata and its positional constructor (fields in meta order). */
export interface ModelConstructor<M extends ModelRecord = ModelRecord> {
  readonly meta: ModelMeta;
  readonly name: string;
  // Generated constructors take each field positionally; the runtime passes them in meta order.
  new (...args: never[]): M;
}

/** A registered model class: a ModelConstructor with its manager. */
export interface ModelClass<M extends ModelRecord = ModelRecord> extends ModelConstructor<M> {
  /** The model's manager (`Book.objects`), as far as the runtime reads it through the class. */
  readonly objects: ClassManager;
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
  defineModelStatics(model);
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
export function construct<M extends ModelRecord>(
  model: ModelConstructor<M>,
  values: readonly unknown[],
): M {
  const ctor = model as unknown as new (...args: unknown[]) => M;
  return new ctor(...values);
}
