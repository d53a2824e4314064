/**
 * `bulkCreate`: binary COPY where the driver has it and the rows fit (bulk-copy.ts), else
 * multi-row INSERT … RETURNING, batched under the dialect's bind-parameter limit (all batches in
 * one transaction), with optional `ON CONFLICT` handling.
 */
import type { OnConflictClause } from "../ast/insert.js";
import { checkOptions } from "../options.js";
import { plainObject } from "../query/plain-object.js";
import { ValidationError } from "../errors.js";
import { writableField } from "../query/mutate.js";
import { inTransaction } from "../transaction.js";
import { insertRow, type InsertRow } from "../query/insert.js";
import { copyRows } from "./bulk-copy.js";
import type { ModelManager } from "./manager.js";
import type { FieldMeta, ModelMeta } from "./meta.js";
import type { ModelTypes } from "./types.js";
import { UpsertKeys } from "./upsert-keys.js";

/** A field (or forward relation) name writable on the model. */
export type WriteKey<T extends ModelTypes> = keyof T["update"] & string;

/** `{ ignore: true }` skips conflicting rows; `{ update: [...] }` overwrites those fields. `conflict` defaults to the pk. */
export type OnConflict<T extends ModelTypes> =
  | { readonly ignore: true; readonly conflict?: readonly WriteKey<T>[] }
  | { readonly update: readonly WriteKey<T>[]; readonly conflict?: readonly WriteKey<T>[] };

export interface BulkCreateOptions<T extends ModelTypes> {
  /** Rows per INSERT (further capped by the database's bind-parameter limit). */
  readonly batchSize?: number;
  readonly onConflict?: OnConflict<T>;
}

interface Batch {
  readonly indices: number[];
  readonly rows: InsertRow[];
}

/**
 * Inserts `rows`; resolves to the rows written, in input order. With `onConflict: { ignore: true }`
 * skipped rows are absent.
 */
export async function bulkCreate<T extends ModelTypes>(
  manager: ModelManager<T>,
  rows: readonly T["create"][],
  options: BulkCreateOptions<T>,
): Promise<T["model"][]> {
  const meta = manager.meta;
  checkOptions(meta.name, "bulkCreate()", options, ["batchSize", "onConflict"]);
  const { batchSize } = options;
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1))
    throw new ValidationError(
      `${meta.name}: bulkCreate batchSize expects a positive integer`,
      meta.name,
      undefined,
    );
  const onConflict = conflictClause(meta, options.onConflict);
  const upsertKeys = upsertKeysOf(meta, options.onConflict, onConflict);
  if (rows.length === 0) return [];
  const now = new Date();
  // Rows setting different fields (an explicit pk on some) go in different statements.
  const groups = new Map<string, Batch>();
  if (!Array.isArray(rows))
    throw new ValidationError(
      `${meta.name}: bulkCreate() expects an array of rows`,
      meta.name,
      undefined,
    );
  // The previous row's group, taken again without building its key when this row sets the
  // same fields (the common case: every row alike).
  let last: { readonly fields: readonly FieldMeta[]; readonly group: Batch } | undefined;
  rows.forEach((data, index) => {
    const input = plainObject(meta.name, `bulkCreate() row ${index}`, data);
    const row = insertRow(meta, input, now, manager.checkCreate(input));
    upsertKeys?.add(row, index);
    let group: Batch;
    if (last !== undefined && sameFields(last.fields, row.fields)) {
      group = last.group;
    } else {
      const key = row.fields.map((f) => f.name).join(",");
      group = groups.get(key) ?? { indices: [], rows: [] };
      groups.set(key, group);
      last = { fields: row.fields, group };
    }
    group.indices.push(index);
    group.rows.push(row);
  });
  const maxParams = manager.writeDriver().maxParams;
  const batches: Batch[] = [];
  for (const group of groups.values()) {
    const width = group.rows[0]!.fields.length;
    const limit = Math.min(batchSize ?? Infinity, Math.floor(maxParams / Math.max(width, 1)));
    const size = width === 0 ? 1 : Math.max(1, limit);
    for (let i = 0; i < group.rows.length; i += size) {
      batches.push({
        indices: group.indices.slice(i, i + size),
        rows: group.rows.slice(i, i + size),
      });
    }
  }
  // A bulkCreate hook runs after the INSERTs, in their transaction (no per-row save hooks).
  const hooks = manager.hooks;
  const run = async (): Promise<T["model"][]> => {
    // One group of rows, no ON CONFLICT, no batch size: COPY where the driver has it.
    const only = groups.size === 1 && onConflict === undefined && batchSize === undefined;
    const copied = only
      ? await copyRows(
          manager,
          batches.flatMap((b) => b.rows),
        )
      : undefined;
    if (copied !== undefined) {
      if (hooks?.has("bulkCreate")) await hooks.emit("bulkCreate", { instances: copied });
      return copied;
    }
    const placed: (T["model"] | undefined)[] = new Array(rows.length);
    const extra: T["model"][] = [];
    for (const batch of batches) {
      const written = await manager.insertRows(batch.rows, onConflict);
      if (written.length === batch.rows.length) {
        batch.indices.forEach((index, k) => (placed[index] = written[k]));
      } else {
        extra.push(...written);
      }
    }
    const instances = [...placed.filter((m): m is T["model"] => m !== undefined), ...extra];
    if (hooks?.has("bulkCreate")) await hooks.emit("bulkCreate", { instances });
    return instances;
  };
  return batches.length > 1 || hooks?.has("bulkCreate")
    ? inTransaction(run, manager.writeScope())
    : run();
}

function sameFields(a: readonly FieldMeta[], b: readonly FieldMeta[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The keys an upsert's rows must not repeat (upsert-keys.ts); undefined when nothing is updated
 * on conflict: a row repeating a key is then skipped, as any conflicting row.
 */
function upsertKeysOf<T extends ModelTypes>(
  meta: ModelMeta,
  option: OnConflict<T> | undefined,
  clause: OnConflictClause | undefined,
): UpsertKeys | undefined {
  if (clause?.action !== "update" || clause.set.length === 0) return undefined;
  return new UpsertKeys(meta, option?.conflict ?? [meta.pk]);
}

function conflictClause<T extends ModelTypes>(
  meta: ModelMeta,
  option: OnConflict<T> | undefined,
): OnConflictClause | undefined {
  if (option === undefined) return undefined;
  const ignore = typeof option === "object" && option !== null && "ignore" in option;
  checkOptions(meta.name, "bulkCreate() onConflict", option, [
    ignore ? "ignore" : "update",
    "conflict",
  ]);
  if (ignore && (option as { ignore: unknown }).ignore !== true)
    throw new ValidationError(
      `${meta.name}: bulkCreate() onConflict.ignore must be true (leave onConflict out to fail on conflicts)`,
      meta.name,
      undefined,
    );
  if (!ignore && !Array.isArray((option as { update?: unknown }).update))
    throw new ValidationError(
      `${meta.name}: bulkCreate() onConflict needs { ignore: true } or { update: [fields] }`,
      meta.name,
      undefined,
    );
  const columns = (keys: readonly string[] | undefined) =>
    (keys ?? []).map((k) => writableField(meta, k).field.column);
  if ("ignore" in option) return { action: "nothing", target: columns(option.conflict) };
  const target = option.conflict
    ? columns(option.conflict)
    : [writableField(meta, meta.pk).field.column];
  return { action: "update", target, set: columns(option.update) };
}
