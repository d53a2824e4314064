/**
 * What `save()` writes by default: the fields changed since the instance was loaded or last
 * saved. Every instance yara decodes (queries, create, RETURNING, raw, only) records a snapshot
 * of its field values; `save()` compares each field with it:
 *
 * - numbers, strings, booleans, bigints, decimals, dates, times, UUIDs, enums and keys compare
 *   by value (`Object.is`);
 * - a datetime compares by its instant (so `date.setTime(…)` on the loaded Date is a change);
 * - JSON and binary values are mutable in place (`book.data.tags.push(…)`), which no cheap
 *   comparison sees, so they are always written;
 * - an instance without a snapshot (built with `new`, or whose primary key was changed) writes
 *   every field.
 */
import type { FieldMeta, ModelMeta } from "./meta.js";
import { loadedSnapshot, type Model, setLoadedSnapshot } from "./model.js";

/** Field values by name; datetimes as epoch milliseconds. */
export type Snapshot = Readonly<Record<string, unknown>>;

type Row = Record<string, unknown>;

/** Fields always written: their values can change in place. */
function mutable(field: FieldMeta): boolean {
  return field.kind === "json" || field.kind === "binary";
}

function snapshotValue(field: FieldMeta, value: unknown): unknown {
  return field.kind === "datetime" && value instanceof Date ? value.getTime() : value;
}

/** Records `instance`'s current field values as loaded (called for every decoded instance). */
export function rememberLoaded<M extends Model>(meta: ModelMeta, instance: M): M {
  const row = instance as unknown as Row;
  const snapshot: Row = {};
  for (const f of meta.fields) snapshot[f.name] = snapshotValue(f, row[f.name]);
  setLoadedSnapshot(instance, snapshot);
  return instance;
}

/** Records the current values of `fields` only (after a partial save or refresh). */
export function rememberFields(instance: Model, fields: readonly FieldMeta[]): void {
  const before = loadedSnapshot(instance);
  if (!before) return;
  const row = instance as unknown as Row;
  const next: Row = { ...before };
  for (const f of fields) next[f.name] = snapshotValue(f, row[f.name]);
  setLoadedSnapshot(instance, next);
}

/**
 * The fields of `instance` that differ from its snapshot, or undefined when it has none to
 * compare with (or its primary key changed, so it stands for another row): then all fields.
 */
export function changedFields(meta: ModelMeta, instance: Model): FieldMeta[] | undefined {
  const snapshot = loadedSnapshot(instance);
  if (!snapshot) return undefined;
  const row = instance as unknown as Row;
  if (!Object.is(row[meta.pk], snapshot[meta.pk])) return undefined;
  return meta.fields.filter(
    (f) => mutable(f) || !Object.is(snapshotValue(f, row[f.name]), snapshot[f.name]),
  );
}
