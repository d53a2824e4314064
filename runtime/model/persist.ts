/**
 * What instance methods do: `save()` (UPDATE by pk, else INSERT … RETURNING), `delete()`,
 * `refreshFromDb()` and `fetchRelated()`. Called through the model's ModelManager.
 */
import { DoesNotExist, ValidationError } from "../errors.js";
import { checkOptions } from "../options.js";
import { ownFieldName } from "../query/path.js";
import { buildDelete, buildUpdate } from "../query/mutate.js";
import { checkPrefetch, prefetchPath } from "../query/prefetch.js";
import { QuerySet } from "../query/queryset.js";
import { runExecute, runQuery } from "../query/run.js";
import { inTransactionOn, undoOnRollback } from "../transaction.js";
import { EMPTY_STATE, type QueryState, selectFor } from "../query/state.js";
import { literal } from "../ast/literal.js";
import { resolveWhere } from "../query/where.js";
import { nowFor } from "./default-factory.js";
import { keyMatch } from "./key-identity.js";
import { insertRow } from "../query/insert.js";
import type { Driver } from "../driver/driver.js";
import type { ModelManager } from "./manager.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import type { SaveOptions } from "./model.js";
import {
  forgetLoadedRelation,
  loadedSnapshot,
  setLoadedSnapshot,
  type ModelRecord as Model,
} from "./record.js";
import { changedFields, rememberFields, rememberLoaded } from "./snapshot.js";
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
  return {
    ...EMPTY_STATE,
    where: [resolveWhere(meta, { [meta.pk]: pk })],
    using: manager.connection,
  };
}

function copyInto(manager: Manager, from: Model, to: Model): void {
  for (const f of manager.meta.fields)
    (to as unknown as Row)[f.name] = (from as unknown as Row)[f.name];
}

/**
 * The own fields `names` name (`author` stands for `authorId`), for `what`: an unknown name or a
 * path into another model is a FieldError, a list that is not an array a ValidationError.
 */
function namedFields(meta: ModelMeta, names: unknown, what: string): FieldMeta[] {
  if (!Array.isArray(names))
    throw new ValidationError(
      `${meta.name}: ${what} takes an array of field names`,
      meta.name,
      undefined,
    );
  const wanted = new Set(
    names.map((name: unknown) => {
      if (typeof name !== "string")
        throw new ValidationError(`${meta.name}: ${what} takes field names`, meta.name, undefined);
      return ownFieldName(meta, name, what);
    }),
  );
  return meta.fields.filter((f) => wanted.has(f.name));
}

/** `save()` options, checked: an unknown option is a ValidationError, never ignored. */
function updateFieldsOf(
  meta: ModelMeta,
  options: SaveOptions | undefined,
): FieldMeta[] | undefined {
  checkOptions(meta.name, "save()", options, ["updateFields", "using"]);
  if (options === undefined) return undefined;
  if (options.updateFields === undefined) return undefined;
  const fields = namedFields(meta, options.updateFields, "save({ updateFields })");
  if (fields.some((f) => f.name === meta.pk))
    throw new ValidationError(
      `${meta.name}: save({ updateFields }) cannot write the primary key (it finds the row)`,
      meta.name,
      meta.pk,
    );
  return fields;
}

/** UPDATE `fields` of the instance's row by pk; the number of rows written. */
async function updateRow(
  manager: Manager,
  instance: Model,
  fields: readonly FieldMeta[],
): Promise<number> {
  const meta = manager.meta;
  const record = instance as unknown as Row;
  const state = pkState(manager, instance);
  const changes: Row = {};
  for (const f of fields) if (record[f.name] !== undefined) changes[f.name] = record[f.name];
  const driver = manager.writeDriver();
  if (Object.keys(changes).length === 0) return (await rowExists(meta, state, driver)) ? 1 : 0;
  return runExecute(() => buildUpdate(meta, state, changes)!, driver);
}

/**
 * Whether the instance's row exists, asked where the save writes: a save with nothing to write
 * checks its row before deciding to INSERT, and a read replica that has not replayed the row
 * yet (or still has one the primary deleted) would send that INSERT wrong.
 */
async function rowExists(meta: ModelMeta, state: QueryState, driver: Driver): Promise<boolean> {
  const node = selectFor(meta, { ...state, limit: 1 }, () => [literal(1)], {
    ordered: false,
    sliced: true,
  });
  return (await runQuery(() => node, undefined, driver)).rowCount > 0;
}

/**
 * With `updateFields`: UPDATE exactly those fields (autoNow ones among them set to now) by pk,
 * DoesNotExist when no row has it. Otherwise UPDATE the fields changed since the instance was
 * loaded or saved (every loaded field when there is nothing to compare with; autoNow fields set
 * to now); INSERT when the pk is unset or no row had it, unless the instance is partial
 * (only()): then DoesNotExist. `forceInsert` (create() with save hooks) always INSERTs.
 */
export async function saveInstance(
  manager: Manager,
  instance: Model,
  options?: SaveOptions,
  forceInsert = false,
): Promise<boolean> {
  const meta = manager.meta;
  const record = instance as unknown as Row;
  const now = new Date();
  const pk = record[meta.pk];
  // create() through save(): INSERT even with a key given (a clash is an IntegrityError, never an UPDATE).
  const hasPk = pk !== undefined && pk !== null && !forceInsert;
  const only = updateFieldsOf(meta, options);
  if (only) {
    if (!hasPk)
      throw new ValidationError(
        `${meta.name}: save({ updateFields }) updates a saved row; this instance has no primary key`,
        meta.name,
        meta.pk,
      );
    if (only.length === 0) return false;
    const missing = only.find((f) => record[f.name] === undefined);
    if (missing)
      throw new ValidationError(
        `${meta.name}.${missing.name}: not loaded (only()), so save({ updateFields }) cannot write it`,
        meta.name,
        missing.name,
      );
    for (const f of only) if (f.autoNow) record[f.name] = nowFor(f, now);
    if ((await updateRow(manager, instance, only)) === 0) throw new DoesNotExist(meta.name);
    forgetOnRollback(manager.writeDriver(), instance);
    rememberFields(meta, instance, only);
    return false;
  }
  for (const f of meta.fields) if (f.autoNow) record[f.name] = nowFor(f, now);
  if (hasPk) {
    const changed = changedFields(meta, instance);
    // autoNow fields are written on every save, even within the millisecond they were loaded in.
    const write = meta.fields.filter(
      (f) => f.name !== meta.pk && (f.autoNow || changed === undefined || changed.includes(f)),
    );
    if ((await updateRow(manager, instance, write)) > 0) {
      forgetOnRollback(manager.writeDriver(), instance);
      if (changed) rememberFields(meta, instance, write);
      else rememberLoaded(meta, instance);
      return false;
    }
    // An only() instance lacks fields: inserting it would silently fill them with defaults.
    if (meta.fields.some((f) => record[f.name] === undefined)) throw new DoesNotExist(meta.name);
  }
  const data: Row = {};
  for (const f of meta.fields) if (record[f.name] !== undefined) data[f.name] = record[f.name];
  const [inserted] = await manager.insertRows([insertRow(meta, data, now)], undefined);
  if (inserted) {
    forgetOnRollback(manager.writeDriver(), instance, { pk: meta.pk, value: pk });
    copyInto(manager, inserted, instance);
    rememberLoaded(meta, instance);
  }
  return true;
}

/**
 * When the transaction that saved or refreshed `instance` on `driver` rolls back, the instance
 * goes back to the values it recorded as loaded before (transaction.ts `undoOnRollback`): what a
 * rolled-back save wrote was never saved, so the next `save()` (a retried transaction's, say)
 * sees those fields as changed and writes them. An INSERT's instance also gets back the key it
 * had (`key`: none, for a new one), so it is inserted again. Field values stay as they are, as in
 * Django.
 */
export function forgetOnRollback(
  driver: Driver,
  instance: Model,
  key?: { readonly pk: string; readonly value: unknown },
): void {
  // Outside a transaction there is nothing to undo: no snapshot is read (a fresh array when
  // the instance keeps its result's row), nothing is allocated.
  if (!inTransactionOn(driver)) return;
  const before = loadedSnapshot(instance);
  undoOnRollback(driver, () => {
    setLoadedSnapshot(instance, before);
    if (key !== undefined) (instance as unknown as Row)[key.pk] = key.value;
  });
}

export async function deleteInstance(manager: Manager, instance: Model): Promise<void> {
  // Not QuerySet.delete(): that is a query delete, which its own hook may be watching.
  const state = pkState(manager, instance);
  await runExecute(() => buildDelete(manager.meta, state), manager.writeDriver());
}

/**
 * Reloads `fields` (every field when undefined; none for an empty list) from the row with the
 * instance's pk. A to-one relation whose key changed is forgotten (it was loaded for the old key);
 * a key only spelled differently (5n read back as 5, a UUID in another case) is the same row.
 */
export async function refreshInstance(
  manager: Manager,
  instance: Model,
  fields?: readonly string[],
): Promise<void> {
  const meta = manager.meta;
  const named = fields === undefined ? undefined : namedFields(meta, fields, "refreshFromDb()");
  if (named?.length === 0) return;
  const state = pkState(manager, instance);
  const query = new QuerySet(manager, named ? { ...state, only: named.map((f) => f.name) } : state);
  const fresh = (await query.get()) as unknown as Row;
  const record = instance as unknown as Row;
  const refreshed = named ?? meta.fields;
  for (const relation of meta.relations) {
    const key = relation.keyField;
    if (relation.kind !== "foreignKey" && relation.kind !== "oneToOne") continue;
    const field = key === undefined ? undefined : refreshed.find((f) => f.name === key);
    if (field === undefined) continue;
    // As the database compares keys: 5n held in memory and 5 read back are one row.
    const match = keyMatch(meta.name, field);
    if (!Object.is(match(record[field.name]), match(fresh[field.name])))
      forgetLoadedRelation(instance, relation.name);
  }
  for (const f of refreshed) record[f.name] = fresh[f.name];
  forgetOnRollback(manager.readDriver(), instance);
  if (named) rememberFields(meta, instance, named);
  else rememberLoaded(meta, instance);
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
    await prefetchPath(meta, [instance], path, manager.connection);
  }
}
