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

export interface SelectNode {
  readonly kind: "select";
  readonly columns: readonly ExpressionNode[];
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
