/**
 * Statements on the join table of a many-to-many relation, as seen from one side: which
 * column holds this side's key (`local`) and which the other side's (`remote`), the rows to
 * INSERT (`ON CONFLICT DO NOTHING` on the pair, so adding twice is harmless) and the DELETEs of
 * remove() and clear(). The auto join table is the simplest through table: its rows are the two
 * keys. A through model's rows also carry its other columns — `throughDefaults` and the model's
 * own defaults — checked like the model's create input before any SQL.
 */
import { and } from "../ast/and.js";
import { column } from "../ast/column.js";
import { comparison } from "../ast/comparison.js";
import { deleteFrom, type DeleteNode } from "../ast/delete.js";
import { inList } from "../ast/in.js";
import { insert, type InsertNode } from "../ast/insert.js";
import { param } from "../ast/param.js";
import { encodeValue } from "../dialect/encode.js";
import type { Param } from "../driver/driver.js";
import { FieldError, ValidationError } from "../errors.js";
import { insertRow, storedAsOf, type InsertRow } from "./insert.js";
import type { FieldMeta, ModelMeta, RelationMeta } from "../model/meta.js";
import { fieldNamed, metaOf, pkField, relationNamed } from "./path.js";
import { plainObject } from "./plain-object.js";

export interface JoinTable {
  readonly table: string;
  /** Column holding the key of the model the relation is read from. */
  readonly local: string;
  /** Column holding the key of the relation's target. */
  readonly remote: string;
  readonly localPk: FieldMeta;
  readonly remotePk: FieldMeta;
  readonly model: ModelMeta;
  /** The through model whose rows are the join rows; undefined for the auto join table. */
  readonly through: ThroughModel | undefined;
}

export interface ThroughModel {
  readonly meta: ModelMeta;
  /** Its key fields holding this side's key and the other side's (`bookId`, `tagId`). */
  readonly localField: FieldMeta;
  readonly remoteField: FieldMeta;
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
    through: through.model && throughModel(through.model, declared),
  };
}

function throughModel(
  spec: NonNullable<NonNullable<RelationMeta["through"]>["model"]>,
  declared: boolean,
): ThroughModel {
  const meta = metaOf(spec.name);
  const key = (name: string): FieldMeta => {
    const field = fieldNamed(meta, name);
    if (!field) throw new FieldError(`${meta.name} has no field ${name}`, meta.name, name);
    return field;
  };
  const source = key(spec.sourceField);
  const target = key(spec.targetField);
  return {
    meta,
    localField: declared ? source : target,
    remoteField: declared ? target : source,
  };
}

/**
 * The join rows pairing `own` with each of `remotes`. Through a model, each row also sets
 * `throughDefaults` (checked here: a plain object of the model's other fields, every required
 * one given) and the model's defaults; the auto join table takes no `throughDefaults`.
 */
export function pairRows(
  join: JoinTable,
  relation: string,
  own: unknown,
  remotes: readonly unknown[],
  throughDefaults: unknown,
): InsertRow[] {
  const through = join.through;
  if (through === undefined) {
    if (throughDefaults !== undefined)
      throw new ValidationError(
        `${join.model.name}.${relation}: throughDefaults needs a through model; this relation's join table holds only the two keys`,
        join.model.name,
        relation,
      );
    // The pair's columns, typed and checked like the keys they hold.
    const fields = [
      { ...join.localPk, column: join.local },
      { ...join.remotePk, column: join.remote },
    ];
    const ctx = { dialect: undefined, model: join.model.name, mode: "write" } as const;
    const local = encodeValue(ctx, fields[0]!, own);
    return remotes.map((remote) => ({
      fields,
      values: [local, encodeValue(ctx, fields[1]!, remote)],
    }));
  }
  const extra = checkThroughDefaults(join, through, relation, throughDefaults);
  const now = new Date();
  return remotes.map((remote) =>
    insertRow(
      through.meta,
      { ...extra, [through.localField.name]: own, [through.remoteField.name]: remote },
      now,
    ),
  );
}

/** `throughDefaults` as a record of the through model's own fields, with every required one given. */
function checkThroughDefaults(
  join: JoinTable,
  through: ThroughModel,
  relation: string,
  value: unknown,
): Record<string, unknown> {
  const meta = through.meta;
  const extra = value === undefined ? {} : plainObject(meta.name, "throughDefaults", value);
  const pair = [through.localField, through.remoteField];
  for (const key of Object.keys(extra)) {
    const field =
      fieldNamed(meta, key) ?? fieldNamed(meta, relationNamed(meta, key)?.keyField ?? "");
    if (field === undefined)
      throw new ValidationError(
        `${meta.name}.${key}: throughDefaults of ${join.model.name}.${relation} names no field of ${meta.name}`,
        meta.name,
        key,
      );
    if (pair.includes(field))
      throw new ValidationError(
        `${meta.name}.${key}: ${join.model.name}.${relation} sets it; leave it out of throughDefaults`,
        meta.name,
        key,
      );
  }
  const missing = meta.fields.filter(
    (f) =>
      !pair.includes(f) &&
      !f.nullable &&
      !f.generated &&
      !f.autoNow &&
      !f.autoNowAdd &&
      f.default === undefined &&
      f.defaultFactory === undefined &&
      f.dbDefault === undefined &&
      extra[f.name] === undefined &&
      (f.relation === undefined || extra[f.relation] === undefined),
  );
  if (missing.length > 0) {
    const names = missing.map((f) => f.relation ?? f.name);
    throw new ValidationError(
      `${join.model.name}.${relation}: each new ${meta.name} row needs ${names.join(", ")}; give ${missing.length === 1 ? "it" : "them"} in throughDefaults`,
      meta.name,
      names[0],
    );
  }
  return extra;
}

/** The pair's two keys checked as filter values, bound as the key fields store them. */
function keyParams(join: JoinTable) {
  const model = join.model.name;
  const ctx = { dialect: undefined, model, mode: "filter" } as const;
  return {
    local: (key: unknown) => encodeValue(ctx, join.localPk, key),
    remote: (key: unknown) => encodeValue(ctx, join.remotePk, key),
    localColumn: storedAsOf(model, join.localPk),
    remoteColumn: storedAsOf(model, join.remotePk),
  };
}

/**
 * `INSERT INTO join (local, remote[, …]) VALUES (…), … ON CONFLICT (local, remote) DO NOTHING`
 * for rows from pairRows (which all set the same fields; their values checked there), the same
 * for every dialect: the compiler stores each value for its dialect.
 */
export function insertPairs(join: JoinTable, rows: readonly InsertRow[]): InsertNode {
  const fields = rows[0]?.fields ?? [];
  const model = join.through?.meta.name ?? join.model.name;
  const columns = fields.map((f) => storedAsOf(model, f));
  return insert({
    table: join.table,
    columns: fields.map((f) => f.column),
    rows: rows.map((row) => row.values.map((v, i) => param(v as Param, undefined, columns[i]))),
    onConflict: { action: "nothing", target: [join.local, join.remote] },
    returning: [],
  });
}

/** `DELETE FROM join WHERE local = own [AND remote IN (…)]` (every pair of `own` when `remotes` is undefined). */
export function deletePairs(
  join: JoinTable,
  own: unknown,
  remotes: readonly unknown[] | undefined,
): DeleteNode {
  const encode = keyParams(join);
  const mine = comparison(
    "eq",
    column(join.table, join.local, join.localPk.kind),
    param(encode.local(own), undefined, encode.localColumn),
  );
  if (remotes === undefined) return deleteFrom(join.table, mine);
  const theirs = inList(
    column(join.table, join.remote, join.remotePk.kind),
    remotes.map(encode.remote),
    false,
    undefined,
    encode.remoteColumn,
  );
  return deleteFrom(join.table, and([mine, theirs]));
}
