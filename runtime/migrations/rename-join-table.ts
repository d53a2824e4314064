/**
 * A join table renamed in place (`renameJoinTable`), its rows kept: when a model or table rename
 * changes the table or column names a many-to-many join table derives from it. Postgres renames
 * the table, its columns, and the primary-key, foreign-key and index names that carry them.
 * SQLite renames the table and columns the same way (which rewrites the views and triggers naming
 * them), then, as its constraint names live in the CREATE TABLE text, rebuilds the table and
 * copies every row, keeping views and triggers as its table rebuild does for model tables. Either
 * way the result is the join table `generateSchemas` creates. The statements are the dialect's
 * (rename-join-table.ts in each dialect folder); the helpers here are shared.
 */
import type { Dialect, MigrationStep } from "../dialect/dialect.js";
import type { ModelMeta, RelationMeta } from "../model/meta.js";
import type { SchemaState } from "./state.js";

export type Through = NonNullable<RelationMeta["through"]>;

export function renameJoinTableSteps(
  model: ModelMeta,
  relation: RelationMeta,
  from: Through,
  after: SchemaState,
  dialect: Dialect,
): MigrationStep[] {
  const to = relation.through!;
  if (from.table === to.table && sameColumns(from, to)) return [];
  return dialect.migrations.renameJoinTable(model, relation, from, after);
}

export const columnPairs = (from: Through, to: Through): [string, string][] => [
  [from.sourceColumn, to.sourceColumn],
  [from.targetColumn, to.targetColumn],
];

const sameColumns = (a: Through, b: Through): boolean =>
  a.sourceColumn === b.sourceColumn && a.targetColumn === b.targetColumn;

/**
 * Renames in an order where no new name is still held by another old one; a cycle (two columns
 * trading names) goes through `spare` first.
 */
export function ordered(pairs: readonly [string, string][], spare: string): [string, string][] {
  const pending = pairs.filter(([a, b]) => a !== b).map(([a, b]): [string, string] => [a, b]);
  const out: [string, string][] = [];
  while (pending.length > 0) {
    const free = pending.findIndex(([, b]) => !pending.some(([a]) => a === b));
    if (free >= 0) {
      out.push(pending.splice(free, 1)[0]!);
      continue;
    }
    const first = pending[0]!;
    out.push([first[0], spare]);
    first[0] = spare;
  }
  return out;
}
