/** Postgres: a join table renamed in place with ALTER … RENAME (see migrations/rename-join-table.ts). */
import { quoteIdent } from "../ddl-columns.js";
import { constraintIdentifier } from "../constraint-name.js";
import { columnPairs, ordered, type Through } from "../../migrations/rename-join-table.js";

export function renameJoinTablePostgres(from: Through, to: Through): string[] {
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
