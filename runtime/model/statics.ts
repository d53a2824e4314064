/**
 * The model statics of api.md §3 (`Book.create(…)`, `Book.filter(…)`, `Book.count()`, …). A
 * generated class only declares them, typed as its manager's or its QuerySet's methods
 * (`declare static readonly filter: ModelManager<BookTypes>["filter"]`); `registerModel` gives
 * the class these implementations, so a client of many models carries no body per model for
 * the type checker to read. Each reads the class's `objects` when called and works unbound
 * (`const { filter } = Book`), as a method written in the class did.
 */
import type { ModelClass } from "../registry.js";

/**
 * The lists yara-gen declares on every generated class too (through yara-orm/internal), so a
 * declared static always has its implementation here.
 *
 * Statics that are the manager's method of the same name: `Book.filter(w)` is `Book.objects.filter(w)`. */
export const MANAGER_STATICS = [
  "create",
  "bulkCreate",
  "get",
  "getOrNone",
  "getOrCreate",
  "updateOrCreate",
  "all",
  "filter",
  "exclude",
  "first",
  "raw",
] as const;

/** Statics that are the method of `Book.all()`: `Book.count` is `Book.all().count`, bound. */
export const QUERY_STATICS = [
  "annotate",
  "count",
  "exists",
  "orderBy",
  "values",
  "valuesList",
  "only",
  "selectRelated",
  "prefetchRelated",
  "selectForUpdate",
] as const;

type Methods = Record<string, (...args: unknown[]) => unknown>;

/**
 * Defines the statics `model` does not define itself, as class syntax would: non-enumerable,
 * the manager statics as methods, the QuerySet entry points as getters.
 */
export function defineModelStatics(model: ModelClass): void {
  const manager = () => model.objects as unknown as Methods;
  for (const name of MANAGER_STATICS) {
    if (Object.hasOwn(model, name)) continue;
    Object.defineProperty(model, name, {
      value: { [name]: (...args: unknown[]) => manager()[name]!(...args) }[name],
      writable: true,
      configurable: true,
    });
  }
  for (const name of QUERY_STATICS) {
    if (Object.hasOwn(model, name)) continue;
    Object.defineProperty(model, name, {
      get() {
        const all = model.objects.all() as Methods;
        return all[name]!.bind(all);
      },
      configurable: true,
    });
  }
}
