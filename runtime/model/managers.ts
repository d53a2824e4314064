/**
 * Which ModelManager serves which model class, so instance methods (`save`, `delete`, …) and
 * relation loading find it without importing every generated file. Filled by the ModelManager
 * constructor.
 */
import { ConfigurationError } from "../errors.js";
import type { ModelClass } from "../registry.js";
import type { ModelManager } from "./manager.js";
import type { Model } from "./model.js";
import type { ModelTypes } from "./types.js";

const managers = new WeakMap<object, ModelManager<ModelTypes>>();

export function bindManager(model: ModelClass, manager: ModelManager<ModelTypes>): void {
  managers.set(model, manager);
}

export function managerOf(model: ModelClass): ModelManager<ModelTypes> {
  const manager = managers.get(model);
  if (!manager) throw new ConfigurationError(`Model ${model.name} has no ModelManager`);
  return manager;
}

export function instanceManager(instance: Model): ModelManager<ModelTypes> {
  return managerOf(instance.constructor as unknown as ModelClass);
}
