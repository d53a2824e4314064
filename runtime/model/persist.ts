/**
 * What instance methods do: `save()` (UPDATE by pk, else INSERT … RETURNING), `delete()`,
 * `refreshFromDb()` and `fetchRelated()`. Called through the model's ModelManager.
 */
import { DoesNotExist, ValidationError } from "../errors.js";
import { buildUpdate } from "../query/mutate.js";
import { checkPrefetch, prefetchPath } from "../query/prefetch.js";
import { QuerySet } from "../query/queryset.js";
import { runExecute } from "../query/run.js";
import { EMPTY_STATE, type QueryState } from "../query/state.js";
import { resolveWhere } from "../query/where.js";
import { insertRow, nowFor } from "./insert.js";
import type { ModelManager } from "./manager.js";
import { forgetLoadedRelation, type Model } from "./model.js";
import type { ModelTypes } from "./types.js";

type Manager = ModelManager<ModelTypes>;
type Row = Record<string, unknown>;

function pkState(manager: Manager, instance: Model): QueryState {
  const meta = manager.meta;
  const pk = (instance as unknown as Row)[meta.pk];
  if (pk === undefined || pk === null) {
    throw new ValidationError(
      `${meta.name} instance has no primary key (save it first)`,
      meta.name,
      meta.pk,
    );
  }
  return { ...EMPTY_STATE, where: [resolveWhere(meta, { [meta.pk]: pk })] };
}

function copyInto(manager: Manager, from: Model, to: Model): void {
  for (const f of manager.meta.fields)
    (to as unknown as Row)[f.name] = (from as unknown as Row)[f.name];
}

/**
 * UPDATE every loaded field by pk (autoNow fields set to now); INSERT when the pk is unset or no
 * row had it, unless the instance is partial (only()): then DoesNotExist.
 */
export async function saveInstance(manager: Manager, instance: Model): Promise<void> {
  const meta = manager.meta;
  const record = instance as unknown as Row;
  const now = new Date();
  for (const f of meta.fields) if (f.autoNow) record[f.name] = nowFor(f, now);
  const data: Row = {};
  for (const f of meta.fields) if (record[f.name] !== undefined) data[f.name] = record[f.name];
  const pk = record[meta.pk];
  if (pk !== undefined && pk !== null) {
    const state = pkState(manager, instance);
    const { [meta.pk]: _pk, ...changes } = data;
    const count =
      Object.keys(changes).length === 0
        ? await new QuerySet(manager, state).count()
        : await runExecute((d) => buildUpdate(meta, state, changes, d)!);
    if (count > 0) return;
    // An only() instance lacks fields: inserting it would silently fill them with defaults.
    if (meta.fields.some((f) => record[f.name] === undefined)) throw new DoesNotExist(meta.name);
  }
  const [written] = await manager.insertRows([insertRow(meta, data, now)], undefined);
  if (written) copyInto(manager, written, instance);
}

export async function deleteInstance(manager: Manager, instance: Model): Promise<void> {
  await new QuerySet(manager, pkState(manager, instance)).delete();
}

export async function refreshInstance(manager: Manager, instance: Model): Promise<void> {
  copyInto(manager, await new QuerySet(manager, pkState(manager, instance)).get(), instance);
}

/**
 * Loads each named relation path (`"author"`, `"books__tags"`), reloading its first level even
 * when it was loaded before: to-one relations as an instance (or null), to-many ones as arrays.
 */
export async function fetchRelated(
  manager: Manager,
  instance: Model,
  paths: readonly string[],
): Promise<void> {
  const meta = manager.meta;
  checkPrefetch(meta, paths);
  for (const path of paths) {
    forgetLoadedRelation(instance, path.split("__")[0]!);
    await prefetchPath(meta, [instance], path);
  }
}
