/**
 * A join table renamed in place (`renameJoinTable`), its rows kept: when a model or table rename
 * changes the table or column names a many-to-many join table derives from it. Postgres renames
 * the table, its columns, and the primary-key, foreign-key and index names that carry them.
 * SQLite renames the table and columns the same way (which rewrites the views and triggers naming
 * them), then, as its constraint names live in the CREATE TABLE text, rebuilds the table and
 * copies every row, keeping views and triggers as rebuild-sqlite.ts does for model tables. Either
 * way the result is the join table `generateSchemas` creates.
 */
import { constraintIdentifier } from "../dialect/constraint-name.js";
import { joinTable } from "../dialect/ddl.js";
import { quoteIdent } from "../dialect/ddl-columns.js";
import type { Dialect } from "../driver/driver.js";
import type { ModelMeta, RelationMeta } from "../model/meta.js";
import type { Step } from "./render.js";
import { keepViewsAndTriggers } from "./sqlite-dependents.js";
import type { SchemaState } from "./state.js";

type Through = NonNullable<RelationMeta["through"]>;

export function renameJoinTableSteps(
  model: ModelMeta,
  relation: RelationMeta,
  from: Through,
  after: SchemaState,
  dialect: Dialect,
): Step[] {
  const to = relation.through!;
  if (from.table === to.table && sameColumns(from, to)) return [];
  return dialect === "postgres"
    ? renamePostgres(from, to)
    : rebuildSqlite(model, relation, from, to, after);
}

const columnPairs = (from: Through, to: Through): [string, string][] => [
  [from.sourceColumn, to.sourceColumn],
  [from.targetColumn, to.targetColumn],
];

const sameColumns = (a: Through, b: Through): boolean =>
  a.sourceColumn === b.sourceColumn && a.targetColumn === b.targetColumn;

function renamePostgres(from: Through, to: Through): string[] {
  const out: string[] = [];
  const table = quoteIdent(to.table);
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);
  const columns = columnPairs(from, to);
  for (const [a, b] of ordered(columns, "yara_swap_column"))
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(a)} TO ${quoteIdent(b)}`);
  const constraints: [string, string][] = [
    [constraintIdentifier(from.table, [], "pkey"), constraintIdentifier(to.table, [], "pkey")],
    ...columns.map(([a, b]): [string, string] => [
      constraintIdentifier(from.table, [a], "fkey"),
      constraintIdentifier(to.table, [b], "fkey"),
    ]),
  ];
  for (const [a, b] of ordered(constraints, `${to.table}_swap_fkey`))
    out.push(`ALTER TABLE ${table} RENAME CONSTRAINT ${quoteIdent(a)} TO ${quoteIdent(b)}`);
  const index0 = constraintIdentifier(from.table, [from.targetColumn], "idx");
  const index1 = constraintIdentifier(to.table, [to.targetColumn], "idx");
  if (index0 !== index1)
    out.push(`ALTER INDEX ${quoteIdent(index0)} RENAME TO ${quoteIdent(index1)}`);
  return out;
}

/**
 * Renames in an order where no new name is still held by another old one; a cycle (two columns
 * trading names) goes through `spare` first.
 */
function ordered(pairs: readonly [string, string][], spare: string): [string, string][] {
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

function rebuildSqlite(
  model: ModelMeta,
  relation: RelationMeta,
  from: Through,
  to: Through,
  after: SchemaState,
): Step[] {
  const out: Step[] = [];
  const table = quoteIdent(to.table);
  // Renames first: SQLite rewrites the views and triggers that name the table or its columns.
  if (from.table !== to.table) out.push(`ALTER TABLE ${quoteIdent(from.table)} RENAME TO ${table}`);
  for (const [a, b] of ordered(columnPairs(from, to), "yara_swap_column"))
    out.push(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(a)} TO ${quoteIdent(b)}`);
  // Then the rebuild, for the constraint names written in the CREATE TABLE text.
  const temp = `yara_new_${to.table}`;
  const made = joinTable(model, relation, after, "sqlite", { ifNotExists: false, as: temp });
  const columns = `${quoteIdent(to.sourceColumn)}, ${quoteIdent(to.targetColumn)}`;
  const dependents = keepViewsAndTriggers(to.table);
  out.push(
    made.table,
    `INSERT INTO ${quoteIdent(temp)} (${columns}) SELECT ${columns} FROM ${table}`,
    dependents.save,
    `DROP TABLE ${table}`,
    `ALTER TABLE ${quoteIdent(temp)} RENAME TO ${table}`,
    made.index,
    dependents.restore,
  );
  return out;
}
