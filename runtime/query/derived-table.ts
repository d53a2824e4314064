/**
 * A SELECT read through a derived table (`FROM (SELECT …) AS "alias"`): count() of distinct,
 * grouped or sliced rows, and a distinct query nested in another that selects more than its
 * one value (base.ts `subqueryNode`). MariaDB refuses a derived table two of whose columns share a name
 * ("Duplicate column name 'id'": the key and the ordering column, the key of a selectRelated
 * join, two expressions written alike), which Postgres and SQLite accept: such a select list is
 * given names of its own there, and only there.
 */
import { column } from "../ast/column.js";
import type { ExpressionNode } from "../ast/node.js";
import { select, SLICED_ALIAS, type SelectNode } from "../ast/select.js";
import type { FieldKind } from "../model/meta.js";

/** The name of a derived table's `i`th column, where it is given one. */
const nameOf = (i: number): string => `yara_c${i}`;

/** The columns of `node`, each generated column list (a raw node) as its own columns. */
function spread(node: SelectNode): ExpressionNode[] | undefined {
  const out: ExpressionNode[] = [];
  for (const c of node.columns) {
    if (c.kind !== "raw") out.push(c);
    else if (c.columns !== undefined) out.push(...c.columns);
    else return undefined;
  }
  return out;
}

/**
 * `node` with its columns named apart (`… AS "yara_c0"`, …) when two of them could share a
 * name in a derived table: two columns of one name (`"books"."id"` and `"t1"."id"`, MariaDB's
 * names ignore case) or two expressions (MariaDB names an expression by its text, where two
 * values bound alike read the same: `CONCAT(…, ?)`). Otherwise `node` itself, as written.
 */
export function namedApart(node: SelectNode): SelectNode {
  if (node.aliases !== undefined) return node;
  const columns = spread(node);
  if (columns === undefined) return node;
  const names = new Set<string>();
  let expressions = 0;
  let clash = false;
  for (const c of columns) {
    if (c.kind !== "column") clash ||= ++expressions > 1;
    else {
      const name = c.column.toLowerCase();
      clash ||= names.has(name);
      names.add(name);
    }
  }
  if (!clash) return node;
  return select({ ...node, columns, aliases: columns.map((_c, i) => nameOf(i)) });
}

/**
 * The first column of `node`'s rows, read through a derived table: `SELECT "yara_sliced"."yara_c0"
 * FROM (SELECT DISTINCT a AS "yara_c0", b AS "yara_c1" … ORDER BY b LIMIT n) AS "yara_sliced"`,
 * for a nested query whose DISTINCT rows select its ordering too (as Django wraps such a
 * subquery), or whose distinct rows `Exists` tests past an offset (SQLite and MariaDB drop a
 * DISTINCT directly inside EXISTS). The value is of `kind`.
 */
export function firstColumnOf(node: SelectNode, kind: FieldKind): SelectNode {
  const columns = spread(node) ?? node.columns;
  const inner = select({ ...node, columns, aliases: columns.map((_c, i) => nameOf(i)) });
  return select({
    columns: [column(SLICED_ALIAS, nameOf(0), kind)],
    from: { query: inner, alias: SLICED_ALIAS },
  });
}
