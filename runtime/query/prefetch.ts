/**
 * prefetchRelated: after the main query, one query per relation and level loads the related rows
 * of every instance at once (`IN` over their keys, one array parameter; two queries for a
 * many-to-many level) and attaches them as loaded relations: an instance or null for to-one
 * relations, an array for to-many ones. A path such as `books__tags` loads `books` first (unless
 * every row already has it, from selectRelated or an earlier path) and then `tags` of all those
 * books in one more query — never one query per row.
 */
import { column } from "../ast/column.js";
import { inList } from "../ast/in.js";
import { select } from "../ast/select.js";
import { encodeValue } from "../dialect/encode.js";
import { managerOf } from "../model/managers.js";
import type { ModelMeta, RelationMeta } from "../model/meta.js";
import {
  hasLoadedRelation,
  loadedRelation,
  type Model,
  setLoadedRelation,
} from "../model/model.js";
import { modelByName } from "../registry.js";
import { decodeCell } from "./decode.js";
import { isForwardToOne, metaOf, pkField, relationHint, relationNamed } from "./path.js";
import { runQuery } from "./run.js";
import { FieldError } from "../errors.js";

type Row = Record<string, unknown>;

/** Checks that every segment of every path names a relation of the model it reaches. */
export function checkPrefetch(meta: ModelMeta, paths: readonly string[]): void {
  for (const path of paths) {
    let model = meta;
    for (const segment of path.split("__")) {
      const relation = relationNamed(model, segment);
      if (!relation)
        throw new FieldError(
          `${model.name} has no relation "${segment}" (in "${path}")${relationHint(model, segment)}`,
          meta.name,
          path,
        );
      model = metaOf(relation.target);
    }
  }
}

/**
 * Loads relation path `path` (`"books"`, `"books__tags"`) of every instance in `rows`: one query
 * per level not loaded yet.
 */
export async function prefetchPath(
  meta: ModelMeta,
  rows: readonly Model[],
  path: string,
): Promise<void> {
  let model = meta;
  let level: readonly Model[] = rows;
  for (const segment of path.split("__")) {
    if (level.length === 0) return;
    const relation = relationNamed(model, segment);
    if (!relation)
      throw new FieldError(`${model.name} has no relation "${segment}"`, model.name, segment);
    const missing = level.filter((row) => !hasLoadedRelation(row, segment));
    if (missing.length > 0) await prefetch(model, missing, segment);
    level = loadedInstances(level, segment);
    model = metaOf(relation.target);
  }
}

/** The distinct instances loaded under `relation` of `rows` (arrays flattened, nulls dropped). */
function loadedInstances(rows: readonly Model[], relation: string): Model[] {
  const seen = new Set<Model>();
  for (const row of rows) {
    const loaded = loadedRelation(row, relation);
    if (Array.isArray(loaded)) for (const item of loaded) seen.add(item as Model);
    else if (loaded) seen.add(loaded as Model);
  }
  return [...seen];
}

function distinct(values: readonly unknown[]): unknown[] {
  return [...new Set(values.filter((v) => v !== null && v !== undefined))];
}

function groupBy<V>(items: readonly V[], key: (v: V) => unknown): Map<unknown, V[]> {
  const map = new Map<unknown, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Loads relation `name` of every instance in `rows` with one query (two for many-to-many). */
export async function prefetch(
  meta: ModelMeta,
  rows: readonly Model[],
  name: string,
): Promise<void> {
  const relation = relationNamed(meta, name);
  if (!relation) throw new FieldError(`${meta.name} has no relation "${name}"`, meta.name, name);
  if (rows.length === 0) return;
  const target = managerOf(modelByName(relation.target));
  const targetMeta = metaOf(relation.target);
  const records = rows as unknown as Row[];
  if (isForwardToOne(relation)) {
    const keyField = relation.keyField ?? "";
    const keys = distinct(records.map((r) => r[keyField]));
    const found = keys.length === 0 ? [] : await target.filter({ [`${targetMeta.pk}__in`]: keys });
    const byPk = new Map(found.map((m) => [(m as unknown as Row)[targetMeta.pk], m]));
    rows.forEach((m, i) => setLoadedRelation(m, name, byPk.get(records[i]![keyField]) ?? null));
    return;
  }
  const pks = distinct(records.map((r) => r[meta.pk]));
  if (relation.kind === "reverseOneToOne" || relation.kind === "reverseForeignKey") {
    const keyField = relation.keyField ?? "";
    const found = await target.filter({ [`${keyField}__in`]: pks });
    const groups = groupBy(found, (m) => (m as unknown as Row)[keyField]);
    rows.forEach((m, i) => {
      const list = groups.get(records[i]![meta.pk]) ?? [];
      setLoadedRelation(m, name, relation.kind === "reverseOneToOne" ? (list[0] ?? null) : list);
    });
    return;
  }
  const links = await throughPairs(meta, relation, targetMeta, pks);
  const found = await target.filter({ [`${targetMeta.pk}__in`]: distinct(links.map((l) => l[1])) });
  const byPk = new Map(found.map((m) => [(m as unknown as Row)[targetMeta.pk], m]));
  const groups = groupBy(links, (l) => l[0]);
  rows.forEach((m, i) => {
    const list = (groups.get(records[i]![meta.pk]) ?? [])
      .map((l) => byPk.get(l[1]))
      .filter((t) => t !== undefined);
    setLoadedRelation(m, name, list);
  });
}

/** `[ownPk, targetPk]` pairs from a many-to-many join table for the given own keys. */
async function throughPairs(
  meta: ModelMeta,
  relation: RelationMeta,
  targetMeta: ModelMeta,
  pks: readonly unknown[],
): Promise<[unknown, unknown][]> {
  const through = relation.through;
  if (!through)
    throw new FieldError(
      `${meta.name}.${relation.name} has no join table`,
      meta.name,
      relation.name,
    );
  const declared = relation.kind === "manyToMany";
  const local = declared ? through.sourceColumn : through.targetColumn;
  const remote = declared ? through.targetColumn : through.sourceColumn;
  const ownPk = pkField(meta);
  const otherPk = pkField(targetMeta);
  const result = await runQuery(
    (dialect) =>
      select({
        columns: [
          column(through.table, local, ownPk.kind),
          column(through.table, remote, otherPk.kind),
        ],
        from: { table: through.table },
        where: inList(
          column(through.table, local, ownPk.kind),
          pks.map((pk) => encodeValue({ dialect, model: meta.name, mode: "filter" }, ownPk, pk)),
        ),
      }),
    { bigints: ownPk.kind === "bigint" || otherPk.kind === "bigint" },
  );
  const pairs: [unknown, unknown][] = [];
  for (let i = 0; i < result.rowCount; i++) {
    pairs.push([
      decodeCell(result.reader, 0, i, ownPk.kind),
      decodeCell(result.reader, 1, i, otherPk.kind),
    ]);
  }
  return pairs;
}
