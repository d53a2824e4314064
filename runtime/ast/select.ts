import type { JoinNode } from "./join.js";
import type { ExpressionNode } from "./node.js";
import { node } from "./node.js";
import type { OrderNode } from "./order.js";

/** The table a statement reads or writes, optionally aliased. */
export interface TableRef {
  readonly table: string;
  readonly alias?: string | undefined;
}

export interface LockClause {
  /** Lock only this table's rows (needed when outer joins are present). */
  readonly of: string | undefined;
  readonly skipLocked: boolean;
  readonly nowait: boolean;
}

/**
 * The derived table a sliced query is read through where its rows must be one column (a
 * distinct query nested in another, base.ts `subqueryNode`; MariaDB's `IN` of a sliced query,
 * its compiler's `inQuery`).
 */
export const SLICED_ALIAS = "yara_sliced";

export interface SelectNode {
  readonly kind: "select";
  readonly columns: readonly ExpressionNode[];
  /**
   * A name for each column (`… AS "name"`), or undefined for none: given to the select list of
   * a derived table whose columns would otherwise share a name (MariaDB refuses that there).
   */
  readonly aliases: readonly string[] | undefined;
  /** A table, or a subquery aliased as `alias`. */
  readonly from: TableRef | { readonly query: SelectNode; readonly alias: string };
  readonly joins: readonly JoinNode[];
  readonly where: ExpressionNode | undefined;
  readonly groupBy: readonly ExpressionNode[];
  /** Conditions on grouped aggregates (filters on `annotate({ n: Count() })` with groupBy). */
  readonly having: ExpressionNode | undefined;
  readonly orderBy: readonly OrderNode[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  readonly distinct: boolean;
  /** `DISTINCT ON (…)` expressions (Postgres); empty for none. */
  readonly distinctOn: readonly ExpressionNode[];
  /**
   * How the query asked for `distinctOn` (`Book: distinct("authorId")`), for the
   * NotSupportedError of a dialect without DISTINCT ON.
   */
  readonly distinctOnAsked: string | undefined;
  readonly lock: LockClause | undefined;
}

export function select(
  parts: Partial<Omit<SelectNode, "kind">> & Pick<SelectNode, "columns" | "from">,
): SelectNode {
  return node({
    kind: "select",
    aliases: undefined,
    joins: [],
    where: undefined,
    groupBy: [],
    having: undefined,
    orderBy: [],
    limit: undefined,
    offset: undefined,
    distinct: false,
    distinctOn: [],
    distinctOnAsked: undefined,
    lock: undefined,
    ...parts,
  });
}
