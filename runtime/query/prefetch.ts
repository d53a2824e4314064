/**
 * prefetchRelated: after the main query, one query per relation and level loads the related rows
 * of every instance at once (`IN` over their keys, one array parameter; two queries for a
 * many-to-many level) and attaches them as loaded relations: an instance or null for to-one
 * relations, an array for to-many ones. A path such as `books__tags` loads `books` first (unless
 * every row already has it, from selectRelated or an earlier path) and then `tags` of all those
 * books in one more query — never one query per row.
 *
 * A `Prefetch(path, { queryset, toAttr })` (prefetch-lookup.ts) loads its last level through
 * its query set, always (a level loaded before holds other rows), adding the key filter to it;
 * with `toAttr` the rows go to that property, as a list, instead of the relation.
 *
 * Keys are matched as the database compares them (model/key-identity.ts `keyMatch`), not by
 * JavaScript identity: a foreign key set in JavaScript as 5n, or as an upper-case UUID, finds
 * the row the database returns as 5, or in lower case, instead of leaving the relation empty.
 */
import { column } from "../ast/column.js";
import { inList } from "../ast/in.js";
import { select } from "../ast/select.js";
import { encodeValue } from "../dialect/encode.js";
import { keyMatch, type KeyMatch } from "../model/key-identity.js";
import type { ModelMeta, RelationMeta } from "../model/meta.js";
import {
  hasLoadedRelation,
  loadedRelation,
  type ModelRecord,
  setLoadedRelation,
} from "../model/record.js";
import { modelByName } from "../registry.js";
import { decodeCell } from "./decode.js";
import { isForwardToOne, metaOf, pkField, relationHint, relationNamed } from "./path.js";
import { runQuery } from "./run.js";
import { driverFor } from "../connection/routers.js";
import { FieldError, ValidationError } from "../errors.js";
import { PrefetchLookup } from "./prefetch-lookup.js";
import type { QuerySet } from "./queryset.js";
import type { ModelTypes } from "../model/types.js";

type Row = Record<string, unknown>;

/** A prefetchRelated argument: a relation path, or a Prefetch(). */
export type PrefetchItem = string | PrefetchLookup;

/** How the last level of a Prefetch() is loaded and kept. */
interface Via {
  readonly queryset: QuerySet<ModelTypes>;
  readonly toAttr: string | undefined;
}

const pathOf = (item: PrefetchItem): string => (typeof item === "string" ? item : item.path);

/**
 * Checks that every segment of every path names a relation of the model it reaches, and that a
 * Prefetch()'s query set is over the last relation's target, is not sliced, and that its
 * `toAttr` is a to-many relation's, free on the model it is set on and given once.
 */
export function checkPrefetch(meta: ModelMeta, items: readonly PrefetchItem[]): void {
  const places = new Map<string, PrefetchItem>();
  for (const item of items) {
    const path = typeof item === "string" || item instanceof PrefetchLookup ? pathOf(item) : item;
    if (typeof path !== "string")
      throw new FieldError(
        `${meta.name}: prefetchRelated() takes relation paths and Prefetch() objects`,
        meta.name,
        String(path),
      );
    let model = meta;
    let relation: RelationMeta | undefined;
    let owner = meta;
    for (const segment of path.split("__")) {
      relation = relationNamed(model, segment);
      if (!relation)
        throw new FieldError(
          `${model.name} has no relation "${segment}" (in "${path}")${relationHint(model, segment)}`,
          meta.name,
          path,
        );
      owner = model;
      model = metaOf(relation.target);
    }
    if (typeof item !== "string") checkLookup(meta, item, owner, relation!, model);
    // Two ways of loading the same place would each undo the other.
    const place =
      typeof item === "string" || item.toAttr === undefined ? path : `${path}>${item.toAttr}`;
    const seen = places.get(place);
    if (
      seen !== undefined &&
      seen !== item &&
      (typeof seen !== "string" || typeof item !== "string")
    )
      throw new ValidationError(
        `${meta.name}: prefetchRelated() loads "${place.replace(">", '" into "')}" twice, in two ways; give one of them a toAttr`,
        meta.name,
        undefined,
      );
    places.set(place, item);
  }
}

function checkLookup(
  root: ModelMeta,
  item: PrefetchLookup,
  owner: ModelMeta,
  relation: RelationMeta,
  target: ModelMeta,
): void {
  const refuse = (why: string): never => {
    throw new ValidationError(
      `${root.name}: Prefetch(${JSON.stringify(item.path)}) ${why}`,
      root.name,
      undefined,
    );
  };
  const qs = item.queryset;
  if (qs.source.meta.name !== target.name)
    refuse(
      `needs a query set of ${target.name}, the target of ${owner.name}.${relation.name}; got one of ${qs.source.meta.name}`,
    );
  if (qs.state.limit !== undefined || qs.state.offset !== undefined)
    refuse(
      "cannot take a sliced query set: limit() and offset() would apply to the related rows of every instance together",
    );
  const toOne = isForwardToOne(relation) || relation.kind === "reverseOneToOne";
  // A non-null key's relation is typed without null (`book.author: Author`); a filter would break that.
  const nonNull =
    isForwardToOne(relation) &&
    owner.fields.find((f) => f.name === relation.keyField)?.nullable === false;
  if (nonNull && qs.state.where.length > 0)
    refuse(
      `cannot filter a to-one relation: ${owner.name}.${relation.name} would read null where its type promises a ${target.name}; filter the ${owner.name} rows instead`,
    );
  const attr = item.toAttr;
  if (attr === undefined) return;
  if (toOne)
    refuse(
      `toAttr holds a list, and ${owner.name}.${relation.name} is a to-one relation: leave toAttr out (the query set then decides what ${relation.name} holds)`,
    );
  if (relationNamed(owner, attr) || owner.fields.some((f) => f.name === attr))
    refuse(`toAttr "${attr}" is a field or relation of ${owner.name}; choose another name`);
  if (attr in modelByName(owner.name).prototype)
    refuse(`toAttr "${attr}" is a member every ${owner.name} has; choose another name`);
}

/**
 * Loads prefetchRelated item `item` (`"books"`, `"books__tags"`, a Prefetch()) of every instance
 * in `rows`: one query per level not loaded yet (the last level of a Prefetch() always).
 */
export async function prefetchPath(
  meta: ModelMeta,
  rows: readonly ModelRecord[],
  item: PrefetchItem,
  using?: string,
): Promise<void> {
  const segments = pathOf(item).split("__");
  const via: Via | undefined =
    typeof item === "string" ? undefined : { queryset: item.queryset, toAttr: item.toAttr };
  let model = meta;
  let level: readonly ModelRecord[] = rows;
  let parents: { readonly rows: readonly ModelRecord[]; readonly by: RelationMeta } | undefined;
  for (const [i, segment] of segments.entries()) {
    if (level.length === 0) return;
    const relation = relationNamed(model, segment);
    if (!relation)
      throw new FieldError(`${model.name} has no relation "${segment}"`, model.name, segment);
    // `books__author`: each book's author is the author it was loaded under.
    if (parents !== undefined && leadsBack(parents.by, relation))
      linkBack(parents.rows, parents.by.name, segment);
    if (via && i === segments.length - 1) return prefetch(model, level, segment, via, using);
    const missing = level.filter((row) => !hasLoadedRelation(row, segment));
    if (missing.length > 0) await prefetch(model, missing, segment, undefined, using);
    // The next level's rows; after the last level there is none (a Set of every loaded book
    // was a tenth of a 100-authors-with-books prefetch's CPU, for nothing).
    if (i === segments.length - 1) return;
    parents = { rows: level, by: relation };
    level = loadedInstances(level, segment);
    model = metaOf(relation.target);
  }
}

/** Whether `next` is the key `reverse` was loaded through: `author` after `books`. */
function leadsBack(reverse: RelationMeta, next: RelationMeta): boolean {
  return (
    (reverse.kind === "reverseForeignKey" || reverse.kind === "reverseOneToOne") &&
    isForwardToOne(next) &&
    reverse.inverse === next.name
  );
}

/**
 * Sets relation `back` of every instance loaded under `parents`' relation `by` to its parent,
 * where it is not loaded yet: no query, and the parent is the same instance (not a copy).
 */
function linkBack(parents: readonly ModelRecord[], by: string, back: string): void {
  for (const parent of parents) {
    const loaded = loadedRelation(parent, by);
    const children = Array.isArray(loaded) ? loaded : loaded ? [loaded] : [];
    for (const child of children as ModelRecord[])
      if (!hasLoadedRelation(child, back)) setLoadedRelation(child, back, parent);
  }
}

/** The distinct instances loaded under `relation` of `rows` (arrays flattened, nulls dropped). */
function loadedInstances(rows: readonly ModelRecord[], relation: string): ModelRecord[] {
  const seen = new Set<ModelRecord>();
  for (const row of rows) {
    const loaded = loadedRelation(row, relation);
    if (Array.isArray(loaded)) for (const item of loaded) seen.add(item as ModelRecord);
    else if (loaded) seen.add(loaded as ModelRecord);
  }
  return [...seen];
}

function distinct(values: readonly unknown[]): unknown[] {
  return [...new Set(values.filter((v) => v !== null && v !== undefined))];
}

/**
 * The non-null values of field `name` of `records`, one per key as `match` compares them (5 and
 * 5n once), each as first given, in order.
 */
function distinctKeys(records: readonly Row[], name: string, match: KeyMatch): unknown[] {
  const seen = new Set<unknown>();
  const keys: unknown[] = [];
  for (const record of records) {
    const value = record[name];
    if (value === null || value === undefined) continue;
    const key = match(value);
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(value);
  }
  return keys;
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

/**
 * Loads relation `name` of every instance in `rows` with one query (two for many-to-many),
 * through `via`'s query set when given (and into its toAttr), on the named connection `using`
 * when the rows came from one (a Prefetch() query set's own using() wins).
 */
export async function prefetch(
  meta: ModelMeta,
  rows: readonly ModelRecord[],
  name: string,
  via?: Via,
  using?: string,
): Promise<void> {
  const relation = relationNamed(meta, name);
  if (!relation) throw new FieldError(`${meta.name} has no relation "${name}"`, meta.name, name);
  if (rows.length === 0) return;
  const targetMeta = metaOf(relation.target);
  const given =
    via?.queryset ?? (modelByName(relation.target).objects.all() as QuerySet<ModelTypes>);
  const base = using === undefined || given.state.using !== undefined ? given : given.using(using);
  const store = (m: ModelRecord, value: unknown): void => {
    if (via?.toAttr === undefined) setLoadedRelation(m, name, value);
    else
      // Not enumerable, as loaded relations: toJSON() and Object.keys() show fields only.
      Object.defineProperty(m, via.toAttr, {
        value,
        enumerable: false,
        writable: true,
        configurable: true,
      });
  };
  const records = rows as unknown as Row[];
  // Keys are matched as the database compares them (key-identity.ts): a key set in JavaScript
  // as 5n or as an upper-case UUID finds the row read back as 5 or in lower case.
  const targetKey = keyMatch(targetMeta.name, pkField(targetMeta));
  if (isForwardToOne(relation)) {
    const keyField = relation.keyField ?? "";
    const keys = distinctKeys(records, keyField, targetKey);
    const found = keys.length === 0 ? [] : await base.filter({ [`${targetMeta.pk}__in`]: keys });
    const byPk = new Map(found.map((m) => [targetKey((m as unknown as Row)[targetMeta.pk]), m]));
    rows.forEach((m, i) => store(m, byPk.get(targetKey(records[i]![keyField])) ?? null));
    return;
  }
  const ownKey = keyMatch(meta.name, pkField(meta));
  const pks = distinctKeys(records, meta.pk, ownKey);
  if (relation.kind === "reverseOneToOne" || relation.kind === "reverseForeignKey") {
    const keyField = relation.keyField ?? "";
    const found = await withField(base, keyField).filter({ [`${keyField}__in`]: pks });
    // The related rows' key field holds this model's key: matched as that key.
    const groups = groupBy(found, (m) => ownKey((m as unknown as Row)[keyField]));
    rows.forEach((m, i) => {
      const list = groups.get(ownKey(records[i]![meta.pk])) ?? [];
      store(m, relation.kind === "reverseOneToOne" ? (list[0] ?? null) : list);
    });
    return;
  }
  const links = await throughPairs(meta, relation, targetMeta, pks, using);
  const found = await base.filter({ [`${targetMeta.pk}__in`]: distinct(links.map((l) => l[1])) });
  const byPk = new Map(found.map((m) => [targetKey((m as unknown as Row)[targetMeta.pk]), m]));
  // Through a query set, each list keeps its ordering (the join table's order means nothing).
  const rank = via ? new Map(found.map((m, k) => [m, k])) : undefined;
  const groups = groupBy(links, (l) => ownKey(l[0]));
  rows.forEach((m, i) => {
    const list = (groups.get(ownKey(records[i]![meta.pk])) ?? [])
      .map((l) => byPk.get(targetKey(l[1])))
      .filter((t) => t !== undefined);
    if (rank) list.sort((a, b) => rank.get(a)! - rank.get(b)!);
    store(m, list);
  });
}

/** `qs` loading field `name` too, when only() or defer() left it out (prefetch groups by it). */
function withField(qs: QuerySet<ModelTypes>, name: string): QuerySet<ModelTypes> {
  const only = qs.state.only;
  return only === undefined || only.includes(name) ? qs : qs.only(...only, name);
}

/** `[ownPk, targetPk]` pairs from a many-to-many join table for the given own keys. */
async function throughPairs(
  meta: ModelMeta,
  relation: RelationMeta,
  targetMeta: ModelMeta,
  pks: readonly unknown[],
  using: string | undefined,
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
    () =>
      select({
        columns: [
          column(through.table, local, ownPk.kind),
          column(through.table, remote, otherPk.kind),
        ],
        from: { table: through.table },
        where: inList(
          column(through.table, local, ownPk.kind),
          pks.map((pk) =>
            encodeValue({ dialect: undefined, model: meta.name, mode: "filter" }, ownPk, pk),
          ),
          false,
          undefined,
          { model: meta.name, field: ownPk },
        ),
      }),
    { bigints: ownPk.kind === "bigint" || otherPk.kind === "bigint" },
    driverFor({ meta, write: false, using }),
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
