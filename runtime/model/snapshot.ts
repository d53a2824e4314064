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
 *   every field; `autoNow` fields are written on every save (persist.ts).
 *
 * Where the snapshot lives:
 *
 * - an instance decoded from a native engine result that has its buffer to itself (every
 *   Postgres result; SQLite results too big for the arena) keeps that result and its row number
 *   instead of a copy of its values: the result is immutable, so `save()` decodes the loaded
 *   values again from it (`ResultSnapshot`). Its instances share one small object per result;
 *   each pays a row number, and the result stays alive while any of them does ("plus one
 *   buffer" — a 5 000-row Book fetch retains the buffer's ~70 bytes a row instead of a ~130-byte
 *   array with boxed numbers). JSON and binary cells are not decoded again (always written);
 * - an instance decoded from a mysql2 result keeps mysql2's array of its row's cells, which it
 *   would otherwise drop, as its row of a source shared by every instance of that model and
 *   column (`MysqlRowSnapshot`); `save()` decodes the loaded values again from it. Nothing is
 *   allocated per row, and the instance keeps its own row only: not the result's other rows,
 *   nor its column definitions (which hold mysql2's network buffers). Its cells are the
 *   instance's own values except a DATETIME's text and a number's box (measured: about 660 of
 *   7 600 instructions per Book row of a 5 000-row fetch under callgrind went to the array);
 * - any other instance (pg, better-sqlite3, arena results, raw(), only(), and after a
 *   save or refresh) keeps an array, filled in a tight loop (decoding 20 000 rows on the native
 *   SQLite driver measured about 3 ms with or without it, min of 100). An arena holds many
 *   results (1 MiB): an instance kept from a point lookup must not pin it.
 */
import type { RowReader } from "../driver/driver.js";
import { MysqlRowReader, type MysqlRow } from "../driver/mysql2/reader.js";
import { NativeRowReader } from "../driver/native/reader.js";
import { decodeCell } from "../query/decode.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import {
  loadedSnapshot,
  type ModelRecord,
  setLoadedSnapshot,
  setSnapshotSource,
  type Snapshot,
  type SnapshotSource,
} from "./record.js";

type Row = Record<string, unknown>;

/** Fields always written: their values can change in place. */
function mutable(field: FieldMeta): boolean {
  return field.kind === "json" || field.kind === "binary";
}

function snapshotValue(field: FieldMeta, value: unknown): unknown {
  return field.kind === "datetime" && value instanceof Date ? value.getTime() : value;
}

/** What taking a model's snapshot reads, resolved once per model (this runs for every row). */
interface Plan {
  readonly names: readonly string[];
  /** Indexes of datetime fields. */
  readonly datetimes: readonly number[];
}

const plans = new WeakMap<ModelMeta, Plan>();

function planOf(meta: ModelMeta): Plan {
  let plan = plans.get(meta);
  if (plan === undefined) {
    plan = {
      names: meta.fields.map((f) => f.name),
      datetimes: meta.fields.flatMap((f, i) => (f.kind === "datetime" ? [i] : [])),
    };
    plans.set(meta, plan);
  }
  return plan;
}

/**
 * Whether `instance`'s first enumerable keys are `names`, in order: then a `for…in` over it
 * reads the fields in `meta.fields` order.
 */
function keysInFieldOrder(instance: object, names: readonly string[]): boolean {
  let i = 0;
  for (const key in instance) {
    if (i === names.length) break;
    if (key !== names[i]) return false;
    i++;
  }
  return i === names.length;
}

/**
 * The loaded values of the instances decoded from one native result at column `column`, read
 * again on demand with the getters the generated decoder used (`decodeCell` maps each kind to
 * the same one), so they are exactly the values the instance was built with.
 */
class ResultSnapshot implements SnapshotSource {
  constructor(
    private readonly meta: ModelMeta,
    private readonly reader: RowReader,
    private readonly column: number,
  ) {}

  snapshotOf(row: unknown): Snapshot {
    const { meta, reader, column } = this;
    return meta.fields.map((f, k) =>
      mutable(f)
        ? undefined
        : snapshotValue(f, decodeCell(reader, column + k, row as number, f.kind)),
    );
  }
}

/**
 * The loaded values of instances decoded from mysql2 results at column `column`, read again from
 * the row of cells each instance keeps, with the getters the generated decoder used (any mysql2
 * reader over that row reads it as the one that decoded it: the getters need no column
 * definitions). JSON and binary cells are not decoded again (always written).
 */
class MysqlRowSnapshot implements SnapshotSource {
  constructor(
    private readonly meta: ModelMeta,
    private readonly column: number,
  ) {}

  snapshotOf(row: unknown): Snapshot {
    const { meta, column } = this;
    const reader = new MysqlRowReader([row as MysqlRow], [], false);
    return meta.fields.map((f, k) =>
      mutable(f) ? undefined : snapshotValue(f, decodeCell(reader, column + k, 0, f.kind)),
    );
  }
}

/**
 * A function recording each decoded instance's field values as loaded (the ModelManager wraps
 * its decoder with it, passing the result, row and column the instance was decoded from): on a
 * native result with a buffer of its own, where to read them again; otherwise one array per row,
 * filled in a tight loop.
 *
 * Every instance it sees comes from the same generated decoder (`new Book(…)`, whose constructor
 * assigns the fields in `meta.fields` order, and nothing before them), so all have the same
 * keys in the same order. When the first one does, the values are read with `for…in`, which
 * walks the shape's cached key list; reading `row[name]` for each field name instead is a
 * keyed load whose key changes every time, which V8 serves through its megamorphic cache
 * (measured: about 1 500 instructions per Book row under callgrind, a fifth of a primary-key
 * lookup's JavaScript). Other key orders take the per-name path.
 */
export function snapshotter(
  meta: () => ModelMeta,
): <M extends ModelRecord>(instance: M, r?: RowReader, i?: number, c?: number) => M {
  let plan: Plan | undefined;
  let inOrder: boolean | undefined;
  // One per result and column (the reader memoizes it under this function).
  const source = (reader: RowReader, column: number): SnapshotSource =>
    new ResultSnapshot(meta(), reader, column);
  // mysql2's: one per column, whatever the result.
  const mysqlSources: MysqlRowSnapshot[] = [];
  return (instance, r, i = 0, c = 0) => {
    // The reader's class by its constructor, not `instanceof`: V8 does not fold an imported
    // class into an `instanceof`, which then costs a generic lookup of Symbol.hasInstance
    // (about 220 instructions each, twice per decoded row under callgrind). Neither class has
    // subclasses.
    const kind: unknown = r?.constructor;
    if (kind === MysqlRowReader) {
      const mysql = r as MysqlRowReader;
      setSnapshotSource(
        instance,
        (mysqlSources[c] ??= new MysqlRowSnapshot(meta(), c)),
        mysql.row(i),
      );
      return instance;
    }
    if (kind === NativeRowReader && (r as NativeRowReader).ownsBuffer) {
      setSnapshotSource(instance, (r as NativeRowReader).memo(source, c, source), i);
      return instance;
    }
    plan ??= planOf(meta());
    const { names, datetimes } = plan;
    const count = names.length;
    inOrder ??= keysInFieldOrder(instance, names);
    const snapshot = new Array<unknown>(count);
    const row = instance as unknown as Row;
    if (inOrder) {
      let i = 0;
      for (const key in row) {
        if (i === count) break;
        snapshot[i++] = row[key];
      }
    } else {
      for (let i = 0; i < count; i++) snapshot[i] = row[names[i]!];
    }
    for (const i of datetimes) {
      const v = snapshot[i];
      if (v instanceof Date) snapshot[i] = v.getTime();
    }
    setLoadedSnapshot(instance, snapshot);
    return instance;
  };
}

/** Records `instance`'s current field values as loaded. */
export function rememberLoaded<M extends ModelRecord>(meta: ModelMeta, instance: M): M {
  const row = instance as unknown as Row;
  setLoadedSnapshot(
    instance,
    meta.fields.map((f) => snapshotValue(f, row[f.name])),
  );
  return instance;
}

/** Records the current values of `fields` only (after a partial save or refresh). */
export function rememberFields(
  meta: ModelMeta,
  instance: ModelRecord,
  fields: readonly FieldMeta[],
): void {
  const before = loadedSnapshot(instance);
  if (!before) return;
  const row = instance as unknown as Row;
  const next = [...before];
  meta.fields.forEach((f, i) => {
    if (fields.includes(f)) next[i] = snapshotValue(f, row[f.name]);
  });
  setLoadedSnapshot(instance, next);
}

/**
 * The fields of `instance` that differ from its snapshot, or undefined when it has none to
 * compare with (or its primary key changed, so it stands for another row): then all fields.
 */
export function changedFields(meta: ModelMeta, instance: ModelRecord): FieldMeta[] | undefined {
  const snapshot = loadedSnapshot(instance);
  if (!snapshot || snapshot.length !== meta.fields.length) return undefined;
  const row = instance as unknown as Row;
  const pk = meta.fields.findIndex((f) => f.name === meta.pk);
  if (!Object.is(row[meta.pk], snapshot[pk])) return undefined;
  return meta.fields.filter(
    (f, i) => mutable(f) || !Object.is(snapshotValue(f, row[f.name]), snapshot[i]),
  );
}
