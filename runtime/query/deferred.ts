/**
 * The types of `defer(...fields)`: a query whose instances lack those fields. The runtime loads
 * every other field (an only() list, query/queryset.ts); the type leaves the deferred ones out,
 * so reading one is a compile error rather than an `undefined` at run time. yara is async: a
 * property read cannot load the value the way Django's deferred attributes do.
 */
import type { Model } from "../model/model.js";
import type { ModelTypes } from "../model/types.js";

/** The instance property deferring `K` leaves out: the field itself, or a relation's key field (`author` → `authorId`). */
export type DeferredName<T extends ModelTypes, K extends string> = K extends keyof T["fields"]
  ? K
  : `${K}Id`;

/** `T` whose instances lack the fields `K` names. */
export interface Deferred<T extends ModelTypes, K extends string> extends ModelTypes {
  readonly model: Omit<T["model"], DeferredName<T, K>> & Model;
  readonly where: T["where"];
  readonly fields: T["fields"];
  readonly many: T["many"];
  readonly create: T["create"];
  readonly update: T["update"];
  readonly pk: T["pk"];
  readonly own: T["own"];
  readonly related: T["related"];
  readonly prefetch: T["prefetch"];
}
