/**
 * The types of `defer(...fields)`: a query whose instances lack those fields. The runtime loads
 * every other field (an only() list, query/queryset.ts); the type leaves the deferred ones out,
 * so reading one is a compile error rather than an `undefined` at run time. yara is async: a
 * property read cannot load the value the way Django's deferred attributes do.
 */
import type { ModelRecord } from "../model/record.js";
import type { ModelTypes, WithInstance } from "../model/types.js";

/** The instance property deferring `K` leaves out: the field itself, or a relation's key field (`author` → `authorId`). */
export type DeferredName<T extends ModelTypes, K extends string> = K extends keyof T["fields"]
  ? K
  : `${K}Id`;

/** `T` whose instances lack the fields `K` names. */
export type Deferred<T extends ModelTypes, K extends string> = WithInstance<
  T,
  Omit<T["model"], DeferredName<T, K>> & ModelRecord
>;
