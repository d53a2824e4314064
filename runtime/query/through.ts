/**
 * Statements on the join table of a many-to-many relation, as seen from one side: which
 * column holds this side's key (`local`) and which the other side's (`remote`), the pairs to
 * INSERT (`ON CONFLICT DO NOTHING`, so adding twice is harmless) and the DELETEs of remove() and
 * clear(). Keys are encoded like any other value of the primary-key field they hold.
 */
import { and } from "../ast/and.js";
import { column } from "../ast/column.js";
import { comparison } from "../ast/comparison.js";
import { deleteFrom, type DeleteNode } from "../ast/delete.js";
import { inList } from "../ast/in.js";
import { insert, type InsertNode } from "../ast/insert.js";
import { param } from "../ast/param.js";
import { encodeValue } from "../dialect/encode.js";
import type { Dialect } from "../dialect/dialect.js";
import { FieldError } from "../errors.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import { metaOf, pkField } from "./path.js";

export interface JoinTable {
  readonly table: string;
  /** Column holding the key of the model the relation is read from. */
  readonly local: string;
  /** Column holding the key of the relation's target. */
  readonly remote: string;
  readonly localPk: FieldMeta;
  readonly remotePk: FieldMeta;
  readonly model: ModelMeta;
}

/** The join table of `relation` (manyToMany or reverseManyToMany) of `meta`. */
export function joinTableOf(meta: ModelMeta, relation: RelationMeta): JoinTable {
  const through = relation.through;
  if (!through)
    throw new FieldError(
      `${meta.name}.${relation.name} is not a many-to-many relation`,
      meta.name,
      relation.name,
    );
  const declared = relation.kind === "manyToMany";
  return {
    table: through.table,
    local: declared ? through.sourceColumn : through.targetColumn,
    remote: declared ? through.targetColumn : through.sourceColumn,
    localPk: pkField(meta),
    remotePk: pkField(metaOf(relation.target)),
    model: meta,
  };
}

function encoder(join: JoinTable, dialect: Dialect) {
  const ctx = { dialect, model: join.model.name, mode: "filter" } as const;
  return {
    local: (key: unknown) => encodeValue(ctx, join.localPk, key),
    remote: (key: unknown) => encodeValue(ctx, join.remotePk, key),
  };
}

/** `INSERT INTO join (local, remote) VALUES (…), … ON CONFLICT (local, remote) DO NOTHING`. */
export function insertPairs(
  join: JoinTable,
  own: unknown,
  remotes: readonly unknown[],
  dialect: Dialect,
): InsertNode {
  const encode = encoder(join, dialect);
  const local = encode.local(own);
  return insert({
    table: join.table,
    columns: [join.local, join.remote],
    rows: remotes.map((key) => [param(local), param(encode.remote(key))]),
    onConflict: { action: "nothing", target: [join.local, join.remote] },
    returning: [],
  });
}

/** `DELETE FROM join WHERE local = own [AND remote IN (…)]` (every pair of `own` when `remotes` is undefined). */
export function deletePairs(
  join: JoinTable,
  own: unknown,
  remotes: readonly unknown[] | undefined,
  dialect: Dialect,
): DeleteNode {
  const encode = encoder(join, dialect);
  const mine = comparison(
    "eq",
    column(join.table, join.local, join.localPk.kind),
    param(encode.local(own)),
  );
  if (remotes === undefined) return deleteFrom(join.table, mine);
  const theirs = inList(
    column(join.table, join.remote, join.remotePk.kind),
    remotes.map(encode.remote),
  );
  return deleteFrom(join.table, and([mine, theirs]));
}
