/**
 * Model signals: `Book.on("postSave", fn)` (Django's and Tortoise's pre_save / post_save /
 * pre_delete / post_delete), plus one event per bulk or query-set write, which fire no per-row
 * signal (as in Django). Each model's ModelManager holds a `ModelHooks` only once something
 * subscribed, so saving and deleting without hooks costs one property check; with hooks, the
 * write and its hooks run in one transaction (a savepoint inside an open one), awaited in the
 * order they were registered, so a throwing hook rolls the write back.
 */
import { ValidationError } from "../errors.js";
import type { QuerySet } from "../query/queryset.js";
import type { ModelTypes } from "./types.js";

/** What `preSave` and `postSave` hooks receive besides the instance. */
export interface SaveEvent {
  /** `save({ updateFields })` as given, else undefined (every changed field). */
  readonly updateFields: readonly string[] | undefined;
}

export interface PostSaveEvent extends SaveEvent {
  /** True when the save INSERTed the row. */
  readonly created: boolean;
}

/** Every event a model's hooks can subscribe to, with the arguments each receives. */
export interface ModelEvents<T extends ModelTypes> {
  /** Before `instance.save()` writes (the hook may still change the instance). */
  readonly preSave: (instance: T["model"], event: SaveEvent) => unknown;
  /** After `instance.save()` wrote; `created` when it INSERTed. */
  readonly postSave: (instance: T["model"], event: PostSaveEvent) => unknown;
  /** Before `instance.delete()`. */
  readonly preDelete: (instance: T["model"]) => unknown;
  /** After `instance.delete()` (rows removed by a database cascade fire nothing). */
  readonly postDelete: (instance: T["model"]) => unknown;
  /** After `bulkCreate(rows)` inserted `instances` (no per-row preSave / postSave). */
  readonly bulkCreate: (event: { readonly instances: readonly T["model"][] }) => unknown;
  /** After `bulkUpdate(instances, fields)` wrote `count` rows (no per-row preSave / postSave). */
  readonly bulkUpdate: (event: {
    readonly instances: readonly T["model"][];
    readonly fields: readonly string[];
    readonly count: number;
  }) => unknown;
  /** After a query set's `update(data)` changed `count` rows. */
  readonly queryUpdate: (event: {
    readonly query: QuerySet<T>;
    readonly data: T["update"];
    readonly count: number;
  }) => unknown;
  /** After a query set's `delete()` removed `count` rows (no per-row preDelete / postDelete). */
  readonly queryDelete: (event: { readonly query: QuerySet<T>; readonly count: number }) => unknown;
}

export type ModelEvent = keyof ModelEvents<ModelTypes>;

const EVENTS: readonly ModelEvent[] = [
  "preSave",
  "postSave",
  "preDelete",
  "postDelete",
  "bulkCreate",
  "bulkUpdate",
  "queryUpdate",
  "queryDelete",
];

type Hook = (...args: never[]) => unknown;

/** The hooks registered on one model, by event, in registration order. */
export class ModelHooks {
  readonly #byEvent = new Map<ModelEvent, Hook[]>();

  /** Whether any hook listens to one of `events`. */
  has(...events: ModelEvent[]): boolean {
    return events.some((e) => (this.#byEvent.get(e)?.length ?? 0) > 0);
  }

  get size(): number {
    let n = 0;
    for (const list of this.#byEvent.values()) n += list.length;
    return n;
  }

  add(event: ModelEvent, hook: Hook): () => void {
    const list = this.#byEvent.get(event) ?? [];
    list.push(hook);
    this.#byEvent.set(event, list);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const current = this.#byEvent.get(event) ?? [];
      const at = current.indexOf(hook);
      // A copy, so an emit already running keeps the list it started with.
      if (at >= 0) this.#byEvent.set(event, [...current.slice(0, at), ...current.slice(at + 1)]);
    };
  }

  /** Awaits every hook of `event` in registration order with `args`. */
  async emit(event: ModelEvent, ...args: unknown[]): Promise<void> {
    const list = this.#byEvent.get(event);
    if (list === undefined) return;
    for (const hook of list) await (hook as (...a: unknown[]) => unknown)(...args);
  }
}

/** `on(event, fn)` arguments, checked: an unknown event or a hook that is not a function is a ValidationError. */
export function checkHook(model: string, event: unknown, hook: unknown): ModelEvent {
  if (typeof event !== "string" || !(EVENTS as readonly string[]).includes(event))
    throw new ValidationError(
      `${model}.on(): unknown event ${JSON.stringify(String(event))}; the events are ${EVENTS.join(", ")}`,
      model,
      undefined,
    );
  if (typeof hook !== "function")
    throw new ValidationError(
      `${model}.on("${event}"): the hook must be a function`,
      model,
      undefined,
    );
  return event as ModelEvent;
}
