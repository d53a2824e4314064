/**
 * `bulkCreate`: multi-row INSERT … RETURNING, batched under the dialect's bind-parameter
 * limit (all batches in one transaction), with optional `ON CONFLICT` handling.
 */
import type { OnConflictClause } from "../ast/insert.js";
import { checkOptions } from "../options.js";
import { plainObject } from "../query/plain-object.js";
import { ValidationError } from "../errors.js";
import { writableField } from "../query/mutate.js";
import { checkSchema } from "../query/base.js";
import { inTransaction } from "../transaction.js";
import { insertRow, type InsertRow } from "../query/insert.js";
import type { ModelManager } from "./manager.js";
import type { ModelMeta } from "./meta.js";
import type { ModelTypes } from "./types.js";

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
  rows.forEach((data, index) => {
    plainObject(meta.name, `bulkCreate() row ${index}`, data);
    if (manager.createSchema) checkSchema(meta.name, manager.createSchema, data);
    const row = insertRow(meta, data, now);
    const key = row.fields.map((f) => f.name).join(",");
    const group = groups.get(key) ?? { indices: [], rows: [] };
    group.indices.push(index);
    group.rows.push(row);
    groups.set(key, group);
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
