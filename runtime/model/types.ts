/**
 * The one type parameter that ties a generated model to the generic runtime: the generator
 * emits `interface BookTypes extends ModelTypes { ... }` and every runtime class that serves a
 * model (`ModelManager`, `QuerySet`) is parameterised by it alone, which keeps type-checking
 * cheap for large schemas.
 */
import type { ModelRecord } from "./record.js";

export interface ModelTypes {
  /** The model class's instance type: `Book`. */
  readonly model: ModelRecord;
  /** Object accepted by `filter`, `exclude`, `get`: `BookWhere`. */
  readonly where: object;
  /**
   * Value type of every path usable in `orderBy`, `values`, `valuesList`, `only`:
   * `{ id: number; title: string; author__name: string; … }`.
   */
  readonly fields: object;
  /** Fields one to-many relation away, for aggregates: `{ books__price: string | null; … }`. */
  readonly many: object;
  /** Input of `create`: `BookCreate`. */
  readonly create: object;
  /** Input of `QuerySet.update` and the defaults of `updateOrCreate`: `BookUpdate`. */
  readonly update: object;
  /** Primary-key type: `number`. */
  readonly pk: number | bigint | string;
  /**
   * Own field names and forward to-one relation names (a relation stands for its key field),
   * as `only()`, `save({ updateFields })` and `refreshFromDb(fields)` take them:
   * `"id" | "title" | … | "authorId" | "author"`.
   */
  readonly own: string;
  /** Paths `selectRelated` accepts (to-one relations): `"author" | "author__profile"`. */
  readonly related: string;
  /** Paths `prefetchRelated` / `fetchRelated` accept (any relation): `"books" | "books__tags"`. */
  readonly prefetch: string;
}

/** `T` with instances of type `M`: what `defer()` and `Prefetch(…, { toAttr })` make of it. */
export interface WithInstance<T extends ModelTypes, M extends ModelRecord> extends ModelTypes {
  readonly model: M;
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
