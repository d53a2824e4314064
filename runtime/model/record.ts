/**
 * What every model instance holds besides its fields: the relations loaded onto it and the field
 * values it was loaded or last saved with. Queries read and write these (selectRelated,
 * prefetchRelated, decoding); `Model` (model.ts) builds its persistence methods on top. Both
 * live in private fields, so they are neither enumerable nor serialised.
 */
import { RelationNotLoadedError } from "../errors.js";
import type { ModelMeta } from "./meta.js";

/** Field values in `meta.fields` order (datetimes as epoch milliseconds), as loaded or saved. */
export type Snapshot = readonly unknown[];

/**
 * Where the loaded values of instances decoded from one result can be read again (snapshot.ts):
 * an object shared by the result's instances, each of which keeps only its row — a row number
 * of the native result the source holds, or the driver's own row (mysql2's array of cells).
 */
export interface SnapshotSource {
  /** The snapshot of the row an instance keeps. */
  snapshotOf(row: unknown): Snapshot;
}

let relationsOf: (instance: ModelRecord) => Map<string, unknown> | undefined;
let createRelations: (instance: ModelRecord) => Map<string, unknown>;
let getSnapshot: (instance: ModelRecord) => Snapshot | undefined;
let setSnapshot: (instance: ModelRecord, snapshot: Snapshot | undefined) => void;
let setSource: (instance: ModelRecord, source: SnapshotSource, row: unknown) => void;
let lazy: (instance: ModelRecord) => boolean;

/**
 * The relations loaded onto an instance, and — when its loaded values are read again from the
 * result it was decoded from — that result, which the instance would otherwise hold itself.
 */
class LoadedRelations extends Map<string, unknown> {
  source: SnapshotSource | undefined = undefined;
}

/** The result an instance's loaded values are read from, if they are not a snapshot of their own. */
function sourceOf(links: LoadedRelations | SnapshotSource | undefined): SnapshotSource | undefined {
  return links instanceof LoadedRelations ? links.source : links;
}

/**
 * Hands back the object it is given instead of a new one, so that a subclass constructed with
 * `new Subclass(target)` defines its fields on `target` (ECMAScript's constructor return
 * override): InstanceSlots adds its private fields to an instance that way. It is a derived
 * class that returns without calling `super()`, which a derived constructor returning an object
 * may do: then nothing is allocated for `this`. (A base class allocates its `this` before its
 * body runs; where V8 did not inline the construction — a generated decoder past its inlining
 * budget — that was 24 bytes of garbage an instance, measured with the sampling heap profiler.)
 */
class Adopting extends Object {
  constructor(target: object) {
    // Never true: there only so that TypeScript sees the `super()` it requires.
    if (target === undefined) super();
    return target as Adopting;
  }
}

/**
 * An instance's two slots besides its fields (a 5 000-row fetch keeps every slot 5 000 times):
 * most fetched rows never load a relation, and keep their loaded values as a row of the result
 * they came from (snapshot.ts). ModelRecord's constructor adds them to each instance rather than
 * declaring them itself: V8 (node 20) does not inline the construction of a superclass that
 * declares fields, so each `new Book(…)` went through generic construct stubs (about 260 of
 * the 6 300 instructions a row of a 5 000-row mysql2 fetch under callgrind); a superclass
 * without fields whose constructor does this is inlined whole.
 */
class InstanceSlots extends Adopting {
  /**
   * The relations loaded onto the instance (created by the first one), or, until one is, the
   * result holding its loaded values (row `#loaded`).
   */
  #links: LoadedRelations | SnapshotSource | undefined = undefined;
  /**
   * The field values as last loaded or saved (snapshot.ts), to write only what changed: an array
   * of them (a `Snapshot`) or, while `#links` (or its `source`) holds the result they came from,
   * their row there — a row number, or the driver's own row (mysql2).
   */
  #loaded: unknown = undefined;

  static {
    // Every ModelRecord has the slots: its constructor added them.
    const slots = (instance: ModelRecord): InstanceSlots => instance as unknown as InstanceSlots;
    relationsOf = (instance) => {
      const links = slots(instance).#links;
      return links instanceof LoadedRelations ? links : undefined;
    };
    createRelations = (instance) => {
      const links = slots(instance).#links;
      if (links instanceof LoadedRelations) return links;
      const relations = new LoadedRelations();
      relations.source = links;
      return (slots(instance).#links = relations);
    };
    getSnapshot = (instance) => {
      const own = slots(instance);
      const source = sourceOf(own.#links);
      return source === undefined
        ? (own.#loaded as Snapshot | undefined)
        : source.snapshotOf(own.#loaded);
    };
    setSnapshot = (instance, snapshot) => {
      const own = slots(instance);
      own.#loaded = snapshot;
      const links = own.#links;
      if (links instanceof LoadedRelations) links.source = undefined;
      else own.#links = undefined;
    };
    setSource = (instance, source, row) => {
      const own = slots(instance);
      own.#loaded = row;
      const links = own.#links;
      // Every decoded row comes here with nothing in `#links` yet: testing for that first
      // skips the `instanceof`, which V8 does not fold for a class held in a binding and
      // runs as a generic lookup of Symbol.hasInstance (about 250 instructions a row of a
      // 5 000-row mysql2 fetch under callgrind).
      if (links !== undefined && links instanceof LoadedRelations) links.source = source;
      else own.#links = source;
    };
    lazy = (instance) => sourceOf(slots(instance).#links) !== undefined;
  }
}

/**
 * The base of `Model`: what a query needs of an instance, kept in its InstanceSlots, which are
 * private fields: neither enumerable nor serialised.
 */
export abstract class ModelRecord {
  constructor() {
    new InstanceSlots(this);
  }

  /**
   * The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. Named
   * with `_` so that `loaded` stays free for a field.
   */
  protected _loaded<T>(relation: string): T {
    return loadedRelation(this, relation) as T;
  }
}

/** Records `value` as the loaded `relation` of `instance` (used by fetchRelated and friends). */
export function setLoadedRelation(instance: ModelRecord, relation: string, value: unknown): void {
  createRelations(instance).set(relation, value);
}

/** Whether `relation` of `instance` was loaded (prefetchRelated skips what is already there). */
export function hasLoadedRelation(instance: ModelRecord, relation: string): boolean {
  return relationsOf(instance)?.has(relation) ?? false;
}

/** The loaded value of `relation`; a RelationNotLoadedError when nothing loaded it yet. */
export function loadedRelation(instance: ModelRecord, relation: string): unknown {
  const relations = relationsOf(instance);
  if (!relations?.has(relation)) {
    const meta = (instance.constructor as { meta?: ModelMeta }).meta;
    const kind = meta?.relations.find((r) => r.name === relation)?.kind;
    const toMany =
      kind === "reverseForeignKey" || kind === "manyToMany" || kind === "reverseManyToMany";
    throw new RelationNotLoadedError(modelNameOf(instance), relation, toMany);
  }
  return relations.get(relation);
}

/** Drops the loaded value of `relation` (a relation manager changed it in the database). */
export function forgetLoadedRelation(instance: ModelRecord, relation: string): void {
  relationsOf(instance)?.delete(relation);
}

/**
 * The values `instance` was loaded or last saved with, if it was (read again from its result
 * when it keeps one: a fresh array each call).
 */
export function loadedSnapshot(instance: ModelRecord): Snapshot | undefined {
  return getSnapshot(instance);
}

/** Records what `instance` holds now as its loaded values. */
export function setLoadedSnapshot(instance: ModelRecord, snapshot: Snapshot | undefined): void {
  setSnapshot(instance, snapshot);
}

/** Records that `instance`'s loaded values are row `row` of `source`. */
export function setSnapshotSource(
  instance: ModelRecord,
  source: SnapshotSource,
  row: unknown,
): void {
  setSource(instance, source, row);
}

/** Whether `instance` reads its loaded values from the result it was decoded from. */
export function keepsSnapshotSource(instance: ModelRecord): boolean {
  return lazy(instance);
}

/**
 * The named connection each instance belongs to, for the instances read, created or saved
 * through one (`using()`, `save({ using })`): its save(), delete(), refreshFromDb(),
 * fetchRelated() and relation managers run there, not where routers would send the model. Kept
 * beside the instances (most have none), so an instance pays nothing for it.
 */
const connections = new WeakMap<ModelRecord, string>();

/** The named connection `instance` was read from or written to, if one was named. */
export function instanceConnection(instance: ModelRecord): string | undefined {
  return connections.get(instance);
}

/** Records that `instance` belongs to the connection `name`. */
export function setInstanceConnection(instance: ModelRecord, name: string): void {
  connections.set(instance, name);
}

/**
 * Records that `rows`, and the to-one instances `paths` (selectRelated) joined onto them, belong
 * to the connection `name`.
 */
export function belongToConnection(
  rows: readonly ModelRecord[],
  paths: readonly string[],
  name: string,
): void {
  const segmented = paths.map((path) => path.split("__"));
  for (const row of rows) {
    connections.set(row, name);
    for (const segments of segmented) {
      let at: unknown = row;
      for (const segment of segments) {
        at = at instanceof ModelRecord ? relationsOf(at)?.get(segment) : undefined;
        if (at instanceof ModelRecord) connections.set(at, name);
      }
    }
  }
}

function modelNameOf(instance: ModelRecord): string {
  return (instance.constructor as { meta?: ModelMeta }).meta?.name ?? instance.constructor.name;
}
